/* ipextract.c - addresses in a log line (see ipextract.h). One pass over the bytes with a class
 * table; only a hex digit or ':' at a token boundary starts a parse, and a failed parse skips
 * its whole hex/colon run, so a MAC run or a timestamp costs one look per byte. */
#include <string.h>

#include "canhgac/ipextract.h"
#include "canhgac/limits.h"
#include "banned.h"

enum { D = 1, H = 2, W = 4, C = 8, P = 16 };

/* D decimal digit, H hex letter, W word byte (letters, digits, '_', bytes >= 0x80: part of a
 * UTF-8 word), C ':', P '.'. */
static const uint8_t cls[256] = {
    ['0' ... '9'] = D | W,
    ['a' ... 'f'] = H | W,
    ['A' ... 'F'] = H | W,
    ['g' ... 'z'] = W,
    ['G' ... 'Z'] = W,
    ['_'] = W,
    [':'] = C,
    ['.'] = P,
    [0x80 ... 0xff] = W,
};

static inline uint8_t at(const char *s, size_t i)
{
	return cls[(uint8_t)s[i]];
}

/* "n" decimal digits at s[i..], value <= 65535; returns the end or 0. */
static size_t port_end(const char *s, size_t n, size_t i)
{
	unsigned v = 0;
	size_t k = i;
	while (k < n && (at(s, k) & D) && k - i < 6)
		v = v * 10 + (unsigned)(s[k++] - '0');
	return k > i && k - i <= 5 && v <= 65535 ? k : 0;
}

/* tcpdump's "a.b.c.d.port": followed by " > ", or preceded by "> " and followed by ':'. */
static size_t tcpdump_port(const char *s, size_t n, size_t start, size_t e)
{
	size_t k = port_end(s, n, e + 1);
	if (!k || (k < n && (at(s, k) & (W | P))))
		return 0;
	if (n - k >= 3 && memcmp(s + k, " > ", 3) == 0)
		return k;
	if (start >= 2 && memcmp(s + start - 2, "> ", 2) == 0 && k < n && s[k] == ':')
		return k;
	return 0;
}

/* After an IPv4 address ending at e: returns where scanning continues, 0 to refuse. */
static size_t after4(const char *s, size_t n, size_t start, size_t e)
{
	if (e >= n)
		return e;
	if (at(s, e) & W)
		return 0;
	if (s[e] == '.' && e + 1 < n && (at(s, e + 1) & W))
		return tcpdump_port(s, n, start, e);
	return e;
}

/* 8 groups of exactly two hex digits and no "::": a MAC run, not an address. */
static int mac_like(const char *s, size_t len)
{
	if (len != 23)
		return 0;
	for (size_t i = 2; i < len; i += 3)
		if (s[i] != ':')
			return 0;
	return 1;
}

/* After an IPv6 address s[start..e): returns where scanning continues, 0 to refuse. */
static size_t after6(const char *s, size_t n, size_t start, size_t e)
{
	if (e - start == 2 || mac_like(s + start, e - start))
		return 0; /* "::" alone, or a MAC run */
	if (e >= n)
		return e;
	if (at(s, e) & W)
		return 0;
	if ((s[e] == ':' || s[e] == '.') && e + 1 < n && (at(s, e + 1) & (W | C)))
		return 0;
	if (s[e] == '%') { /* zone id: fe80::1%eth0 */
		size_t k = e + 1;
		while (k < n && ((at(s, k) & (W | P)) || s[k] == '-'))
			k++;
		return k > e + 1 ? k : 0;
	}
	return e;
}

/* Tries an address at s[i]; on success fills x and returns where scanning continues. */
static size_t try_at(const char *s, size_t n, size_t i, struct cg_ipx *x)
{
	size_t h = 0, e, next;
	int dec = 1;
	while (i + h < n && h < 5 && (at(s, i + h) & (D | H))) {
		dec &= (at(s, i + h) & D) != 0;
		h++;
	}
	if (i + h >= n || h == 5)
		return 0;
	if (s[i + h] == '.' && dec && h <= 3) {
		e = i + cg_ip_scan4(s + i, n - i, &x->ip);
		next = e > i ? after4(s, n, i, e) : 0;
	} else if (s[i + h] == ':') {
		e = i + cg_ip_scan6(s + i, n - i, &x->ip);
		next = e > i ? after6(s, n, i, e) : 0;
	} else {
		return 0;
	}
	if (!next)
		return 0;
	x->off = (uint32_t)i;
	x->len = (uint16_t)(e - i);
	return next;
}

/* Where to continue after a failed start at i: past the hex/colon run, except that a run
 * ending in '.' restarts after its last ':' ("abc:1.2.3.4", "12:00:00:1.2.3.4"). */
static size_t skip_failed(const char *s, size_t n, size_t i)
{
	size_t j = i, last_colon = (size_t)-1;
	while (j < n && (at(s, j) & (D | H | C))) {
		if (s[j] == ':')
			last_colon = j;
		j++;
	}
	if (j < n && s[j] == '.' && last_colon != (size_t)-1)
		return last_colon + 1;
	return j;
}

size_t cg_ipextract(const char *s, size_t n, struct cg_ipx *out, size_t cap)
{
	size_t i = 0, k = 0;

	if (n > CG_MAX_MATCH_LINE)
		n = CG_MAX_MATCH_LINE;
	/* Invariant: a word byte at s[i] starts its word (words are skipped whole), so only the
	 * byte before a word or a ':' needs a look. */
	while (i < n && k < cap) {
		uint8_t c = at(s, i);
		int start;
		if (c & W)
			start = (c & (D | H)) && (i == 0 || s[i - 1] != '.');
		else if (c & C)
			start = i == 0 || !(at(s, i - 1) & (W | P));
		else
			start = -1;
		if (start <= 0 && !(c & W)) { /* a ':' after a word ("inside:"), or punctuation */
			i++;
			continue;
		}
		if (start) {
			size_t next = try_at(s, n, i, &out[k]);
			if (next) {
				k++;
				i = next;
				continue;
			}
			i = skip_failed(s, n, i);
			if (i < n && (at(s, i) & W) && !(at(s, i) & (D | H)) && i > 0 &&
			    s[i - 1] != ':')
				start = 0; /* stopped inside a word: skip the rest below */
			else
				continue;
		}
		/* Not an address start: skip the rest of the word. */
		do
			i++;
		while (i < n && (at(s, i) & W));
	}
	return k;
}

/* ipextract.c - addresses in a log line (see ipextract.h). One pass over the bytes with a class
 * table; only a hex digit or ':' at a token boundary starts a parse, and a failed parse skips
 * its whole hex/colon run, so a MAC run or a timestamp costs one look per byte. */
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

/* Six groups of exactly two hex digits ("52:54:00:12:34:56"): the start of a MAC address or
 * of a run of them (iptables MAC=), never taken as IPv6. */
static int mac_run(const char *s, size_t n, size_t i)
{
	if (n - i < 17 || (n - i > 17 && (at(s, i + 17) & (D | H))))
		return 0;
	for (size_t g = 0; g < 6; g++) {
		const char *q = s + i + 3 * g;
		if (!(at(q, 0) & (D | H)) || !(at(q, 1) & (D | H)) || (g < 5 && q[2] != ':'))
			return 0;
	}
	return 1;
}

/* Tries an address at s[i]. On success fills x and returns where scanning continues; on
 * failure returns 0 and, when it already knows, sets *skip to where scanning continues
 * (else *skip = 0). */
static size_t try_at(const char *s, size_t n, size_t i, struct cg_ipx *x, size_t *skip)
{
	size_t j = i, e, next;
	int dec = 1;
	*skip = 0;
	while (j < n && (at(s, j) & (D | H))) {
		dec &= (at(s, j) & D) != 0;
		j++;
	}
	if (j >= n || (s[j] != '.' && s[j] != ':')) {
		*skip = j; /* the hex run ends at something else: no address here */
		return 0;
	}
	if (s[j] == '.' && dec && j - i <= 3) {
		e = i + cg_ip_scan4(s + i, n - i, &x->ip);
		next = e > i ? after4(s, n, i, e) : 0;
	} else if (s[j] == ':' && j - i <= 4 && !(j - i == 2 && mac_run(s, n, i))) {
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

/* Start candidates, found 64 bytes at a time: bit k is set when s[w + k] is a hex digit or ':'
 * whose previous byte is not a word byte or '.', and a '.' or ':' follows within 4 bytes (an
 * address has one by then: "255." or "abcd:"). Bits 60-63 lack their look-ahead, so callers
 * use bits 0-59 only. */
struct masks {
	uint64_t cand, bad, sep, colon, nl;
};

#if defined(__SSE2__)
static inline __m128i in_range(__m128i v, char lo, char hi)
{
	/* unsigned lo <= v <= hi */
	__m128i x = _mm_sub_epi8(v, _mm_set1_epi8(lo));
	return _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8((char)(hi - lo))), x);
}

static inline void masks16(const char *s, struct masks *m, unsigned sh)
{
	__m128i v = _mm_loadu_si128((const __m128i *)s);
	__m128i low = _mm_or_si128(v, _mm_set1_epi8(0x20));
	__m128i dig = in_range(v, '0', '9');
	__m128i colon = _mm_cmpeq_epi8(v, _mm_set1_epi8(':'));
	__m128i dot = _mm_cmpeq_epi8(v, _mm_set1_epi8('.'));
	__m128i word = _mm_or_si128(_mm_or_si128(dig, in_range(low, 'a', 'z')),
	                            _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('_')),
	                                         _mm_cmplt_epi8(v, _mm_setzero_si128())));
	__m128i cand = _mm_or_si128(_mm_or_si128(dig, in_range(low, 'a', 'f')), colon);
	m->cand |= (uint64_t)(uint32_t)_mm_movemask_epi8(cand) << sh;
	m->bad |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_or_si128(word, dot)) << sh;
	m->sep |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_or_si128(dot, colon)) << sh;
	m->colon |= (uint64_t)(uint32_t)_mm_movemask_epi8(colon) << sh;
	m->nl |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')))
	         << sh;
}
#else
static inline void masks16(const char *s, struct masks *m, unsigned sh)
{
	for (unsigned i = 0; i < 16; i++) {
		uint8_t c = at(s, i);
		uint64_t bit = (uint64_t)1 << (sh + i);
		m->cand |= c & (D | H | C) ? bit : 0;
		m->bad |= c & (W | P) ? bit : 0;
		m->sep |= c & (C | P) ? bit : 0;
		m->colon |= c & C ? bit : 0;
		m->nl |= s[i] == '\n' ? bit : 0;
	}
}
#endif

static inline uint64_t window_starts(const char *s, size_t n, size_t w, struct masks *mm)
{
	struct masks m = {0, 0, 0, 0, 0};
	const char *q = s + w;
	char tmp[64];
	uint64_t prev_bad = w > 0 && (at(s, w - 1) & (W | P));
	if (n - w < 64) { /* the end of the line: pad with blanks, never read past it */
		memset(tmp, ' ', sizeof(tmp));
		memcpy(tmp, q, n - w);
		q = tmp;
	}
	for (unsigned b = 0; b < 4; b++)
		masks16(q + 16 * b, &m, 16 * b);
	*mm = m;
	return m.cand & ~(m.bad << 1 | prev_bad) &
	       (m.colon | m.sep >> 1 | m.sep >> 2 | m.sep >> 3 | m.sep >> 4) &
	       (((uint64_t)1 << 60) - 1);
}

static inline int at_least6(uint64_t x)
{
	for (int k = 0; k < 5 && x; k++)
		x &= x - 1;
	return x != 0;
}

/* Refuses, from the window's masks alone, a start whose hex/colon run (ending inside the
 * window) cannot hold an address, and says where to go on (as skip_failed would). Without "::"
 * an IPv6 address has 7 colons, or 6 and a dotted quad; IPv4 has no colon before its dots. A
 * MAC run has many colons and is left to try_at. Returns 0 when it cannot tell. */
static inline int quick_reject(const struct masks *m, size_t w, size_t p, size_t *skip)
{
	unsigned off = (unsigned)(p - w), end;
	uint64_t run = ~m->cand >> off, colons;
	if (!run)
		return 0;
	end = off + (unsigned)__builtin_ctzll(run); /* first byte past the run */
	if (end >= 64)
		return 0;
	colons = m->colon & ((((uint64_t)1 << end) - 1) & ~(((uint64_t)1 << off) - 1));
	if (end - off >= 17 && (colons >> off & 0x1ffff) == 0x4924 &&
	    (end == off + 17 || (colons >> (off + 17) & 1))) {
		*skip = w + end; /* hh:hh:hh:hh:hh:hh - a MAC run (see mac_run) */
		return 1;
	}
	if (!colons || (colons & colons >> 1) || at_least6(colons))
		return 0;
	/* A few colons and no "::": not IPv6, and the dotted quad (if any) comes after the last
	 * colon, so go on there when a '.' ends the run (skip_failed's rule). */
	if (m->sep >> end & 1 && !(m->colon >> end & 1))
		*skip = w + 64 - (size_t)__builtin_clzll(colons);
	else
		*skip = w + end;
	return 1;
}

/* The extraction loop. With line_len, the line ends at the first '\n' of s[0..n) (found in the
 * same pass) and its length is stored there. */
static size_t extract(const char *s, size_t n, struct cg_ipx *out, size_t cap, size_t *line_len)
{
	size_t lim = n > CG_MAX_MATCH_LINE ? CG_MAX_MATCH_LINE : n, end = lim, i = 0, k = 0, w = 0;
	size_t nlpos = 0;
	int found = 0;

	/* Visit the possible starts left to right; a start before i lies inside text already
	 * taken or skipped (never across a '\n': no token holds one). */
	while (w < end && k < cap) {
		struct masks wm;
		uint64_t m = window_starts(s, n, w, &wm);
		if (line_len && wm.nl && !found) {
			nlpos = w + (size_t)__builtin_ctzll(wm.nl);
			found = 1;
			end = nlpos < end ? nlpos : end;
		}
		if (end - w < 64)
			m &= ((uint64_t)1 << (end - w)) - 1;
		while (m && k < cap) {
			size_t p = w + (size_t)__builtin_ctzll(m), next, skip;
			m &= m - 1;
			if (quick_reject(&wm, w, p, &skip)) {
				i = skip;
			} else if ((next = try_at(s, lim, p, &out[k], &skip)) != 0) {
				k++;
				i = next;
			} else {
				i = skip ? skip : skip_failed(s, lim, p);
			}
			m = i - w >= 64 ? 0 : m & ~(((uint64_t)1 << (i - w)) - 1);
		}
		w += 60;
		if (w < i)
			w = i;
	}
	if (line_len && !found) {
		size_t from = w < n ? w : n;
		const char *nl = memchr(s + from, '\n', n - from);
		nlpos = nl ? (size_t)(nl - s) : n;
	}
	if (line_len)
		*line_len = nlpos;
	return k;
}

size_t cg_ipextract(const char *s, size_t n, struct cg_ipx *out, size_t cap)
{
	return extract(s, n, out, cap, NULL);
}

size_t cg_ipextract_line(const char *s, size_t n, struct cg_ipx *out, size_t cap, size_t *line_len)
{
	return extract(s, n, out, cap, line_len);
}

/* feed_paste.c - botnet lists pasted from an e-mail or a chat message: every line that holds an
 * IP address gives entries, with the family in parentheses or after a dash and the time written
 * in any of the usual ways ("lúc 17:41 22/10", "22/10/2026 17:41", "17h41 ngày 22/10"); lines of
 * prose without an address are skipped. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "feed_cols.h"
#include "feed_int.h"
#include "feed_val.h"
#include "banned.h"

struct span {
	size_t a, b;
	struct cg_fv_ip ip;
};

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_alnum(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* Reads 1..2 digits (or exactly `want` when want > 2) at *i; -1 when not there. */
static int digits(const char *s, size_t n, size_t *i, int minw, int maxw)
{
	int v = 0, k = 0;
	while (*i < n && is_digit(s[*i]) && k < maxw) {
		v = v * 10 + (s[*i] - '0');
		(*i)++;
		k++;
	}
	if (k < minw || (*i < n && is_digit(s[*i])))
		return -1;
	return v;
}

/* A clock "17:41", "17:41:05", "17h41" standing alone. */
static int find_clock(const char *s, size_t n, int *h, int *mi, int *sec)
{
	for (size_t i = 0; i < n; i++) {
		size_t j = i;
		if (!is_digit(s[i]) ||
		    (i && (is_alnum((unsigned char)s[i - 1]) || s[i - 1] == ':' ||
		           s[i - 1] == '/' || s[i - 1] == '.')))
			continue;
		*h = digits(s, n, &j, 1, 2);
		if (*h < 0 || *h > 23 || j >= n || (s[j] != ':' && s[j] != 'h' && s[j] != 'H'))
			continue;
		j++;
		*mi = digits(s, n, &j, 2, 2);
		if (*mi < 0 || *mi > 59)
			continue;
		*sec = 0;
		if (j + 2 < n && s[j] == ':' && is_digit(s[j + 1])) {
			size_t k = j + 1;
			int v = digits(s, n, &k, 2, 2);
			if (v >= 0 && v <= 59) {
				*sec = v;
				j = k;
			}
		}
		if (j < n && (is_alnum((unsigned char)s[j]) || s[j] == '/'))
			continue;
		return 1;
	}
	return 0;
}

/* A date "22/10", "22/10/2026", "22-10-26", "22.10.2026" standing alone; *y = 0 without year. */
static int find_date(const char *s, size_t n, int *y, int *mo, int *d)
{
	for (size_t i = 0; i < n; i++) {
		size_t j = i;
		char sep;
		if (!is_digit(s[i]) ||
		    (i && (is_alnum((unsigned char)s[i - 1]) || s[i - 1] == '/' ||
		           s[i - 1] == ':' || s[i - 1] == '.' || s[i - 1] == '-')))
			continue;
		*d = digits(s, n, &j, 1, 2);
		if (*d < 1 || j >= n || (s[j] != '/' && s[j] != '-' && s[j] != '.'))
			continue;
		sep = s[j++];
		*mo = digits(s, n, &j, 1, 2);
		if (*mo < 1 || *mo > 12)
			continue;
		*y = 0;
		if (j + 1 < n && s[j] == sep && is_digit(s[j + 1])) {
			size_t k = j + 1, st = k;
			int v = digits(s, n, &k, 2, 4);
			if (v >= 0 && (k - st == 2 || k - st == 4)) {
				*y = k - st == 2 ? 2000 + v : v;
				j = k;
			}
		}
		/* "1.2" of prose or a version is no date: dots need the year. */
		if (sep == '.' && *y == 0)
			continue;
		if (j < n && (is_alnum((unsigned char)s[j]) || s[j] == '/' || s[j] == sep))
			continue;
		return 1;
	}
	return 0;
}

/* The time of a line (IP spans already blanked). A date without a year is the most recent such
 * date not after now; a clock without a date is the most recent such time. */
static int64_t line_time(const char *s, size_t n, int64_t now, int64_t tz)
{
	int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, have_clock, have_date;
	int64_t t;

	have_clock = find_clock(s, n, &h, &mi, &sec);
	have_date = find_date(s, n, &y, &mo, &d);
	if (!have_clock && !have_date)
		return CG_TIME_NONE;
	if (!have_clock)
		h = mi = sec = 0;
	if (have_date && y) {
		if (cg_fv_civil(y, mo, d, h, mi, sec, tz, &t))
			return CG_TIME_NONE;
		return t;
	}
	{
		int ny, nmo, nd;
		cg_fv_to_civil(now, tz, &ny, &nmo, &nd);
		if (!have_date) {
			mo = nmo;
			d = nd;
		}
		for (int back = 0; back < 8; back++) {
			int yy = ny - back;
			if (cg_fv_civil(yy, mo, d, h, mi, sec, tz, &t))
				continue; /* 29/02 of a year that has none */
			if (t <= now)
				return t;
			if (!have_date)
				return t - 86400 <= now ? t - 86400 : CG_TIME_NONE;
		}
	}
	return CG_TIME_NONE;
}

/* Words that end a family name written after the address. */
static int stop_word(const char *w, size_t n)
{
	static const char *const stops[] = {"luc",  "ngay", "vao", "at",   "on",  "time", "thoi",
	                                    "port", "cong", "tu",  "from", "den", "to",   "gio"};
	char h[32];
	if (n >= 24 || cg_feedcol_fold(w, n, h, sizeof(h)))
		return 0;
	for (size_t i = 0; i < sizeof(stops) / sizeof(stops[0]); i++)
		if (strcmp(h, stops[i]) == 0)
			return 1;
	return 0;
}

static int is_dash_at(const char *s, size_t n, size_t i, size_t *len)
{
	if (s[i] == '-' || s[i] == ':' || s[i] == '|' || s[i] == ',' || s[i] == '\t' ||
	    s[i] == '=') {
		*len = 1;
		return 1;
	}
	/* en dash, em dash */
	if (i + 2 < n && (unsigned char)s[i] == 0xe2 && (unsigned char)s[i + 1] == 0x80 &&
	    ((unsigned char)s[i + 2] == 0x93 || (unsigned char)s[i + 2] == 0x94)) {
		*len = 3;
		return 1;
	}
	return 0;
}

/* The family written after the address at s[from..n): "(Ramnit)", "- Mirai", "Mirai". */
static char *line_family(const char *s, size_t n, size_t from, int *oom)
{
	size_t i = from, dl, a, e;

	for (;;) {
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i < n && is_dash_at(s, n, i, &dl))
			i += dl;
		else
			break;
	}
	if (i < n && s[i] == '(') {
		const char *rp = memchr(s + i, ')', n - i);
		if (rp && rp > s + i + 1 && !is_digit(s[i + 1]))
			return cg_fv_strdup_field(s + i + 1, (size_t)(rp - s) - i - 1, oom);
		return NULL;
	}
	a = e = i;
	while (i < n) {
		size_t w = i;
		while (w < n && s[w] != ' ' && s[w] != '\t' && s[w] != '(' && s[w] != ',' &&
		       s[w] != ';' && s[w] != '|')
			w++;
		if (w == i || is_digit(s[i]) || stop_word(s + i, w - i) ||
		    (w - i == 1 && is_dash_at(s, n, i, &dl)))
			break;
		e = w;
		i = w;
		while (i < n && s[i] == ' ')
			i++;
		if (i < n &&
		    (s[i] == '(' || s[i] == ',' || s[i] == ';' || s[i] == '|' || s[i] == '\t'))
			break;
	}
	while (e > a && (s[e - 1] == '.' || s[e - 1] == ':' || s[e - 1] == '-'))
		e--;
	return e > a ? cg_fv_strdup_field(s + a, e - a, oom) : NULL;
}

static int paste_line(const char *p, size_t n, unsigned long lineno, const char *src,
                      const struct cg_feed_parse_opts *o, struct cg_feed *f, struct cg_diags *d)
{
	struct span sp[CG_MAX_ADDRS_PER_LINE];
	char masked[CG_MAX_PASTE_LINE];
	size_t ns = 0, pos = 0, st, en;
	struct cg_fv_ip ip;
	struct cg_feed_entry e;
	int oom = 0, rc = CG_OK;

	while (ns < CG_MAX_ADDRS_PER_LINE && cg_fv_ip_find(p, n, pos, &ip, &st, &en)) {
		sp[ns].a = st;
		sp[ns].b = en;
		sp[ns].ip = ip;
		ns++;
		pos = en;
	}
	if (ns == 0) {
		f->rows_skipped++;
		return CG_OK;
	}
	if (ns == CG_MAX_ADDRS_PER_LINE && cg_fv_ip_find(p, n, pos, &ip, &st, &en))
		cg_diags_add(d, CG_ELIMIT, src, lineno, 0,
		             CG_MSG("dòng có hơn %d địa chỉ; phần còn lại bị bỏ qua",
		                    "line holds more than %d addresses; the rest are ignored"),
		             CG_MAX_ADDRS_PER_LINE);
	memcpy(masked, p, n);
	for (size_t i = 0; i < ns; i++)
		memset(masked + sp[i].a, ' ', sp[i].b - sp[i].a);
	memset(&e, 0, sizeof(e));
	e.type = CG_IOC_IP;
	e.line = (uint32_t)lineno;
	e.time = line_time(masked, n, o->now, o->tz_offset);
	e.family = line_family(masked, n, sp[0].b, &oom);
	for (size_t i = 0; i < ns && !oom && rc == CG_OK; i++) {
		char txt[CG_FV_IPTEXT];
		cg_fv_ip_text(&sp[i].ip, txt);
		e.value = txt;
		e.port = sp[i].ip.port;
		rc = cg_feed_add_entry(f, &e);
	}
	cg_free(e.family);
	return oom ? CG_ENOMEM : rc;
}

int cg_feed_parse_paste(const uint8_t *buf, size_t len, const char *source,
                        const struct cg_feed_parse_opts *o, struct cg_feed *f, struct cg_diags *d)
{
	const char *s = (const char *)buf, *src = source ? source : "?";
	size_t pos = 0;
	unsigned long lineno = 0;
	int rc;

	f->format = CG_FMT_PASTE;
	snprintf(f->format_detail, sizeof(f->format_detail), "%s", "pasted text");
	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	while (pos < len) {
		const char *nl = memchr(s + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - s) : len, n;
		const char *p = cg_fv_trim(s + pos, end - pos, &n);
		lineno++;
		pos = nl ? end + 1 : len;
		if (n == 0)
			continue;
		f->rows_total++;
		if (n >= CG_MAX_PASTE_LINE) {
			f->rows_bad++;
			cg_diags_add(d, CG_ELIMIT, src, lineno, 0,
			             CG_MSG("dòng dài quá %d byte", "line longer than %d bytes"),
			             CG_MAX_PASTE_LINE);
			continue;
		}
		rc = paste_line(p, n, lineno, src, o, f, d);
		if (rc)
			return rc == CG_ELIMIT
			           ? cg_diags_add(d, rc, src, lineno, 0,
			                          CG_MSG("quá nhiều địa chỉ", "too many addresses"))
			           : rc;
	}
	if (f->nentries == 0)
		return cg_diags_add(d, CG_EPARSE, src, 0, 0,
		                    CG_MSG("không tìm thấy địa chỉ IP nào trong văn bản",
		                           "no IP address found in the text"));
	return CG_OK;
}

/* feed_cols.c - guessing the columns of table feeds: header synonyms in Vietnamese (with or
 * without diacritics) and English, the header row below title rows, and --columns. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "canhgac/text.h"
#include "feed_cols.h"
#include "banned.h"

#define K_BOT (1u << CG_FEED_BOTNET)
#define K_IOC (1u << CG_FEED_IOC)
#define K_ADV (1u << CG_FEED_ADVISORY)
#define K_ALL (K_BOT | K_IOC | K_ADV)

/* Header names, folded. exact: only the whole folded header matches (short or ambiguous
 * words); otherwise the phrase may also stand inside a longer header ("thoi gian ghi nhan"). */
struct syn {
	const char *name;
	int col;
	unsigned kinds;
	int exact;
};

static const struct syn syns[] = {
    {"stt", CG_XCOL_SEQ, K_ALL, 1},
    {"so tt", CG_XCOL_SEQ, K_ALL, 1},
    {"tt", CG_XCOL_SEQ, K_ALL, 1},
    {"no", CG_XCOL_SEQ, K_ALL, 1},
    {"index", CG_XCOL_SEQ, K_ALL, 1},
    /* botnet lists */
    {"ip", CG_COL_IP, K_BOT, 0},
    {"ip nhiem", CG_COL_IP, K_BOT, 0},
    {"dia chi ip", CG_COL_IP, K_BOT, 0},
    {"ip address", CG_COL_IP, K_BOT, 0},
    {"source ip", CG_COL_IP, K_BOT, 0},
    {"src ip", CG_COL_IP, K_BOT, 0},
    {"srcip", CG_COL_IP, K_BOT, 1},
    {"dia chi", CG_COL_IP, K_BOT, 1},
    {"address", CG_COL_IP, K_BOT, 1},
    {"cong", CG_COL_PORT, K_BOT, 0},
    {"port", CG_COL_PORT, K_BOT, 0},
    {"thoi gian", CG_COL_TIME, K_BOT | K_IOC, 0},
    {"ngay", CG_COL_TIME, K_BOT | K_IOC, 0},
    {"time", CG_COL_TIME, K_BOT | K_IOC, 0},
    {"date", CG_COL_TIME, K_BOT | K_IOC, 0},
    {"first seen", CG_COL_TIME, K_BOT | K_IOC, 0},
    {"last seen", CG_COL_TIME, K_BOT | K_IOC, 0},
    {"timestamp", CG_COL_TIME, K_BOT | K_IOC, 0},
    {"thoi diem", CG_COL_TIME, K_BOT | K_IOC, 0},
    {"ten botnet", CG_COL_FAMILY, K_BOT | K_IOC, 0},
    {"botnet", CG_COL_FAMILY, K_BOT | K_IOC, 0},
    {"ma doc", CG_COL_FAMILY, K_BOT | K_IOC, 0},
    {"malware", CG_COL_FAMILY, K_BOT | K_IOC, 0},
    {"family", CG_COL_FAMILY, K_BOT | K_IOC, 0},
    {"tag", CG_COL_FAMILY, K_BOT | K_IOC, 0},
    {"tags", CG_COL_FAMILY, K_BOT | K_IOC, 0},
    {"loai", CG_COL_FAMILY, K_BOT, 0},
    {"type", CG_COL_FAMILY, K_BOT, 1},
    {"isp", CG_COL_ISP, K_BOT, 0},
    {"nha mang", CG_COL_ISP, K_BOT, 0},
    {"nha cung cap", CG_COL_ISP, K_BOT, 0},
    {"asn", CG_COL_ASN, K_BOT, 0},
    {"as", CG_COL_ASN, K_BOT, 1},
    /* IOC lists */
    {"value", CG_COL_VALUE, K_IOC, 0},
    {"indicator", CG_COL_VALUE, K_IOC, 0},
    {"ioc", CG_COL_VALUE, K_IOC, 0},
    {"gia tri", CG_COL_VALUE, K_IOC, 0},
    {"chi bao", CG_COL_VALUE, K_IOC, 0},
    {"observable", CG_COL_VALUE, K_IOC, 0},
    {"type", CG_COL_TYPE, K_IOC, 0},
    {"loai", CG_COL_TYPE, K_IOC, 0},
    {"kieu", CG_COL_TYPE, K_IOC, 0},
    /* advisories: the template of docs/feeds.md and the CISA KEV CSV */
    {"cve", CG_COL_CVE, K_ADV, 0},
    {"cveid", CG_COL_CVE, K_ADV, 1},
    {"vendorproject", CG_COL_VENDOR, K_ADV, 1},
    {"vendor", CG_COL_VENDOR, K_ADV, 0},
    {"hang", CG_COL_VENDOR, K_ADV, 1},
    {"nha san xuat", CG_COL_VENDOR, K_ADV, 0},
    {"san pham", CG_COL_PRODUCT, K_ADV, 0},
    {"product", CG_COL_PRODUCT, K_ADV, 0},
    {"thanh phan", CG_COL_PRODUCT, K_ADV, 0},
    {"component", CG_COL_PRODUCT, K_ADV, 0},
    {"phien ban anh huong", CG_COL_AFFECTED, K_ADV, 0},
    {"phien ban bi anh huong", CG_COL_AFFECTED, K_ADV, 0},
    {"affected", CG_COL_AFFECTED, K_ADV, 0},
    {"phien ban khac phuc", CG_COL_FIXED, K_ADV, 0},
    {"phien ban va", CG_COL_FIXED, K_ADV, 0},
    {"fixed", CG_COL_FIXED, K_ADV, 0},
    {"muc do", CG_COL_SEVERITY, K_ADV, 0},
    {"severity", CG_COL_SEVERITY, K_ADV, 0},
    {"cvss", CG_COL_CVSS, K_ADV, 0},
    {"da bi khai thac", CG_COL_EXPLOITED, K_ADV, 0},
    {"bi khai thac", CG_COL_EXPLOITED, K_ADV, 0},
    {"exploited", CG_COL_EXPLOITED, K_ADV, 0},
    {"han xu ly", CG_COL_DUE, K_ADV, 0},
    {"han khac phuc", CG_COL_DUE, K_ADV, 0},
    {"thoi han", CG_COL_DUE, K_ADV, 0},
    {"duedate", CG_COL_DUE, K_ADV, 1},
    {"due date", CG_COL_DUE, K_ADV, 0},
    {"due", CG_COL_DUE, K_ADV, 0},
    {"deadline", CG_COL_DUE, K_ADV, 0},
    {"so cong van", CG_COL_DOCNO, K_ADV, 0},
    {"cong van", CG_COL_DOCNO, K_ADV, 0},
    {"so van ban", CG_COL_DOCNO, K_ADV, 0},
    {"document", CG_COL_DOCNO, K_ADV, 0},
    {"vulnerabilityname", CG_COL_TITLE, K_ADV, 1},
    {"vulnerability name", CG_COL_TITLE, K_ADV, 0},
    {"ten lo hong", CG_COL_TITLE, K_ADV, 0},
    {"loai tac dong", CG_COL_TITLE, K_ADV, 0},
    {"tac dong", CG_COL_TITLE, K_ADV, 0},
    {"impact", CG_COL_TITLE, K_ADV, 0},
    {"title", CG_COL_TITLE, K_ADV, 0},
    {"requiredaction", CG_COL_ACTION, K_ADV, 1},
    {"required action", CG_COL_ACTION, K_ADV, 0},
    {"bien phap", CG_COL_ACTION, K_ADV, 0},
    {"huong xu ly", CG_COL_ACTION, K_ADV, 0},
    {"khuyen nghi", CG_COL_ACTION, K_ADV, 0},
    {"action", CG_COL_ACTION, K_ADV, 0},
    {"dateadded", CG_XCOL_PUBLISHED, K_ADV, 1},
    {"date added", CG_XCOL_PUBLISHED, K_ADV, 0},
    {"ngay cong bo", CG_XCOL_PUBLISHED, K_ADV, 0},
    {"published", CG_XCOL_PUBLISHED, K_ADV, 0},
    {"shortdescription", CG_XCOL_DESC, K_ADV, 1},
    {"description", CG_XCOL_DESC, K_ADV, 0},
    {"mo ta", CG_XCOL_DESC, K_ADV, 0},
    {"knownransomwarecampaignuse", CG_XCOL_RANSOM, K_ADV, 1},
};

/* Words that make an address or port column someone else's (the destination, the LAN side). */
static const char *const not_source[] = {"dich",   "destination", "dst", "dest",   "local",
                                         "cuc bo", "noi bo",      "lan", "private"};

int cg_feedcol_fold(const char *s, size_t n, char *out, size_t cap)
{
	char *f = NULL;
	size_t k;
	int rc;

	if (cap == 0)
		return CG_EINVAL;
	out[0] = '\0';
	rc = cg_text_fold(s, n, &f);
	if (rc)
		return rc;
	k = strlen(f);
	if (k >= cap) {
		k = cap - 1;
		while (k && ((unsigned char)f[k] & 0xc0) == 0x80)
			k--;
	}
	memcpy(out, f, k);
	out[k] = '\0';
	cg_free(f);
	return CG_OK;
}

/* 1 when phrase p stands in h as whole words. */
static int has_words(const char *h, const char *p)
{
	size_t pl = strlen(p);
	for (const char *q = strstr(h, p); q; q = strstr(q + 1, p)) {
		if ((q == h || q[-1] == ' ') && (q[pl] == '\0' || q[pl] == ' '))
			return 1;
	}
	return 0;
}

static int is_other_side(const char *h)
{
	for (size_t i = 0; i < sizeof(not_source) / sizeof(not_source[0]); i++)
		if (has_words(h, not_source[i]))
			return 1;
	return 0;
}

/* Best logical column for one folded header (score 3 exact, 2 contained), or -1. */
static int match_name(const char *h, enum cg_feed_kind kind, int *score)
{
	int best = -1, bs = 0;
	size_t words = 1;

	for (const char *q = h; *q; q++)
		words += *q == ' ';
	if (!h[0] || words > 7)
		return -1;
	for (size_t i = 0; i < sizeof(syns) / sizeof(syns[0]); i++) {
		const struct syn *y = &syns[i];
		int sc = 0;
		if (!(y->kinds & (1u << kind)))
			continue;
		if (strcmp(h, y->name) == 0)
			sc = 3;
		else if (!y->exact && has_words(h, y->name))
			sc = 2;
		if ((y->col == CG_COL_IP || y->col == CG_COL_PORT) && is_other_side(h))
			sc = 0;
		if (sc > bs) {
			bs = sc;
			best = y->col;
		}
	}
	*score = bs;
	return best;
}

int cg_feedcol_match_row(const struct cg_row *r, enum cg_feed_kind kind, struct cg_colmap *m)
{
	int named = 0, score[CG_XCOL__COUNT];
	char h[256];

	for (int i = 0; i < CG_XCOL__COUNT; i++) {
		m->col[i] = -1;
		score[i] = 0;
	}
	m->kev = 0;
	for (size_t c = 0; c < r->ncells && c < CG_MAX_TABLE_COLS; c++) {
		const struct cg_cell *cell = &r->cells[c];
		size_t len = strlen(cell->text);
		int sc, col;
		if ((cell->flags & CG_CELL_MERGED) || len == 0 || len > 80)
			continue;
		if (cg_feedcol_fold(cell->text, len, h, sizeof(h)))
			continue;
		col = match_name(h, kind, &sc);
		if (col < 0 || sc <= score[col])
			continue;
		if (m->col[col] < 0)
			named++;
		m->col[col] = (int)c;
		score[col] = sc;
		if (strcmp(h, "cveid") == 0)
			m->kev = 1;
	}
	return named;
}

int cg_feedcol_key(enum cg_feed_kind kind)
{
	if (kind == CG_FEED_IOC)
		return CG_COL_VALUE;
	if (kind == CG_FEED_ADVISORY)
		return CG_COL_CVE;
	return CG_COL_IP;
}

long cg_feedcol_find_header(const struct cg_sheet *sh, enum cg_feed_kind kind, struct cg_colmap *m)
{
	int key = cg_feedcol_key(kind);
	size_t lim = sh->nrows < 30 ? sh->nrows : 30;
	long single = -1;

	for (size_t i = 0; i < lim; i++) {
		int named = cg_feedcol_match_row(&sh->rows[i], kind, m);
		if (m->col[key] < 0)
			continue;
		if (named >= 2)
			return (long)i;
		if (single < 0)
			single = (long)i;
	}
	if (single >= 0)
		cg_feedcol_match_row(&sh->rows[single], kind, m);
	return single;
}

/* "C" -> 2, "AA" -> 26, "3" -> 2; -1 for "-" or "0"; -2 when invalid. */
static int col_spec(const char *s, size_t n)
{
	long v = 0;
	if (n == 1 && s[0] == '-')
		return -1;
	if (n == 0 || n > 4)
		return -2;
	if (s[0] >= '0' && s[0] <= '9') {
		for (size_t i = 0; i < n; i++) {
			if (s[i] < '0' || s[i] > '9')
				return -2;
			v = v * 10 + (s[i] - '0');
		}
		return v == 0 ? -1 : v > CG_MAX_TABLE_COLS ? -2 : (int)v - 1;
	}
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c < 'A' || c > 'Z')
			return -2;
		v = v * 26 + (c - 'A' + 1);
	}
	return v > CG_MAX_TABLE_COLS ? -2 : (int)v - 1;
}

int cg_feedcol_apply_user(const char *spec, struct cg_colmap *m, const char *source,
                          struct cg_diags *d)
{
	const char *p = spec;

	while (p && *p) {
		const char *end = strchr(p, ','), *eq;
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char name[32];
		int col, at;

		eq = memchr(p, '=', len);
		if (len == 0) {
			p = end ? end + 1 : NULL;
			continue;
		}
		if (!eq || (size_t)(eq - p) >= sizeof(name))
			return cg_diags_add(
			    d, CG_EINVAL, source, 0, 0,
			    CG_MSG("--columns: cần dạng tên=số cột, ví dụ ip=2,family=C",
			           "--columns: expected name=column, e.g. ip=2,family=C"));
		memcpy(name, p, (size_t)(eq - p));
		name[eq - p] = '\0';
		col = cg_feed_col_parse(name);
		at = col_spec(eq + 1, len - (size_t)(eq - p) - 1);
		if (col < 0)
			return cg_diags_add(d, CG_EINVAL, source, 0, 0,
			                    CG_MSG("--columns: không biết cột '%s'",
			                           "--columns: unknown column '%s'"),
			                    name);
		if (at == -2)
			return cg_diags_add(d, CG_EINVAL, source, 0, 0,
			                    CG_MSG("--columns: số cột không hợp lệ cho '%s'",
			                           "--columns: invalid column number for '%s'"),
			                    name);
		m->col[col] = at;
		p = end ? end + 1 : NULL;
	}
	return CG_OK;
}

static const char *const col_names[CG_COL__COUNT] = {
    "ip",   "port",      "time",    "family", "isp",      "asn",    "value",
    "type", "cve",       "product", "vendor", "affected", "fixed",  "severity",
    "cvss", "exploited", "due",     "docno",  "title",    "action",
};

const char *cg_feed_col_name(enum cg_feed_col c)
{
	if ((int)c < 0 || c >= CG_COL__COUNT)
		return "?";
	return col_names[c];
}

int cg_feed_col_parse(const char *name)
{
	static const struct {
		const char *alias;
		int col;
	} aliases[] = {{"date", CG_COL_TIME},     {"malware", CG_COL_FAMILY},
	               {"botnet", CG_COL_FAMILY}, {"tag", CG_COL_FAMILY},
	               {"ioc", CG_COL_VALUE},     {"indicator", CG_COL_VALUE},
	               {"doc", CG_COL_DOCNO},     {"deadline", CG_COL_DUE}};

	if (!name)
		return -1;
	for (int i = 0; i < CG_COL__COUNT; i++)
		if (strcasecmp(name, col_names[i]) == 0)
			return i;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcasecmp(name, aliases[i].alias) == 0)
			return aliases[i].col;
	return -1;
}

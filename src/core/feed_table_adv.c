/* feed_table_adv.c - advisory rows of table feeds: the Vietnamese/English template of
 * docs/feeds.md (warnings that arrive by letter) and the CISA KEV CSV. One row naming several
 * CVEs gives one advisory per CVE. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "feed_cols.h"
#include "feed_int.h"
#include "feed_tab_int.h"
#include "feed_val.h"
#include "banned.h"

#define MAX_IDS_PER_CELL 64

/* Normalised severity, or NULL: Vietnamese and English words, CVSS v3 names. */
static const char *severity(const char *s)
{
	static const struct {
		const char *w;
		const char *sev;
	} m[] = {{"nghiem trong", "critical"},
	         {"critical", "critical"},
	         {"rat cao", "critical"},
	         {"cao", "high"},
	         {"high", "high"},
	         {"important", "high"},
	         {"quan trong", "high"},
	         {"trung binh", "medium"},
	         {"medium", "medium"},
	         {"moderate", "medium"},
	         {"thap", "low"},
	         {"low", "low"}};
	char h[64];
	size_t n = strlen(s);
	if (n == 0 || n > 48 || cg_feedcol_fold(s, n, h, sizeof(h)))
		return NULL;
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (strcmp(h, m[i].w) == 0)
			return m[i].sev;
	return NULL;
}

/* 1 yes, 0 no, -1 unknown. "Có", "x", "yes", "true", "đã khai thác"; "Không", "chưa", "no". */
static int yes_no(const char *s)
{
	static const char *const yes[] = {
	    "co",    "x",        "yes", "y", "true", "1", "da", "da khai thac", "da bi khai thac",
	    "known", "exploited"};
	static const char *const no[] = {"khong", "chua", "no", "n", "false", "0", "unknown"};
	char h[64];
	size_t n = strlen(s);
	if (n == 0 || n > 48 || cg_feedcol_fold(s, n, h, sizeof(h)))
		return -1;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (strcmp(h, yes[i]) == 0)
			return 1;
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (strcmp(h, no[i]) == 0)
			return 0;
	return -1;
}

static double cvss(const char *s)
{
	char buf[32], *end;
	size_t n;
	double v;
	s = cg_fv_trim(s, strlen(s), &n);
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (buf[i] == ',')
			buf[i] = '.'; /* "9,8" as typed with a Vietnamese locale */
	v = strtod(buf, &end);
	if (end == buf || !(v >= 0 && v <= 10))
		return -1;
	return floor(v * 10 + 0.5) / 10;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Finds "CVE-yyyy-nnnn..." ids in a cell; upper-cases them into ids. */
static size_t find_cves(const char *s, char ids[][32], size_t max)
{
	size_t k = 0, n = strlen(s);
	for (size_t i = 0; i + 13 <= n && k < max; i++) {
		size_t j = i + 4, dg = 0;
		if ((s[i] != 'C' && s[i] != 'c') || (s[i + 1] != 'V' && s[i + 1] != 'v') ||
		    (s[i + 2] != 'E' && s[i + 2] != 'e') || (s[i + 3] != '-' && s[i + 3] != '_'))
			continue;
		if (!(is_digit(s[j]) && is_digit(s[j + 1]) && is_digit(s[j + 2]) &&
		      is_digit(s[j + 3]) && (s[j + 4] == '-' || s[j + 4] == '_')))
			continue;
		j += 5;
		while (j + dg < n && is_digit(s[j + dg]) && dg < 12)
			dg++;
		if (dg < 4)
			continue;
		memcpy(ids[k], "CVE-", 4);
		memcpy(ids[k] + 4, s + i + 4, 4);
		ids[k][8] = '-';
		memcpy(ids[k] + 9, s + j, dg);
		ids[k][9 + dg] = '\0';
		k++;
		i = j + dg - 1;
	}
	return k;
}

/* An id that is not a CVE (GHSA-..., MS24-..., KB5034441): one word of id characters. */
static int other_id(const char *s, char id[32])
{
	size_t n;
	s = cg_fv_trim(s, strlen(s), &n);
	if (n == 0 || n >= 32)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!(is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' ||
		      c == '_' || c == '.' || c == ':'))
			return 0;
	}
	memcpy(id, s, n);
	id[n] = '\0';
	return 1;
}

static char *field(const struct cg_ftab *c, const struct cg_row *r, int col, int *oom)
{
	const char *s = cg_ftab_cell(c, r, col, NULL);
	return cg_fv_strdup_field(s, strlen(s), oom);
}

static void adv_free(struct cg_advisory *a)
{
	cg_free(a->id);
	cg_free(a->vendor);
	cg_free(a->product);
	cg_free(a->affected_text);
	cg_free(a->fixed_text);
	cg_free(a->title);
	cg_free(a->severity);
	cg_free(a->doc_no);
	cg_free(a->action);
}

/* Dates of one row: due, published. A bad date is a bad row. */
static int row_dates(struct cg_ftab *c, const struct cg_row *r, int64_t *due, int64_t *pub)
{
	int64_t tz = c->map.kev ? 0 : c->o->tz_offset;
	unsigned fl;
	const char *s = cg_ftab_cell(c, r, CG_COL_DUE, &fl);
	if (cg_ftab_time(c, s, fl, tz, due)) {
		cg_ftab_bad(c, r, c->map.col[CG_COL_DUE],
		            "hạn xử lý không đọc được (cần dd/mm/yyyy)",
		            "unreadable deadline (expected dd/mm/yyyy)", s);
		return CG_EPARSE;
	}
	s = cg_ftab_cell(c, r, CG_XCOL_PUBLISHED, &fl);
	if (cg_ftab_time(c, s, fl, tz, pub)) {
		cg_ftab_bad(c, r, c->map.col[CG_XCOL_PUBLISHED], "ngày công bố không đọc được",
		            "unreadable publication date", s);
		return CG_EPARSE;
	}
	return CG_OK;
}

static int one(struct cg_ftab *c, const struct cg_row *r, const char *id, int64_t due, int64_t pub)
{
	struct cg_advisory a;
	const char *sev;
	char src[256];
	unsigned long line;
	unsigned column;
	int oom = 0, rc;

	memset(&a, 0, sizeof(a));
	a.line = r->line;
	cg_ftab_where(c, r, c->map.col[CG_COL_CVE], src, sizeof(src), &line, &column, a.where,
	              sizeof(a.where));
	a.id = cg_strdup(id);
	oom |= !a.id;
	a.vendor = field(c, r, CG_COL_VENDOR, &oom);
	a.product = field(c, r, CG_COL_PRODUCT, &oom);
	a.affected_text = field(c, r, CG_COL_AFFECTED, &oom);
	a.fixed_text = field(c, r, CG_COL_FIXED, &oom);
	a.title = field(c, r, CG_COL_TITLE, &oom);
	if (!a.title)
		a.title = field(c, r, CG_XCOL_DESC, &oom);
	a.doc_no = field(c, r, CG_COL_DOCNO, &oom);
	a.action = field(c, r, CG_COL_ACTION, &oom);
	sev = severity(cg_ftab_cell(c, r, CG_COL_SEVERITY, NULL));
	if (sev) {
		a.severity = cg_strdup(sev);
		oom |= !a.severity;
	}
	a.cvss = cvss(cg_ftab_cell(c, r, CG_COL_CVSS, NULL));
	a.exploited = c->map.kev ? 1 : yes_no(cg_ftab_cell(c, r, CG_COL_EXPLOITED, NULL));
	a.published = pub;
	a.due = due;
	a.scheme = CG_VER_NONE;
	rc = oom ? CG_ENOMEM : cg_feed_add_advisory(c->f, &a);
	if (rc)
		adv_free(&a);
	return rc;
}

int cg_ftab_advisory_row(struct cg_ftab *c, const struct cg_row *r)
{
	char ids[MAX_IDS_PER_CELL][32];
	const char *cell = cg_ftab_cell(c, r, CG_COL_CVE, NULL);
	size_t nid = find_cves(cell, ids, MAX_IDS_PER_CELL);
	int64_t due, pub;
	int rc;

	if (nid == 0 && other_id(cell, ids[0]))
		nid = 1;
	if (nid == 0)
		return cg_ftab_bad(c, r, c->map.col[CG_COL_CVE], "không có mã CVE hợp lệ",
		                   "no valid CVE id", cell);
	if (row_dates(c, r, &due, &pub))
		return CG_OK;
	for (size_t i = 0; i < nid; i++) {
		rc = one(c, r, ids[i], due, pub);
		if (rc)
			return rc;
	}
	return CG_OK;
}

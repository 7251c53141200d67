/* winrel.c - the Windows releases data file (winrel.h): a small line-based CSV reader (fields
 * never hold newlines), the lookup of an installation's release, and its support status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/feed.h"
#include "canhgac/limits.h"
#include "canhgac/winrel.h"
#include "feed_val.h"
#include "banned.h"

enum {
	C_FAMILY,
	C_VERSION,
	C_BUILD,
	C_CHANNEL,
	C_EDITIONS,
	C_MSRC,
	C_GA,
	C_MAIN,
	C_END,
	C_ESU,
	C__N
};

static const char *const colnames[C__N] = {"family",   "version",   "build", "channel",
                                           "editions", "msrc_name", "ga",    "mainstream_end",
                                           "end",      "esu_end"};
static const char *const channels[] = {"client", "server", "ltsc", "iot-ltsc"};
static const char *const editions[] = {"home-pro", "ent-edu", "all"};

struct row {
	struct cg_winrel r;
	char *pool; /* the row's fields, NUL-separated */
};

struct cg_winrels {
	struct row *v;
	size_t n, cap;
};

#define MAX_FIELDS 32

/* Splits one line into fields (RFC 4180 quotes, no newlines inside) copied into pool, which has
 * room for the line. Returns the field count, or -1 for an unterminated quote. */
static int split(const char *s, size_t n, char *pool, char **f)
{
	size_t i = 0, k = 0;
	int nf = 0;

	for (;;) {
		int q;
		size_t start = k;
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		q = i < n && s[i] == '"';
		if (nf < MAX_FIELDS)
			f[nf] = pool + k;
		i += (size_t)q;
		while (i < n) {
			if (q && s[i] == '"') {
				if (i + 1 < n && s[i + 1] == '"') {
					pool[k++] = '"';
					i += 2;
					continue;
				}
				q = 0;
				i++;
				continue;
			}
			if (!q && s[i] == ',')
				break;
			pool[k++] = s[i++];
		}
		if (q)
			return -1;
		/* trim blanks an editor left around a value */
		while (k > start && (pool[k - 1] == ' ' || pool[k - 1] == '\t'))
			k--;
		pool[k++] = '\0';
		nf += nf < MAX_FIELDS;
		if (i >= n)
			return nf;
		i++; /* the comma */
	}
}

static int64_t day_of(const char *s, int *bad)
{
	int y, m, d;
	int64_t t;
	if (!*s)
		return CG_TIME_NONE;
	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
	    cg_fv_civil(y, m, d, 0, 0, 0, 0, &t) != 0) {
		*bad = 1;
		return CG_TIME_NONE;
	}
	return t;
}

static int one_of(const char *s, const char *const *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, set[i]) == 0)
			return 1;
	return 0;
}

/* Checks and stores one data row; 1 when it is bad (reported). */
static int add_row(struct cg_winrels *rs, char **f, int nf, const int *map, char *pool,
                   const char *src, uint32_t line, struct cg_diags *d)
{
	struct cg_winrel r;
	const char *v[C__N];
	unsigned long b;
	char *end;
	int bad = 0;

	for (int c = 0; c < C__N; c++)
		v[c] = map[c] < nf ? f[map[c]] : "";
	b = strtoul(v[C_BUILD], &end, 10);
	memset(&r, 0, sizeof(r));
	r.family = v[C_FAMILY];
	r.version = v[C_VERSION];
	r.channel = v[C_CHANNEL];
	r.editions = v[C_EDITIONS];
	r.msrc_name = v[C_MSRC];
	r.build = (uint32_t)b;
	r.line = line;
	r.ga = day_of(v[C_GA], &bad);
	r.mainstream_end = day_of(v[C_MAIN], &bad);
	r.end = day_of(v[C_END], &bad);
	r.esu_end = day_of(v[C_ESU], &bad);
	if (!*r.family || !*v[C_BUILD] || *end || b == 0 || b > 999999 ||
	    !one_of(r.channel, channels, 4) || !one_of(r.editions, editions, 3) ||
	    r.end == CG_TIME_NONE || bad) {
		cg_diags_add(d, CG_EPARSE, src, line, 0,
		             CG_MSG("dòng không hợp lệ (cần family, build là số, channel "
		                    "client/server/ltsc/iot-ltsc, editions home-pro/ent-edu/all, "
		                    "ngày YYYY-MM-DD, end bắt buộc); bỏ qua",
		                    "invalid row (needs family, a numeric build, channel "
		                    "client/server/ltsc/iot-ltsc, editions home-pro/ent-edu/all, "
		                    "dates YYYY-MM-DD, end required); skipped"));
		return 1;
	}
	if ((bad = cg_grow((void **)&rs->v, &rs->cap, rs->n + 1, sizeof(*rs->v),
	                   CG_MAX_WINREL_ROWS)) != 0)
		return bad;
	rs->v[rs->n].r = r;
	rs->v[rs->n++].pool = pool;
	return 0;
}

/* Maps header names to field positions; CG_EPARSE when one is missing. */
static int header(char **f, int nf, int *map, const char *src, uint32_t line, struct cg_diags *d)
{
	for (int c = 0; c < C__N; c++) {
		map[c] = -1;
		for (int i = 0; i < nf; i++)
			if (strcmp(f[i], colnames[c]) == 0)
				map[c] = i;
		if (map[c] < 0)
			return cg_diags_add(d, CG_EPARSE, src, line, 0,
			                    CG_MSG("thiếu cột \"%s\" ở dòng tiêu đề",
			                           "the header has no \"%s\" column"),
			                    colnames[c]);
	}
	return 0;
}

/* A line of only blanks and commas (a spreadsheet's empty row). The input is not
 * NUL-terminated. */
static int blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != ',')
			return 0;
	return 1;
}

static int parse_lines(struct cg_winrels *rs, const char *s, size_t len, const char *src,
                       struct cg_diags *d)
{
	int map[C__N], have_header = 0, rc = 0;
	uint32_t line = 0;

	for (size_t pos = 0; pos < len && rc >= 0;) {
		const char *p = s + pos, *nl = memchr(p, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - p) : len - pos;
		char *f[MAX_FIELDS], *pool;
		int nf;

		pos += n + 1;
		line++;
		if (n && p[n - 1] == '\r')
			n--;
		if (line == 1 && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
			p += 3;
			n -= 3;
		}
		if (n == 0 || p[0] == '#' || blank(p, n))
			continue;
		/* every byte once, plus a NUL per field (at most one per byte, and one) */
		if (!(pool = cg_malloc(2 * n + 2)))
			return CG_ENOMEM;
		nf = split(p, n, pool, f);
		if (nf < 0) {
			cg_free(pool);
			cg_diags_add(d, CG_EPARSE, src, line, 0,
			             CG_MSG("dấu ngoặc kép không đóng", "unterminated quote"));
			continue;
		}
		if (!have_header) {
			rc = header(f, nf, map, src, line, d);
			cg_free(pool);
			have_header = 1;
			continue;
		}
		rc = add_row(rs, f, nf, map, pool, src, line, d);
		if (rc != 0)
			cg_free(pool);
		if (rc == CG_ELIMIT)
			rc = cg_diags_add(d, CG_ELIMIT, src, line, 0,
			                  CG_MSG("quá %d dòng", "more than %d rows"),
			                  CG_MAX_WINREL_ROWS);
	}
	if (rc < 0)
		return rc;
	if (!have_header || rs->n == 0)
		return cg_diags_add(d, CG_EPARSE, src, 0, 0,
		                    CG_MSG("không có dòng phiên bản Windows nào dùng được",
		                           "no usable Windows release row"));
	return 0;
}

int cg_winrels_parse(const uint8_t *buf, size_t len, const char *source, struct cg_winrels **out,
                     struct cg_diags *d)
{
	const char *src = source ? source : "?";
	struct cg_winrels *rs;
	int rc;

	*out = NULL;
	if (len > CG_MAX_WINREL_FILE)
		return cg_diags_add(d, CG_ELIMIT, src, 0, 0,
		                    CG_MSG("tệp lớn hơn %lu byte", "file larger than %lu bytes"),
		                    (unsigned long)CG_MAX_WINREL_FILE);
	if (!(rs = cg_calloc(1, sizeof(*rs))))
		return CG_ENOMEM;
	rc = parse_lines(rs, (const char *)buf, len, src, d);
	if (rc) {
		cg_winrels_free(rs);
		return rc;
	}
	*out = rs;
	return 0;
}

void cg_winrels_free(struct cg_winrels *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->n; i++)
		cg_free(rs->v[i].pool);
	cg_free(rs->v);
	cg_free(rs);
}

size_t cg_winrels_count(const struct cg_winrels *rs)
{
	return rs ? rs->n : 0;
}

const struct cg_winrel *cg_winrels_get(const struct cg_winrels *rs, size_t i)
{
	return rs && i < rs->n ? &rs->v[i].r : NULL;
}

static int has_ci(const char *s, const char *w)
{
	size_t n = strlen(w);
	for (; s && *s; s++)
		if (strncasecmp(s, w, n) == 0)
			return 1;
	return 0;
}

int cg_winrel_is_server(const char *name, const char *edition)
{
	return has_ci(name, "Server") || (edition && strncasecmp(edition, "Server", 6) == 0);
}

/* client, server, ltsc or iot-ltsc. EditionID "EnterpriseS", "EnterpriseSN", "IoTEnterpriseS"
 * are the LTSC editions. */
static const char *channel_of(const char *name, const char *ed)
{
	size_t el = ed ? strlen(ed) : 0;
	int ltsc_ed = el > 1 && has_ci(ed, "EnterpriseS") &&
	              (ed[el - 1] == 'S' || (el > 2 && ed[el - 2] == 'S' && ed[el - 1] == 'N'));
	int iot = has_ci(name, "IoT") || has_ci(ed, "IoT");

	if (cg_winrel_is_server(name, ed))
		return "server";
	if (ltsc_ed || has_ci(name, "LTSC") || has_ci(name, "LTSB"))
		return iot ? "iot-ltsc" : "ltsc";
	return "client";
}

static const char *editions_of(const char *name, const char *ed)
{
	const char *s = ed && *ed ? ed : name;
	if (has_ci(s, "ProEducation") || has_ci(s, "ProfessionalEducation") ||
	    has_ci(s, "Pro Education"))
		return "home-pro";
	if (has_ci(s, "Enterprise") || has_ci(s, "Education"))
		return "ent-edu";
	return "home-pro";
}

static const struct cg_winrel *pick(const struct cg_winrels *rs, const char *ch, const char *eds,
                                    uint32_t build)
{
	const struct cg_winrel *any = NULL;
	for (size_t i = 0; i < rs->n; i++) {
		const struct cg_winrel *r = &rs->v[i].r;
		if (r->build != build || strcmp(r->channel, ch) != 0)
			continue;
		if (strcmp(r->editions, eds) == 0)
			return r;
		if (!any && strcmp(r->editions, "all") == 0)
			any = r;
	}
	return any;
}

const struct cg_winrel *cg_winrels_find(const struct cg_winrels *rs, const char *product_name,
                                        const char *edition_id, uint32_t build)
{
	const char *ch, *eds;
	const struct cg_winrel *r;

	if (!rs || !build)
		return NULL;
	ch = channel_of(product_name ? product_name : "", edition_id);
	eds = editions_of(product_name ? product_name : "", edition_id);
	r = pick(rs, ch, eds, build);
	if (!r && strcmp(ch, "iot-ltsc") == 0)
		r = pick(rs, "ltsc", eds, build);
	return r;
}

const char *cg_winrel_status_name(enum cg_winrel_status s)
{
	static const char *const n[] = {"supported", "mainstream-ended", "esu", "ended"};
	return (unsigned)s < 4 ? n[s] : "?";
}

static void dmy(int64_t t, char out[16])
{
	int y, m, d;
	cg_fv_to_civil(t, 0, &y, &m, &d);
	snprintf(out, 16, "%02d/%02d/%04d", d % 100, m % 100, y % 10000);
}

void cg_winrel_support(const struct cg_winrel *r, int64_t now, struct cg_winrel_support *out)
{
	/* a phase includes its last day: it ends at the start of the next one */
	const int64_t day = 86400;
	char a[16], b[16];
	char name[160];

	memset(out, 0, sizeof(*out));
	snprintf(name, sizeof(name), "%s%s%s (%u)", r->family, r->version[0] ? " " : "", r->version,
	         r->build);
	dmy(r->end, a);
	if (r->mainstream_end != CG_TIME_NONE && now < r->mainstream_end + day) {
		out->status = CG_WINREL_SUPPORTED;
		out->until = r->mainstream_end;
	} else if (now < r->end + day) {
		out->status = r->mainstream_end != CG_TIME_NONE ? CG_WINREL_MAINSTREAM_ENDED
		                                                : CG_WINREL_SUPPORTED;
		out->until = r->end;
	} else if (r->esu_end != CG_TIME_NONE && now < r->esu_end + day) {
		out->status = CG_WINREL_ESU;
		out->until = r->esu_end;
	} else {
		out->status = CG_WINREL_ENDED;
		out->until = r->esu_end != CG_TIME_NONE ? r->esu_end : r->end;
	}
	dmy(out->until, b);
	switch (out->status) {
	case CG_WINREL_SUPPORTED:
		snprintf(out->explain_vi, sizeof(out->explain_vi), "%s còn được hỗ trợ đến %s",
		         name, b);
		snprintf(out->explain_en, sizeof(out->explain_en), "%s is supported until %s", name,
		         b);
		break;
	case CG_WINREL_MAINSTREAM_ENDED:
		snprintf(out->explain_vi, sizeof(out->explain_vi),
		         "%s đã hết hỗ trợ chính; chỉ còn bản vá bảo mật đến %s", name, b);
		snprintf(out->explain_en, sizeof(out->explain_en),
		         "%s is past mainstream support; security updates only until %s", name, b);
		break;
	case CG_WINREL_ESU:
		snprintf(out->explain_vi, sizeof(out->explain_vi),
		         "%s đã hết hỗ trợ sau ngày %s; chỉ còn bản vá nếu đã mua gói ESU (đến %s)",
		         name, a, b);
		snprintf(
		    out->explain_en, sizeof(out->explain_en),
		    "%s is out of support after %s; security updates only with paid ESU (until "
		    "%s)",
		    name, a, b);
		break;
	case CG_WINREL_ENDED:
		snprintf(out->explain_vi, sizeof(out->explain_vi),
		         "%s đã hết hỗ trợ (%s): không còn bản vá bảo mật, cần nâng cấp", name, b);
		snprintf(out->explain_en, sizeof(out->explain_en),
		         "%s is out of support (%s): no more security updates, upgrade it", name,
		         b);
		break;
	}
}

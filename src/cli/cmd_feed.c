/* cmd_feed.c - `canhgac feed list|show|remove` and the option handling of `canhgac feed`;
 * `feed import` is in feed_import.c. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/event.h"
#include "canhgac/feedstore.h"
#include "canhgac/timeutil.h"
#include "cli.h"
#include "cli_units.h"
#include "feed_cli.h"
#include "banned.h"

enum {
	OPT_KIND = OPT_COMMON_LAST,
	OPT_LIST,
	OPT_COLUMNS,
	OPT_FORMAT,
	OPT_STRICT,
	OPT_RECEIVED,
	OPT_ALL,
	OPT_ENTRIES,
	OPT_LIMIT
};

static const struct option f_opts[] = {
    CG_COMMON_LONGOPTS,
    {"kind", required_argument, NULL, OPT_KIND},
    {"list", required_argument, NULL, OPT_LIST},
    {"columns", required_argument, NULL, OPT_COLUMNS},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"strict", no_argument, NULL, OPT_STRICT},
    {"received", required_argument, NULL, OPT_RECEIVED},
    {"all", no_argument, NULL, OPT_ALL},
    {"entries", no_argument, NULL, OPT_ENTRIES},
    {"limit", required_argument, NULL, OPT_LIMIT},
    {NULL, 0, NULL, 0},
};

int cg_feed_cli_open(struct cg_cli *c, struct cg_feedstore **s)
{
	char path[4200];
	int rc = cg_cli_data_dir(c);
	if (rc)
		return rc;
	rc = cg_cli_path(c, "feeds.db", path, sizeof(path));
	if (rc == 0)
		rc = cg_feedstore_open_sqlite(path, s);
	if (rc)
		cg_cli_err(cg_tr("không mở được kho nguồn tin %s: %s",
		                 "cannot open the feed store %s: %s"),
		           path, cg_strerror(rc));
	return rc;
}

void cg_feed_cli_date(char out[32], int64_t t)
{
	cg_time_human(out, t * 1000, CG_FEED_TZ_OFFSET / 60);
	out[10] = '\0';
}

void cg_feed_cli_datetime(char out[32], int64_t t)
{
	cg_time_human(out, t * 1000, CG_FEED_TZ_OFFSET / 60);
	out[16] = '\0';
}

void cg_feed_cli_iso(char out[32], int64_t t)
{
	char tmp[32];
	if (cg_time_iso8601_ms(tmp, t * 1000) != 0) {
		out[0] = '\0';
		return;
	}
	/* whole seconds: drop ".mmm" */
	memcpy(out, tmp, 19);
	out[19] = 'Z';
	out[20] = '\0';
}

json_t *cg_feed_cli_record_json(const struct cg_feed_record *r)
{
	char rec[32], imp[32];
	cg_feed_cli_iso(rec, r->received);
	cg_feed_cli_iso(imp, r->imported);
	return json_pack(
	    "{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:o,s:b,s:s}", "id",
	    (json_int_t)r->id, "list", r->list, "kind", cg_feed_kind_name(r->kind), "format",
	    cg_feed_format_name(r->format), "format_detail", r->format_detail, "source", r->source,
	    "sha256", r->sha256, "received", rec, "imported", imp, "rows_total",
	    (json_int_t)r->rows_total, "rows_bad", (json_int_t)r->rows_bad, "rows_skipped",
	    (json_int_t)r->rows_skipped, "entries", (json_int_t)r->nentries, "advisories",
	    (json_int_t)r->nadvisories, "superseded_by",
	    r->superseded_by ? json_integer(r->superseded_by) : json_null(), "current",
	    r->superseded_by == 0, "columns", r->columns);
}

void cg_feed_cli_print_json(json_t *o)
{
	char *t = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	if (t)
		printf("%s\n", t);
	free(t);
	json_decref(o);
}

/* Prints s left-aligned in `width` columns, counting UTF-8 characters rather than bytes; a
 * longer text is cut to width - 2 characters and "~" so that the columns stay aligned. */
static void pad(const char *s, int width)
{
	int n = 0;
	const unsigned char *p = (const unsigned char *)s;
	for (; *p; p++) {
		if ((*p & 0xC0) == 0x80)
			continue;
		if (n == width - 2 && strlen((const char *)p) > 1) {
			int rest = 0;
			for (const unsigned char *q = p; *q; q++)
				rest += (*q & 0xC0) != 0x80;
			if (n + rest >= width)
				break;
		}
		n++;
	}
	fwrite(s, 1, (size_t)(p - (const unsigned char *)s), stdout);
	if (*p) {
		fputc('~', stdout);
		n++;
	}
	for (; n < width; n++)
		fputc(' ', stdout);
}

static const char *status_text(const struct cg_feed_record *r, char *buf, size_t cap)
{
	if (!r->superseded_by)
		return cg_tr("hiện hành", "current");
	snprintf(buf, cap, cg_tr("bị thay bởi #%" PRId64, "superseded by #%" PRId64),
	         r->superseded_by);
	return buf;
}

static int f_list(struct cg_cli *c, const struct feed_opts *o)
{
	struct cg_feedstore *s = NULL;
	struct cg_feed_record *v = NULL;
	size_t n = 0;
	int rc;

	if (cg_feed_cli_open(c, &s))
		return CG_EXIT_ERROR;
	rc = cg_feedstore_list(s, o->all, &v, &n);
	if (rc) {
		cg_cli_err(
		    cg_tr("không đọc được kho nguồn tin: %s", "cannot read the feed store: %s"),
		    cg_strerror(rc));
		cg_feedstore_close(s);
		return CG_EXIT_ERROR;
	}
	if (c->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, cg_feed_cli_record_json(&v[i]));
		cg_feed_cli_print_json(json_pack("{s:o}", "feeds", arr));
	} else if (n == 0) {
		printf("%s\n", cg_tr("Chưa có nguồn tin nào. Nhập bằng: canhgac feed import TỆP "
		                     "--kind botnet|ioc|advisory",
		                     "No feeds yet. Import one with: canhgac feed import FILE "
		                     "--kind botnet|ioc|advisory"));
	} else {
		pad("ID", 7);
		pad(cg_tr("DANH SÁCH", "LIST"), 25);
		pad(cg_tr("LOẠI", "KIND"), 10);
		pad(cg_tr("SỐ MỤC", "ENTRIES"), 11);
		pad(cg_tr("NGÀY NHẬN", "RECEIVED"), 12);
		pad(cg_tr("NHẬP LÚC", "IMPORTED"), 18);
		printf("%s\n", cg_tr("TRẠNG THÁI", "STATUS"));
		for (size_t i = 0; i < n; i++) {
			char id[32], cnt[32], rd[32], im[32], st[64];
			snprintf(id, sizeof(id), "%" PRId64, v[i].id);
			snprintf(cnt, sizeof(cnt), "%" PRIu64,
			         v[i].kind == CG_FEED_ADVISORY ? v[i].nadvisories : v[i].nentries);
			cg_feed_cli_date(rd, v[i].received);
			cg_feed_cli_datetime(im, v[i].imported);
			pad(id, 7);
			pad(v[i].list, 25);
			pad(cg_feed_kind_name(v[i].kind), 10);
			pad(cnt, 11);
			pad(rd, 12);
			pad(im, 18);
			printf("%s\n", status_text(&v[i], st, sizeof(st)));
		}
	}
	free(v);
	cg_feedstore_close(s);
	return CG_EXIT_OK;
}

static void label(const char *s)
{
	pad(s, 18);
}

static void print_record(const struct cg_feed_record *r)
{
	char rd[32], im[32], st[64];
	cg_feed_cli_date(rd, r->received);
	cg_feed_cli_datetime(im, r->imported);
	label(cg_tr("Nguồn tin", "Feed"));
	printf("#%" PRId64 "\n", r->id);
	label(cg_tr("Danh sách", "List"));
	printf("%s\n", r->list);
	label(cg_tr("Loại", "Kind"));
	printf("%s\n", cg_feed_kind_name(r->kind));
	label(cg_tr("Định dạng", "Format"));
	printf("%s%s%s%s\n", cg_feed_format_name(r->format), r->format_detail[0] ? " (" : "",
	       r->format_detail, r->format_detail[0] ? ")" : "");
	if (r->columns[0]) {
		label(cg_tr("Cột", "Columns"));
		printf("%s\n", r->columns);
	}
	label(cg_tr("Tệp nguồn", "Source file"));
	printf("%s\n", r->source);
	label("SHA-256");
	printf("%s\n", r->sha256);
	label(cg_tr("Ngày nhận", "Received"));
	printf("%s\n", rd);
	label(cg_tr("Nhập lúc", "Imported"));
	printf("%s\n", im);
	label(cg_tr("Dòng tốt/lỗi/bỏ", "Rows ok/bad/skip"));
	printf("%" PRIu64 " / %" PRIu64 " / %" PRIu64 "\n", r->rows_total - r->rows_bad,
	       r->rows_bad, r->rows_skipped);
	label(cg_tr("Số mục", "Entries"));
	printf("%" PRIu64 "\n", r->kind == CG_FEED_ADVISORY ? r->nadvisories : r->nentries);
	label(cg_tr("Trạng thái", "Status"));
	printf("%s\n", status_text(r, st, sizeof(st)));
}

struct show_state {
	int json;
	unsigned long limit, n;
};

static json_t *entry_json(const struct cg_feed_entry *e)
{
	char t[32];
	json_t *o = json_pack("{s:I,s:s,s:s}", "line", (json_int_t)e->line, "type",
	                      cg_ioc_type_name(e->type), "value", e->value);
	if (!o)
		return NULL;
	if (e->where[0])
		json_object_set_new(o, "where", json_string(e->where));
	if (e->port)
		json_object_set_new(o, "port", json_integer(e->port));
	if (e->time != CG_TIME_NONE) {
		cg_feed_cli_iso(t, e->time);
		json_object_set_new(o, "time", json_string(t));
	}
	if (e->family)
		json_object_set_new(o, "family", json_string(e->family));
	if (e->extra) {
		json_t *x = json_loads(e->extra, 0, NULL);
		json_object_set_new(o, "extra", x ? x : json_string(e->extra));
	}
	return o;
}

static int show_entry(const struct cg_feed_record *rec, const struct cg_feed_entry *e, void *arg)
{
	struct show_state *st = arg;
	(void)rec;
	if (st->limit && st->n >= st->limit)
		return 1;
	if (st->json) {
		json_t *o = entry_json(e);
		char *t = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
		printf("%s%s", st->n ? "," : "", t ? t : "null");
		free(t);
		json_decref(o);
	} else {
		char tm[32] = "-";
		if (e->time != CG_TIME_NONE)
			cg_feed_cli_datetime(tm, e->time);
		printf("%-8" PRIu32 " %-7s %-40s %5u  %-16s  %s  %s\n", e->line,
		       cg_ioc_type_name(e->type), e->value, (unsigned)e->port, tm,
		       e->family ? e->family : "-", e->extra ? e->extra : "");
	}
	st->n++;
	return 0;
}

static int show_adv(const struct cg_feed_record *rec, const struct cg_advisory *a, void *arg)
{
	struct show_state *st = arg;
	(void)rec;
	if (st->limit && st->n >= st->limit)
		return 1;
	if (st->json) {
		json_t *o =
		    json_pack("{s:I,s:s,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s*,s:s*,s:s*}", "line",
		              (json_int_t)a->line, "id", a->id, "ecosystem", a->ecosystem,
		              "package", a->package, "product", a->product, "vendor", a->vendor,
		              "affected", a->affected_text, "fixed", a->fixed_text, "kbs", a->kbs,
		              "fixed_build", a->fixed_build, "supersedes", a->supersedes);
		char *t = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
		printf("%s%s", st->n ? "," : "", t ? t : "null");
		free(t);
		json_decref(o);
	} else {
		printf("%-8" PRIu32 " %-20s %-24s %s%s%s\n", a->line, a->id,
		       a->package   ? a->package
		       : a->product ? a->product
		                    : "-",
		       a->ecosystem ? a->ecosystem : "", a->fixed_text ? "  " : "",
		       a->fixed_text ? a->fixed_text : "");
	}
	st->n++;
	return 0;
}

static int f_show(struct cg_cli *c, const struct feed_opts *o, const char *ref)
{
	struct cg_feedstore *s = NULL;
	struct cg_feed_record r;
	struct show_state st = {c->json, o->limit, 0};
	int rc;

	if (cg_feed_cli_open(c, &s))
		return CG_EXIT_ERROR;
	rc = cg_feedstore_find(s, ref, &r);
	if (rc) {
		cg_cli_err(cg_tr("nguồn tin '%s': %s", "feed '%s': %s"), ref, cg_strerror(rc));
		cg_feedstore_close(s);
		return CG_EXIT_ERROR;
	}
	if (c->json) {
		json_t *j = cg_feed_cli_record_json(&r);
		char *t = j ? json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
		printf("{\"feed\":%s", t ? t : "null");
		free(t);
		json_decref(j);
		if (o->entries)
			printf(",\"%s\":[", r.kind == CG_FEED_ADVISORY ? "advisories" : "entries");
	} else {
		print_record(&r);
		if (o->entries)
			printf("\n");
	}
	if (o->entries && r.kind == CG_FEED_ADVISORY)
		rc = cg_feedstore_advisories(s, r.id, show_adv, &st);
	else if (o->entries)
		rc = cg_feedstore_entries(s, r.id, show_entry, &st);
	if (c->json)
		printf("%s}\n", o->entries ? "]" : "");
	cg_feedstore_close(s);
	if (rc < 0) {
		cg_cli_err(
		    cg_tr("không đọc được kho nguồn tin: %s", "cannot read the feed store: %s"),
		    cg_strerror(rc));
		return CG_EXIT_ERROR;
	}
	return CG_EXIT_OK;
}

static int f_remove(struct cg_cli *c, const char *ref)
{
	struct cg_feedstore *s = NULL;
	struct cg_feed_record r, now;
	char *end;
	long long id = strtoll(ref, &end, 10);
	int rc;

	if (*ref < '0' || *ref > '9' || *end || id <= 0) {
		cg_cli_err(
		    cg_tr("feed remove: cần mã số nguồn tin (xem canhgac feed list), nhận được "
		          "'%s'",
		          "feed remove: needs a feed id (see canhgac feed list), got '%s'"),
		    ref);
		return CG_EXIT_ERROR;
	}
	if (cg_feed_cli_open(c, &s))
		return CG_EXIT_ERROR;
	rc = cg_feedstore_find(s, ref, &r);
	if (rc == 0)
		rc = cg_feedstore_remove(s, id);
	if (rc) {
		cg_cli_err(
		    cg_tr("không xóa được nguồn tin #%lld: %s", "cannot remove feed #%lld: %s"), id,
		    cg_strerror(rc));
		cg_feedstore_close(s);
		return CG_EXIT_ERROR;
	}
	if (c->json) {
		json_t *j = json_pack("{s:I,s:s,s:o}", "removed", (json_int_t)id, "list", r.list,
		                      "current", json_null());
		if (j && cg_feedstore_find(s, r.list, &now) == 0)
			json_object_set_new(j, "current", json_integer(now.id));
		cg_feed_cli_print_json(j);
	} else {
		printf(cg_tr("Đã xóa nguồn tin #%lld (danh sách '%s').\n",
		             "Removed feed #%lld (list '%s').\n"),
		       id, r.list);
		if (!r.superseded_by && cg_feedstore_find(s, r.list, &now) == 0)
			printf(cg_tr("Nguồn tin #%" PRId64
			             " của danh sách này trở lại hiện hành.\n",
			             "Feed #%" PRId64 " of this list is current again.\n"),
			       now.id);
	}
	cg_feedstore_close(s);
	return CG_EXIT_OK;
}

/* DD/MM/YYYY as the start of that day in Vietnam time, UTC seconds. */
static int parse_date(const char *s, int64_t *out)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	unsigned d, m, y;
	char tail;
	int64_t yy, era, yoe, doy, doe;

	if (sscanf(s, "%2u/%2u/%4u%c", &d, &m, &y, &tail) != 3 || y < 1970 || y > 9999 || m < 1 ||
	    m > 12 || d < 1 || (int)d > mdays[m - 1])
		return -1;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return -1;
	/* days from civil (Howard Hinnant) */
	yy = (int64_t)y - (m <= 2);
	era = yy / 400;
	yoe = yy - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	*out = (era * 146097 + doe - 719468) * 86400 - CG_FEED_TZ_OFFSET;
	return 0;
}

static int set_opt(struct feed_opts *o, int opt, const char *arg)
{
	char *end;
	switch (opt) {
	case OPT_KIND:
		o->kind = cg_feed_kind_parse(arg);
		return o->kind > 0 ? 0 : -1;
	case OPT_LIST:
		o->list = arg;
		return 0;
	case OPT_COLUMNS:
		o->columns = arg;
		return 0;
	case OPT_FORMAT:
		o->format = cg_feed_format_parse(arg);
		return o->format >= 0 ? 0 : -1;
	case OPT_STRICT:
		o->strict = 1;
		return 0;
	case OPT_RECEIVED:
		return parse_date(arg, &o->received);
	case OPT_ALL:
		o->all = 1;
		return 0;
	case OPT_ENTRIES:
		o->entries = 1;
		return 0;
	case OPT_LIMIT:
		o->limit = strtoul(arg, &end, 10);
		return *arg >= '0' && *arg <= '9' && !*end ? 0 : -1;
	default:
		return -2;
	}
}

static int parse_opts(struct cg_cli *c, struct feed_opts *o, int argc, char **argv)
{
	int opt;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", f_opts, NULL)) != -1) {
		int h = cg_cli_common_opt(c, opt, optarg, "feed"), r;
		if (h == 2 || h < 0)
			return h;
		if (h == 0)
			continue;
		r = set_opt(o, opt, optarg);
		if (r == -1) {
			cg_cli_err(cg_tr("giá trị không hợp lệ cho %s: '%s'",
			                 "invalid value for %s: '%s'"),
			           argv[optind - 1], optarg);
			cg_cli_usage_hint("feed");
			return -1;
		}
		if (r == -2) {
			cg_cli_err(cg_tr("tùy chọn không hợp lệ '%s'", "invalid option '%s'"),
			           argv[optind - 1]);
			cg_cli_usage_hint("feed");
			return -1;
		}
	}
	return 0;
}

int cg_cmd_feed(struct cg_cli *c, int argc, char **argv)
{
	struct feed_opts o;
	const char *sub;
	int h;

	/* the round trip has options of its own */
	if (argc > 1 && strcmp(argv[1], "split") == 0)
		return cg_cmd_feed_split(c, argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "merge-replies") == 0)
		return cg_cmd_feed_merge_replies(c, argc - 1, argv + 1);
	memset(&o, 0, sizeof(o));
	o.format = CG_FMT_AUTO;
	o.received = CG_TIME_NONE;
	h = parse_opts(c, &o, argc, argv);
	if (h)
		return h == 2 ? CG_EXIT_OK : CG_EXIT_ERROR;
	sub = optind < argc ? argv[optind++] : NULL;
	if (sub && strcmp(sub, "import") == 0)
		return cg_feed_cli_import(c, &o, argv + optind, argc - optind);
	if (sub && strcmp(sub, "list") == 0 && optind == argc)
		return f_list(c, &o);
	if (sub && strcmp(sub, "show") == 0 && optind + 1 == argc)
		return f_show(c, &o, argv[optind]);
	if (sub && strcmp(sub, "remove") == 0 && optind + 1 == argc)
		return f_remove(c, argv[optind]);
	cg_cli_err("%s",
	           cg_tr("cần: feed import TỆP... | feed list | feed show ID|DANH_SÁCH | feed "
	                 "remove ID | feed split | feed merge-replies",
	                 "expected: feed import FILE... | feed list | feed show ID|LIST | feed "
	                 "remove ID | feed split | feed merge-replies"));
	cg_cli_usage_hint("feed");
	return CG_EXIT_ERROR;
}

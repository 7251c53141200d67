/* cmd_feed_roundtrip.c - `canhgac feed split FEED --units FILE --out DIR` (one XLSX per unit to
 * fill in) and `canhgac feed merge-replies DIR --units FILE --out FILE.xlsx [--csv FILE.csv]`
 * (the Department's consolidated report). cmd_feed.c dispatches here with argv[0] the
 * subcommand name. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/sys.h"
#include "cli_units.h"
#include "rt_out.h"
#include "banned.h"

enum { OPT_UNITS = OPT_COMMON_LAST, OPT_OUT, OPT_CSV, OPT_FEED, OPT_DEADLINE, OPT_REPLY_TO };

static const struct option rt_opts[] = {
    CG_COMMON_LONGOPTS,
    {"units", required_argument, NULL, OPT_UNITS},
    {"out", required_argument, NULL, OPT_OUT},
    {"csv", required_argument, NULL, OPT_CSV},
    {"feed", required_argument, NULL, OPT_FEED},
    {"deadline", required_argument, NULL, OPT_DEADLINE},
    {"reply-to", required_argument, NULL, OPT_REPLY_TO},
    {NULL, 0, NULL, 0},
};

struct rt_args {
	const char *units, *out, *csv, *feed, *deadline, *reply_to, *pos;
};

static int parse_args(struct cg_cli *c, int argc, char **argv, struct rt_args *a)
{
	int opt;
	memset(a, 0, sizeof(*a));
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", rt_opts, NULL)) != -1) {
		int h = cg_cli_common_opt(c, opt, optarg, "feed");
		if (h == 2)
			return 1;
		if (h < 0)
			return -1;
		if (h == 0)
			continue;
		if (opt == OPT_UNITS)
			a->units = optarg;
		else if (opt == OPT_OUT)
			a->out = optarg;
		else if (opt == OPT_CSV)
			a->csv = optarg;
		else if (opt == OPT_FEED)
			a->feed = optarg;
		else if (opt == OPT_DEADLINE)
			a->deadline = optarg;
		else if (opt == OPT_REPLY_TO)
			a->reply_to = optarg;
		else {
			cg_cli_err(cg_tr("tùy chọn không hợp lệ '%s'", "invalid option '%s'"),
			           argv[optind - 1]);
			return -1;
		}
	}
	a->pos = optind < argc ? argv[optind] : NULL;
	if (!a->units || !a->out || !a->pos || optind + 1 < argc) {
		cg_cli_err("%s",
		           cg_tr("cần: feed split DANH_SÁCH --units TỆP --out THƯ_MỤC, hoặc feed "
		                 "merge-replies THƯ_MỤC --units TỆP --out TỆP.xlsx",
		                 "usage: feed split FEED --units FILE --out DIR, or feed "
		                 "merge-replies DIR --units FILE --out FILE.xlsx"));
		cg_cli_usage_hint("feed");
		return -1;
	}
	return 0;
}

/* Loads the rows of one feed (id or list name) and plans them per unit now answering. */
static int load_plan(struct cg_cli *c, const char *ref, const struct cg_units *u,
                     struct cg_feed_record *rec, struct cg_cli_rows *rows, struct cg_rt_plan *p)
{
	struct cg_feedstore *s = NULL;
	int rc = cg_cli_open_feeds(c, &s);
	if (rc)
		return rc;
	rc = cg_feedstore_find(s, ref, rec);
	if (rc)
		cg_cli_err(cg_tr("không có danh sách '%s': %s", "no feed '%s': %s"), ref,
		           cg_strerror(rc));
	if (!rc && (rc = cg_cli_rows_load(s, rec->id, NULL, rows)))
		cg_cli_err(cg_tr("không đọc được danh sách '%s': %s", "cannot read feed '%s': %s"),
		           ref, cg_strerror(rc));
	if (!rc)
		rc = cg_rt_plan_build(u, rows->v, rows->n, rec->received, CG_RT_BY_CURRENT,
		                      CG_RT_ORDER_TREE, p);
	cg_feedstore_close(s);
	return rc;
}

static int split(struct cg_cli *c, const struct rt_args *a)
{
	struct cg_units *u = NULL;
	struct cg_feed_record rec;
	struct cg_cli_rows rows;
	struct cg_rt_plan p;
	char date[32], path[4200];
	size_t written = 0, nrows = 0;
	int rc, ex = CG_EXIT_ERROR;

	memset(&rows, 0, sizeof(rows));
	memset(&p, 0, sizeof(p));
	if (cg_cli_load_units(a->units, &u) || load_plan(c, a->pos, u, &rec, &rows, &p))
		goto out;
	if ((rc = cg_mkdir_p(a->out, 0755))) {
		cg_cli_err(
		    cg_tr("không tạo được thư mục '%s': %s", "cannot create directory '%s': %s"),
		    a->out, cg_strerror(rc));
		goto out;
	}
	cg_rt_time_text(rec.received, CG_UNITS_TZ_VN, date);
	date[10] = '\0';
	for (size_t i = 0; i < p.ngroups; i++) {
		struct cg_rt_split_info si = {rec.id, rec.list, date, a->deadline, a->reply_to};
		snprintf(path, sizeof(path), "%s/%s.xlsx", a->out, p.groups[i].unit->code);
		if ((rc = cg_rt_write_unit_xlsx(path, p.groups[i].unit, &p.groups[i], rows.v,
		                                &si))) {
			cg_cli_err(cg_tr("không ghi được '%s': %s", "cannot write '%s': %s"), path,
			           cg_strerror(rc));
			goto out;
		}
		written++;
		nrows += p.groups[i].n;
	}
	if (!c->quiet)
		printf(
		    cg_tr("Đã ghi %zu tệp (một tệp mỗi đơn vị) vào %s: %zu/%zu dòng; %zu dòng "
		          "không thuộc đơn vị nào.\n",
		          "Wrote %zu files (one per unit) to %s: %zu/%zu rows; %zu rows belong to "
		          "no unit.\n"),
		    written, a->out, nrows, rows.n, p.unattributed);
	ex = CG_EXIT_OK;
out:
	cg_rt_plan_clear(&p);
	cg_cli_rows_clear(&rows);
	cg_units_free(u);
	return ex;
}

int cg_cmd_feed_split(struct cg_cli *c, int argc, char **argv)
{
	struct rt_args a;
	int rc = parse_args(c, argc, argv, &a);
	if (rc)
		return rc > 0 ? CG_EXIT_OK : CG_EXIT_ERROR;
	return split(c, &a);
}

struct replies {
	struct cg_reply **v;
	size_t n, cap;
	size_t unreadable;
};

/* 1 when name is one of the CSV files written next to the summary CSV base_csv. */
static int report_csv(const char *name, const char *base_csv)
{
	size_t n = strlen(base_csv);
	if (n > 4 && strcmp(base_csv + n - 4, ".csv") == 0)
		n -= 4;
	if (!n || strncmp(name, base_csv, n) != 0)
		return 0;
	for (size_t i = 0; cg_rt_csv_suffixes[i]; i++) {
		size_t k = strlen(cg_rt_csv_suffixes[i]);
		if (strncmp(name + n, cg_rt_csv_suffixes[i], k) == 0 &&
		    strcmp(name + n + k, ".csv") == 0)
			return 1;
	}
	return 0;
}

static int wanted_file(const char *name, const char *out, const char *csv)
{
	size_t n = strlen(name);
	const char *base_out = strrchr(out, '/') ? strrchr(out, '/') + 1 : out;
	const char *base_csv = csv ? (strrchr(csv, '/') ? strrchr(csv, '/') + 1 : csv) : "";
	if (name[0] == '.' || strncmp(name, "~$", 2) == 0)
		return 0; /* hidden files and Excel's lock files */
	if (strcmp(name, base_out) == 0 || strcmp(name, base_csv) == 0 ||
	    report_csv(name, base_csv))
		return 0; /* the report of an earlier run into the same directory */
	return n > 5 &&
	       (strcasecmp(name + n - 5, ".xlsx") == 0 || strcasecmp(name + n - 4, ".csv") == 0);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads every reply of DIR (sorted by name); unreadable ones are reported and skipped. */
static int read_replies(const char *dir, const struct rt_args *a, const struct cg_units *u,
                        struct replies *R)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t nn = 0, cap = 0;
	int rc = CG_OK;

	if (!d) {
		cg_cli_err(cg_tr("không mở được thư mục '%s'", "cannot open directory '%s'"), dir);
		return CG_ENOENT;
	}
	while ((e = readdir(d)) && !rc) {
		if (!wanted_file(e->d_name, a->out, a->csv))
			continue;
		if (!(rc = cg_grow((void **)&names, &cap, nn + 1, sizeof(char *), 1000000)) &&
		    !(names[nn] = cg_strdup(e->d_name)))
			rc = CG_ENOMEM;
		nn += !rc;
	}
	closedir(d);
	if (nn)
		qsort(names, nn, sizeof(char *), cmp_name);
	for (size_t i = 0; i < nn && !rc; i++) {
		char path[4200];
		struct cg_table *t = NULL;
		struct cg_reply *r = NULL;
		struct cg_diags dg = CG_DIAGS_INIT;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (cg_cli_read_table(path, &t) == 0 &&
		    cg_reply_read(t, path, names[i], u, &r, &dg) == 0) {
			if (!(rc = cg_grow((void **)&R->v, &R->cap, R->n + 1, sizeof(*R->v),
			                   1000000)))
				R->v[R->n++] = r;
			else
				cg_reply_free(r);
		} else {
			R->unreadable++;
		}
		cg_cli_print_diags(&dg);
		cg_diags_clear(&dg);
		cg_table_free(t);
	}
	for (size_t i = 0; i < nn; i++)
		cg_free(names[i]);
	cg_free(names);
	return rc;
}

/* The feed the replies answer: --feed, else the list id the header blocks carry. */
static const char *feed_ref(const struct rt_args *a, const struct replies *R, char *buf, size_t cap)
{
	long id = -1;
	if (a->feed)
		return a->feed;
	for (size_t i = 0; i < R->n; i++) {
		if (R->v[i]->feed_id < 0)
			continue;
		if (id >= 0 && R->v[i]->feed_id != id)
			cg_cli_err(
			    cg_tr("%s trả lời danh sách %ld, các tệp khác trả lời %ld; dùng %ld",
			          "%s answers feed %ld, other files answer %ld; using %ld"),
			    R->v[i]->source, R->v[i]->feed_id, id, id);
		if (id < 0)
			id = R->v[i]->feed_id;
	}
	if (id < 0)
		return NULL;
	snprintf(buf, cap, "%ld", id);
	return buf;
}

static void print_summary(const struct cg_rt_report *r, const struct rt_args *a, size_t bad)
{
	printf(cg_tr("%d/%zu đơn vị đã trả lời; %zu dòng gửi, %zu dòng đã xử lý, %zu dòng chưa "
	             "xử lý; số máy đã xử lý / tổng số máy: %ld/%ld.\n",
	             "%d/%zu units replied; %zu rows sent, %zu rows handled, %zu rows unhandled; "
	             "machines handled / total: %ld/%ld.\n"),
	       r->total.replied, r->nunits, r->total.rows_listed, r->total.rows_handled,
	       r->rows_unhandled, r->total.machines_handled, r->total.machines_total);
	if (bad)
		printf(cg_tr("%zu tệp không đọc được (xem lỗi ở trên).\n",
		             "%zu files could not be read (see the errors above).\n"),
		       bad);
	printf(cg_tr("Báo cáo: %s%s%s\n", "Report: %s%s%s\n"), a->out, a->csv ? ", " : "",
	       a->csv ? a->csv : "");
}

static int merge(struct cg_cli *c, const struct rt_args *a)
{
	struct cg_units *u = NULL;
	struct replies R = {NULL, 0, 0, 0};
	struct cg_feed_record rec;
	struct cg_cli_rows rows;
	struct cg_rt_plan p;
	struct cg_rt_report rep;
	struct cg_diags d = CG_DIAGS_INIT;
	char idbuf[32];
	const char *ref;
	int rc, ex = CG_EXIT_ERROR, have_plan = 0;

	memset(&rows, 0, sizeof(rows));
	memset(&p, 0, sizeof(p));
	memset(&rep, 0, sizeof(rep));
	if (cg_cli_load_units(a->units, &u) || read_replies(a->pos, a, u, &R))
		goto out;
	ref = feed_ref(a, &R, idbuf, sizeof(idbuf));
	if (ref) {
		if (load_plan(c, ref, u, &rec, &rows, &p))
			goto out;
		have_plan = 1;
	} else {
		cg_cli_err("%s",
		           cg_tr("không biết các tệp trả lời danh sách nào (không có 'Mã danh "
		                 "sách'; dùng --feed): không tính được đơn vị chưa trả lời",
		                 "cannot tell which feed the replies answer (no 'Mã danh "
		                 "sách'; use --feed): units that have not replied are unknown"));
	}
	rc = cg_rt_merge(u, have_plan ? &p : NULL, rows.v, R.v, R.n, &rep, &d);
	cg_cli_print_diags(&d);
	if (!rc && (rc = cg_rt_write_report_xlsx(a->out, u, &rep)))
		cg_cli_err(cg_tr("không ghi được '%s': %s", "cannot write '%s': %s"), a->out,
		           cg_strerror(rc));
	if (!rc && a->csv && (rc = cg_rt_write_report_csv(a->csv, u, &rep)))
		cg_cli_err(cg_tr("không ghi được '%s': %s", "cannot write '%s': %s"), a->csv,
		           cg_strerror(rc));
	if (rc)
		goto out;
	if (!c->quiet)
		print_summary(&rep, a, R.unreadable);
	ex = CG_EXIT_OK;
out:
	cg_diags_clear(&d);
	cg_rt_report_clear(&rep);
	cg_rt_plan_clear(&p);
	cg_cli_rows_clear(&rows);
	for (size_t i = 0; i < R.n; i++)
		cg_reply_free(R.v[i]);
	cg_free(R.v);
	cg_units_free(u);
	return ex;
}

int cg_cmd_feed_merge_replies(struct cg_cli *c, int argc, char **argv)
{
	struct rt_args a;
	int rc = parse_args(c, argc, argv, &a);
	if (rc)
		return rc > 0 ? CG_EXIT_OK : CG_EXIT_ERROR;
	return merge(c, &a);
}

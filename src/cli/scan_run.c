/* scan_run.c - running a scan for people and scripts: findings, problems, progress, summary. */
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "canhgac/alloc.h"
#include "canhgac/event.h"
#include "canhgac/timeutil.h"
#include "canhgac/filescan.h"
#include "canhgac/hashsig.h"
#include "canhgac/scandb.h"
#include "canhgac/sys.h"
#include "scan_out.h"
#include "banned.h"

static void fill_event(struct scan_run *r, struct cg_event *e, const struct cg_scan_finding *f,
                       char *sig_id, size_t cap)
{
	memset(e, 0, sizeof(*e));
	snprintf(sig_id, cap, "%s:%s", cg_hit_type_name(f->type), f->sig_name);
	e->time_ms = cg_now_ms();
	e->kind = "malware.detected";
	e->severity = CG_SEV_HIGH;
	e->sig_id = sig_id;
	e->sig_name = f->sig_name;
	e->sig_type = cg_hit_type_name(f->type);
	e->bundle_name = r->b->name;
	e->bundle_version = r->b->version;
	e->path = (const uint8_t *)f->path;
	e->path_len = f->path_len;
	e->member = (const uint8_t *)f->member;
	e->member_len = f->member ? strlen(f->member) : 0;
	e->size = f->member ? -1 : f->size;
	e->digests = f->member ? NULL : f->dig;
	e->host = cg_host_facts();
	e->action = "none";
}

static void remember(struct scan_run *r, const struct cg_scan_finding *f)
{
	struct infected *x;
	for (size_t i = 0; i < r->n_inf; i++)
		if (r->inf[i].dev == f->dev && r->inf[i].ino == f->ino)
			return;
	if (cg_grow((void **)&r->inf, &r->cap_inf, r->n_inf + 1, sizeof(*r->inf), 10000000))
		return;
	x = &r->inf[r->n_inf];
	memset(x, 0, sizeof(*x));
	x->path = cg_strndup(f->path, f->path_len);
	x->sig_name = cg_strdup(f->sig_name);
	if (!x->path || !x->sig_name) {
		cg_free(x->path);
		cg_free(x->sig_name);
		return;
	}
	x->path_len = f->path_len;
	x->dev = f->dev;
	x->ino = f->ino;
	x->sig_type = f->type;
	x->executable = f->executable;
	if (f->dig && (f->dig->have & CG_HASH_SHA256)) {
		memcpy(x->sha256, f->dig->sha256, 32);
		x->have_sha256 = 1;
	}
	r->n_inf++;
}

static void clear_progress(struct scan_run *r)
{
	if (r->progress_on)
		fputs("\r\033[K", stderr);
}

static int on_finding(void *arg, const struct cg_scan_finding *f)
{
	struct scan_run *r = arg;
	struct cg_event e;
	char sig_id[CG_MAX_SIGNAME + 32];
	json_t *j;
	char *txt = NULL;

	fill_event(r, &e, f, sig_id, sizeof(sig_id));
	j = cg_event_to_json(&e);
	if (j)
		txt = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);
	if (txt && r->db && r->run_id)
		cg_scandb_add_finding(r->db, r->run_id, txt);
	clear_progress(r);
	if (r->c->json) {
		if (txt)
			printf("%s\n", txt);
	} else {
		cg_cli_print_path(stdout, f->path, f->path_len);
		if (f->member) {
			putchar('!');
			cg_cli_print_path(stdout, f->member, strlen(f->member));
		}
		printf(": %s %s [%s]%s\n", cg_tr("PHÁT HIỆN", "FOUND"), f->sig_name,
		       cg_hit_type_name(f->type), f->cached ? cg_tr(" (bộ đệm)", " (cached)") : "");
	}
	fflush(stdout);
	free(txt);
	json_decref(j);
	remember(r, f);
	return 0;
}

static const char *problem_text(const struct cg_scan_problem *p)
{
	switch (p->kind) {
	case CG_PROB_SPECIAL:
		return cg_tr("bỏ qua tệp đặc biệt", "skipped special file");
	case CG_PROB_TOOBIG:
		return cg_tr("bỏ qua: lớn hơn --max-filesize",
		             "skipped: larger than --max-filesize");
	case CG_PROB_CHANGED:
		return cg_tr("tệp thay đổi trong khi quét", "file changed during the scan");
	case CG_PROB_PARTIAL:
		if (p->flags & CG_FR_ARC_LIMIT)
			return cg_tr("tệp nén chỉ quét một phần (chạm giới hạn)",
			             "archive scanned in part (a limit was reached)");
		if (p->flags & CG_FR_ARC_ENCRYPTED)
			return cg_tr("tệp nén có phần mã hóa, không quét được",
			             "archive has encrypted members that were not scanned");
		if (p->flags & CG_FR_YARA_TIMEOUT)
			return cg_tr("luật YARA quá thời gian", "YARA rules timed out");
		if (p->flags & CG_FR_YARA_SKIPPED)
			return cg_tr("quá lớn cho luật YARA", "too large for YARA rules");
		return cg_tr("quét một phần", "scanned in part");
	default:
		return NULL;
	}
}

static void on_problem(void *arg, const struct cg_scan_problem *p)
{
	struct scan_run *r = arg;
	const char *t = problem_text(p);
	if (r->c->quiet && p->kind != CG_PROB_ERROR)
		return;
	clear_progress(r);
	cg_cli_print_path(stderr, p->path, p->path_len);
	fprintf(stderr, ": %s: %s\n", t ? t : cg_tr("lỗi", "error"), cg_strerror(p->err));
}

/* Counts what the scan will cover, for the ETA, without reading files. */
static int count_entry(void *arg, const struct cg_walk_entry *e)
{
	struct scan_run *r = arg;
	if (e->kind == CG_WALK_FILE)
		r->progress_total += (unsigned long long)e->st->size;
	return r->progress_stop;
}

struct progress_arg {
	struct scan_run *r;
	const char *const *paths;
	size_t n;
};

static void *progress_count(void *arg)
{
	struct progress_arg *pa = arg;
	for (size_t i = 0; i < pa->n && !pa->r->progress_stop; i++)
		cg_walk(pa->paths[i], &pa->r->o.walk, count_entry, pa->r);
	return NULL;
}

static void *progress_main(void *arg)
{
	struct progress_arg *pa = arg;
	struct scan_run *r = pa->r;
	int64_t t0 = cg_mono_ns();
	pthread_t counter;
	int counting = pthread_create(&counter, NULL, progress_count, pa) == 0;

	while (!r->progress_stop) {
		double secs = (double)(cg_mono_ns() - t0) / 1e9;
		unsigned long long done = atomic_load(&r->st.bytes),
		                   files = atomic_load(&r->st.files);
		double mbs = secs > 0 ? (double)done / 1048576.0 / secs : 0;
		usleep(200000);
		if (r->progress_stop)
			break;
		fprintf(stderr,
		        cg_tr("\r\033[K%llu tệp, %.1f MB/s", "\r\033[K%llu files, %.1f MB/s"),
		        files, mbs);
		{
			/* the walker's position (bytes of files it has passed) against the total */
			unsigned long long pos = atomic_load(&r->st.total_bytes);
			if (r->progress_total > pos && pos > 0 && secs > 1)
				fprintf(stderr, cg_tr(", còn khoảng %.0f s", ", about %.0f s left"),
				        secs * (double)(r->progress_total - pos) / (double)pos);
		}
		fflush(stderr);
	}
	if (counting)
		pthread_join(counter, NULL);
	return NULL;
}

static json_t *summary_json(struct scan_run *r, const char *const *paths, size_t n, int ec,
                            int64_t ms)
{
	json_t *o = json_object(), *p = json_array(), *b = json_object(), *sigs = json_object();
	char ts[32];
	size_t nexec = 0;
	for (size_t i = 0; i < n; i++)
		json_array_append_new(p, json_string(paths[i]));
	for (size_t i = 0; i < r->n_inf; i++)
		nexec += r->inf[i].executable != 0;
	json_object_set_new(
	    sigs, "sha256",
	    json_integer((json_int_t)cg_hashsig_count(r->b->hashes, CG_HASH_ALGO_SHA256)));
	json_object_set_new(
	    sigs, "md5",
	    json_integer((json_int_t)cg_hashsig_count(r->b->hashes, CG_HASH_ALGO_MD5)));
	json_object_set_new(
	    sigs, "sha1",
	    json_integer((json_int_t)cg_hashsig_count(r->b->hashes, CG_HASH_ALGO_SHA1)));
	json_object_set_new(sigs, "body", json_integer((json_int_t)r->b->n_body));
	json_object_set_new(sigs, "yara", json_integer((json_int_t)r->b->n_yara));
	json_object_set_new(b, "name", json_string(r->b->name));
	json_object_set_new(b, "version", json_string(r->b->version));
	json_object_set_new(b, "signed", json_boolean(r->b->signed_ok));
	json_object_set_new(b, "signatures", sigs);
	cg_time_iso8601_ms(ts, cg_now_ms());
	json_object_set_new(o, "schema", json_string(CG_EVENT_SCHEMA));
	json_object_set_new(o, "kind", json_string("scan.summary"));
	json_object_set_new(o, "time", json_string(ts));
	json_object_set_new(o, "time_ms", json_integer(cg_now_ms()));
	json_object_set_new(o, "run_id", json_integer(r->run_id));
	json_object_set_new(o, "bundle", b);
	json_object_set_new(o, "paths", p);
	json_object_set_new(o, "files", json_integer((json_int_t)atomic_load(&r->st.files)));
	json_object_set_new(o, "files_read", json_integer((json_int_t)atomic_load(&r->st.read)));
	json_object_set_new(o, "files_cached",
	                    json_integer((json_int_t)atomic_load(&r->st.cached)));
	json_object_set_new(o, "bytes_read", json_integer((json_int_t)atomic_load(&r->st.bytes)));
	json_object_set_new(o, "findings", json_integer((json_int_t)atomic_load(&r->st.findings)));
	json_object_set_new(o, "infected_files", json_integer((json_int_t)r->n_inf));
	json_object_set_new(o, "infected_executables", json_integer((json_int_t)nexec));
	json_object_set_new(o, "errors", json_integer((json_int_t)atomic_load(&r->st.errors)));
	json_object_set_new(o, "skipped", json_integer((json_int_t)atomic_load(&r->st.skipped)));
	json_object_set_new(o, "archives", json_boolean(r->o.archives));
	json_object_set_new(o, "duration_ms", json_integer(ms));
	json_object_set_new(o, "exit_code", json_integer(ec));
	json_object_set_new(o, "host",
	                    json_pack("{s:s?,s:s?}", "hostname", cg_host_facts()->hostname, "os",
	                              cg_host_facts()->os));
	return o;
}

static void print_summary(struct scan_run *r, int ec, int64_t ms)
{
	unsigned long long findings = atomic_load(&r->st.findings);
	printf("\n%s\n", cg_tr("----------- TÓM TẮT QUÉT -----------",
	                       "----------- SCAN SUMMARY -----------"));
	printf(
	    cg_tr(
	        "Bộ mẫu: %s %s (%zu SHA-256, %zu MD5, %zu SHA-1, %zu mẫu thân, %zu luật YARA)%s\n",
	        "Bundle: %s %s (%zu SHA-256, %zu MD5, %zu SHA-1, %zu body, %zu YARA rules)%s\n"),
	    r->b->name, r->b->version, cg_hashsig_count(r->b->hashes, CG_HASH_ALGO_SHA256),
	    cg_hashsig_count(r->b->hashes, CG_HASH_ALGO_MD5),
	    cg_hashsig_count(r->b->hashes, CG_HASH_ALGO_SHA1), r->b->n_body, r->b->n_yara,
	    r->b->signed_ok ? cg_tr(", đã xác thực chữ ký", ", signature verified") : "");
	printf(cg_tr("Tệp: %llu (đọc %llu, từ bộ đệm %llu), đã đọc %.1f MB\n",
	             "Files: %llu (read %llu, from cache %llu), %.1f MB read\n"),
	       (unsigned long long)atomic_load(&r->st.files),
	       (unsigned long long)atomic_load(&r->st.read),
	       (unsigned long long)atomic_load(&r->st.cached),
	       (double)atomic_load(&r->st.bytes) / 1048576.0);
	printf(cg_tr("Phát hiện: %llu trong %zu tệp\n", "Findings: %llu in %zu files\n"), findings,
	       r->n_inf);
	printf(cg_tr("Bỏ qua: %llu, lỗi: %llu\n", "Skipped: %llu, errors: %llu\n"),
	       (unsigned long long)atomic_load(&r->st.skipped),
	       (unsigned long long)atomic_load(&r->st.errors));
	printf(cg_tr("Thời gian: %.2f s (lần quét số %" PRId64 ")\n",
	             "Time: %.2f s (run %" PRId64 ")\n"),
	       (double)ms / 1000.0, r->run_id);
	if (ec == CG_EXIT_OK)
		printf("%s\n",
		       cg_tr("Không tệp nào khớp bộ mẫu này. Kết quả chỉ có giá trị với các "
		             "mẫu của bộ mẫu trên.",
		             "No file matched this bundle. The result holds only for the "
		             "signatures of the bundle above."));
}

static void free_infected(struct scan_run *r)
{
	for (size_t i = 0; i < r->n_inf; i++) {
		cg_free(r->inf[i].path);
		cg_free(r->inf[i].sig_name);
	}
	cg_free(r->inf);
}

int scan_paths(struct scan_run *r, const char *const *paths, size_t n)
{
	struct cg_scan_hooks h = {on_finding, on_problem, r};
	struct cg_diags d = CG_DIAGS_INIT;
	struct progress_arg pa = {r, paths, n};
	pthread_t prog;
	json_t *pj = json_array(), *sum;
	char *ptxt, *stxt;
	int64_t t0;
	int rc, ec;

	if (cg_cli_load_bundle(r->c, r->backend, &r->b)) {
		json_decref(pj);
		return CG_EXIT_ERROR;
	}
	for (size_t i = 0; i < n; i++)
		json_array_append_new(pj, json_string(paths[i]));
	ptxt = json_dumps(pj, JSON_COMPACT);
	json_decref(pj);
	r->started_ms = cg_now_ms();
	t0 = cg_mono_ns();
	cg_scandb_run_start(r->db, r->started_ms, ptxt ? ptxt : "[]", r->b->name, r->b->version,
	                    &r->run_id);
	free(ptxt);
	r->progress_on = !r->no_progress && !r->c->quiet && isatty(2);
	if (r->progress_on && pthread_create(&prog, NULL, progress_main, &pa) != 0)
		r->progress_on = 0;
	rc = cg_scan(r->b, r->db, paths, n, &r->o, &h, &r->st, &d);
	if (r->progress_on) {
		r->progress_stop = 1;
		pthread_join(prog, NULL);
		clear_progress(r);
		r->progress_on = 0;
	}
	cg_cli_print_diags(&d);
	cg_diags_clear(&d);
	if (rc)
		cg_cli_err(cg_tr("quét thất bại: %s", "scan failed: %s"), cg_strerror(rc));
	if (rc == 0 && r->quarantine && r->n_inf)
		scan_quarantine(r);
	ec = rc                           ? CG_EXIT_ERROR
	     : r->n_inf                   ? CG_EXIT_FOUND
	     : atomic_load(&r->st.errors) ? CG_EXIT_ERROR
	                                  : CG_EXIT_OK;
	sum = summary_json(r, paths, n, ec, (cg_mono_ns() - t0) / 1000000);
	stxt = json_dumps(sum, JSON_COMPACT | JSON_ENSURE_ASCII);
	cg_scandb_run_finish(r->db, r->run_id, cg_now_ms(), ec, stxt ? stxt : "{}");
	if (r->c->json && stxt)
		printf("%s\n", stxt);
	else if (!r->c->quiet)
		print_summary(r, ec, (cg_mono_ns() - t0) / 1000000);
	free(stxt);
	json_decref(sum);
	free_infected(r);
	cg_bundle_free(r->b);
	return ec;
}

static int print_run(void *arg, const struct cg_run_row *row)
{
	struct scan_run *r = arg;
	json_error_t err;
	json_t *s = json_loads(row->summary_json, 0, &err);
	char when[32];
	if (r->c->json) {
		json_t *o = json_pack(
		    "{s:I,s:I,s:I,s:i,s:s,s:s,s:s}", "run_id", (json_int_t)row->id, "started_ms",
		    (json_int_t)row->started_ms, "finished_ms", (json_int_t)row->finished_ms,
		    "exit_code", row->exit_code, "bundle", row->bundle, "bundle_version",
		    row->bundle_version, "paths", row->paths_json);
		if (o && s)
			json_object_set(o, "summary", s);
		if (o) {
			char *t = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
			if (t)
				printf("%s\n", t);
			free(t);
		}
		json_decref(o);
	} else {
		cg_time_human(when, row->started_ms, 7 * 60); /* Asia/Ho_Chi_Minh */
		printf("%-6" PRId64 " %s  %s %s  %s=%d  %s\n", row->id, when, row->bundle,
		       row->bundle_version, cg_tr("mã", "exit"), row->exit_code, row->paths_json);
		if (s)
			printf("       %s %lld, %s %lld, %s %lld\n", cg_tr("tệp", "files"),
			       (long long)json_integer_value(json_object_get(s, "files")),
			       cg_tr("phát hiện", "findings"),
			       (long long)json_integer_value(json_object_get(s, "findings")),
			       cg_tr("lỗi", "errors"),
			       (long long)json_integer_value(json_object_get(s, "errors")));
	}
	json_decref(s);
	return 0;
}

int scan_history(struct scan_run *r)
{
	if (!r->c->json)
		printf("%s\n", cg_tr("Lần    Bắt đầu (giờ VN)     Bộ mẫu  Kết quả  Đường dẫn",
		                     "Run    Started (VN time)    Bundle  Result  Paths"));
	return cg_scandb_runs(r->db, r->limit, print_run, r) ? CG_EXIT_ERROR : CG_EXIT_OK;
}

static int print_finding(void *arg, const char *ev)
{
	struct scan_run *r = arg;
	json_error_t err;
	json_t *e;
	const char *path, *member;
	if (r->c->json) {
		printf("%s\n", ev);
		return 0;
	}
	e = json_loads(ev, 0, &err);
	if (!e)
		return 0;
	path = json_string_value(json_object_get(e, "path"));
	member = json_string_value(json_object_get(e, "member"));
	printf("%s%s%s: %s %s [%s]\n",
	       path ? path : json_string_value(json_object_get(e, "path_b64")), member ? "!" : "",
	       member ? member : "", cg_tr("PHÁT HIỆN", "FOUND"),
	       json_string_value(json_object_get(json_object_get(e, "signature"), "name")),
	       json_string_value(json_object_get(json_object_get(e, "signature"), "type")));
	json_decref(e);
	return 0;
}

int scan_show(struct scan_run *r, const char *id)
{
	char *end;
	long long v = id ? strtoll(id, &end, 10) : 0;
	if (!id || *end || v <= 0) {
		cg_cli_err("%s",
		           cg_tr("scan show: cần số lần quét (xem canhgac scan history)",
		                 "scan show: expected a run number (see canhgac scan history)"));
		return CG_EXIT_ERROR;
	}
	return cg_scandb_run_findings(r->db, v, print_finding, r) ? CG_EXIT_ERROR : CG_EXIT_OK;
}

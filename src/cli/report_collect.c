/* report_collect.c - `canhgac report collect`: gathers on this PC the host facts, the last scan
 * (from the scan history and the quarantine), the Windows inventory with its missing updates
 * and end of support, and botnet-listed addresses seen (from `match ips --json` output), and
 * writes DIR/<UNIT>_<HOST>_<YYYYMMDD>.json atomically (docs/results.md). */
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/feed.h"
#include "canhgac/hostinv.h"
#include "canhgac/limits.h"
#include "canhgac/quarantine.h"
#include "canhgac/scandb.h"
#include "canhgac/sys.h"
#include "canhgac/timeutil.h"
#include "canhgac/winrel.h"
#include "canhgac/wininv.h"
#include "canhgac/winvulns.h"
#include "report.h"
#include "banned.h"

struct last_run {
	int64_t id, started_ms;
	char *bundle, *version, *summary;
};

static int newest(void *arg, const struct cg_run_row *row)
{
	struct last_run *l = arg;
	l->id = row->id;
	l->started_ms = row->started_ms;
	l->bundle = cg_strdup(row->bundle ? row->bundle : "");
	l->version = cg_strdup(row->bundle_version ? row->bundle_version : "");
	l->summary = cg_strdup(row->summary_json ? row->summary_json : "{}");
	return l->bundle && l->version && l->summary ? 0 : CG_ENOMEM;
}

/* Paths of the quarantine's entries put there since the run started. */
struct held {
	char **paths; /* "<sha256 hex> <path>" */
	size_t n, cap;
	int64_t since_ms;
};

static int held_cb(void *arg, const struct cg_quar_entry *e)
{
	struct held *h = arg;
	int64_t t;
	if (!e->path || cg_time_parse_iso8601(e->quarantined_at, &t) || t < h->since_ms)
		return 0;
	if (cg_grow((void **)&h->paths, &h->cap, h->n + 1, sizeof(char *), CG_MAX_RESULT_FINDINGS))
		return 0; /* past the cap: the rest count as not quarantined */
	if (!(h->paths[h->n] = cg_malloc(strlen(e->path) + 66)))
		return CG_ENOMEM;
	for (size_t i = 0; i < 32; i++)
		snprintf(h->paths[h->n] + 2 * i, 3, "%02x", e->sha256[i]);
	snprintf(h->paths[h->n] + 64, strlen(e->path) + 2, " %s", e->path);
	h->n++;
	return 0;
}

/* The file's base name (after the last / or \\). */
static const char *base_of(const char *p)
{
	const char *b = p;
	for (; *p; p++)
		if (*p == '/' || *p == '\\')
			b = p + 1;
	return b;
}

/* A finding is in quarantine when an entry since the run has its content (SHA-256) and its
 * name: the scan may have been given a relative path from another folder. */
static int is_held(const struct held *h, const char *path, const char *sha)
{
	for (size_t i = 0; sha && strlen(sha) == 64 && i < h->n; i++)
		if (strncmp(h->paths[i], sha, 64) == 0 &&
		    strcmp(base_of(h->paths[i] + 65), base_of(path)) == 0)
			return 1;
	return 0;
}

struct fctx {
	struct cg_result *r;
	const struct held *h;
};

static int finding_cb(void *arg, const char *event_json)
{
	struct fctx *f = arg;
	json_error_t err;
	json_t *e = json_loads(event_json, 0, &err), *sig;
	const char *path, *member;
	char *txt = NULL, *shown = NULL;
	int rc = CG_OK, held;

	if (!json_is_object(e))
		goto out; /* a damaged history row: left out */
	path = json_string_value(json_object_get(e, "path"));
	member = json_string_value(json_object_get(e, "member"));
	sig = json_object_get(e, "signature");
	held = path && !member &&
	       is_held(f->h, path,
	               json_string_value(json_object_get(json_object_get(e, "digests"), "sha256")));
	if (held)
		json_object_set_new(e, "action", json_string("quarantined"));
	txt = json_dumps(e, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER);
	if (path && member && (shown = cg_malloc(strlen(path) + strlen(member) + 2)))
		snprintf(shown, strlen(path) + strlen(member) + 2, "%s!%s", path, member);
	if (!txt)
		rc = CG_ENOMEM;
	else
		rc = cg_result_add_finding(f->r,
		                           shown  ? shown
		                           : path ? path
		                                  : "",
		                           json_string_value(json_object_get(sig, "name")),
		                           json_string_value(json_object_get(e, "action")), txt);
	if (rc == CG_ELIMIT)
		rc = CG_OK; /* the summary still counts them */
out:
	free(txt);
	cg_free(shown);
	json_decref(e);
	return rc;
}

/* Distinct files among the findings (only those quarantined when `held`): a file matched by
 * several signatures has one record per signature. */
static size_t count_files(const struct cg_result *r, int held)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nfindings; i++) {
		size_t j = 0;
		if (held && strcmp(r->findings[i].action, "quarantined") != 0)
			continue;
		while (j < i && strcmp(r->findings[j].path, r->findings[i].path) != 0)
			j++;
		n += j == i;
	}
	return n;
}

static void load_held(struct cg_cli *c, struct held *h)
{
	char qdir[4200];
	struct cg_quar *q = NULL;
	DIR *dir;
	if (cg_cli_path(c, "quarantine", qdir, sizeof(qdir)) || !(dir = opendir(qdir)))
		return; /* no quarantine yet: nothing was quarantined */
	closedir(dir);
	if (cg_cli_quar_open(c, &q) == 0)
		cg_quar_list(q, held_cb, h);
	cg_quar_close(q);
}

/* The newest run of the scan history, its findings and what of them is in quarantine. */
static int last_scan(struct cg_cli *c, struct cg_result *r)
{
	char path[4200];
	struct cg_scandb *db = NULL;
	struct last_run l = {0, 0, NULL, NULL, NULL};
	struct held h = {NULL, 0, 0, 0};
	struct fctx fc = {r, &h};
	json_error_t err;
	json_t *s = NULL;
	FILE *f;
	int rc = CG_OK;

	if (cg_cli_path(c, "scan.db", path, sizeof(path)) || !(f = fopen(path, "rb")))
		return CG_OK; /* never scanned here */
	fclose(f);
	if ((rc = cg_scandb_open(path, &db)) || (rc = cg_scandb_runs(db, 1, newest, &l)) || !l.id)
		goto out;
	r->has_scan = 1;
	r->scan_time = l.started_ms;
	if ((rc = cg_result_set(&r->bundle_name, l.bundle)) ||
	    (rc = cg_result_set(&r->bundle_version, l.version)))
		goto out;
	if ((s = json_loads(l.summary, 0, &err))) {
		r->files = json_integer_value(json_object_get(s, "files"));
		r->nfound = json_integer_value(json_object_get(s, "infected_files"));
	}
	h.since_ms = l.started_ms;
	load_held(c, &h);
	rc = cg_scandb_run_findings(db, l.id, finding_cb, &fc);
	r->quarantined = (int64_t)count_files(r, 1);
	if (!s)
		r->nfound = (int64_t)count_files(r, 0);
out:
	json_decref(s);
	for (size_t i = 0; i < h.n; i++)
		cg_free(h.paths[i]);
	cg_free(h.paths);
	cg_free(l.bundle);
	cg_free(l.version);
	cg_free(l.summary);
	cg_scandb_close(db);
	if (rc)
		cg_cli_err(cg_tr("lịch sử quét %s: %s", "scan history %s: %s"), path,
		           cg_strerror(rc));
	return rc;
}

static int read_inv(const struct report_args *a, struct cg_wininv *inv)
{
	struct cg_diags d = CG_DIAGS_INIT;
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc;
	if (!a->wininv) {
		rc = cg_host_inventory(inv, &d);
		if (rc == CG_EUNSUPP)
			rc = 1; /* not Windows: host facts only */
	} else if ((rc = cg_read_file(a->wininv, CG_MAX_WININV_FILE, &buf, &len)) == 0) {
		rc = cg_wininv_parse_json(buf, len, a->wininv, inv, &d);
	}
	cg_free(buf);
	cg_cli_print_diags(&d);
	cg_diags_clear(&d);
	if (rc < 0)
		cg_cli_err(cg_tr("kiểm kê máy: %s", "inventory: %s"), cg_strerror(rc));
	return rc;
}

/* A saved inventory (--windows-inventory) describes another PC: its host facts are the
 * inventory's, not this machine's. */
static int as_inventory_host(const struct cg_wininv *inv, struct cg_result *r)
{
	char os[600];
	int rc;
	snprintf(os, sizeof(os), "%s%s%s", inv->product_name, inv->display_version ? " " : "",
	         inv->display_version ? inv->display_version : "");
	if ((rc = cg_result_set(&r->os, os)) || (rc = cg_result_set(&r->machine_id, "")))
		return rc;
	return inv->hostname ? cg_result_set(&r->hostname, inv->hostname) : CG_OK;
}

/* The inventory, its missing updates and its end of support. */
static int windows_part(struct cg_cli *c, const struct report_args *a, struct cg_result *r)
{
	struct cg_wininv inv;
	struct cg_winvulns *v = NULL;
	const struct cg_winrel *rel = NULL;
	struct cg_winrel_support sup;
	int rc = read_inv(a, &inv);

	if (rc)
		return rc > 0 ? CG_OK : rc;
	if (!(r->inventory = cg_wininv_to_json(&inv))) {
		rc = CG_ENOMEM;
		goto out;
	}
	if (a->wininv && (rc = as_inventory_host(&inv, r)))
		goto out;
	if (cg_vulns_windows_match(c, &inv, a->adv, a->nadv, a->now, &v, &rel, &sup)) {
		rc = CG_EIO;
		goto out;
	}
	for (size_t i = 0; !rc && i < cg_winvulns_count(v); i++) {
		const struct cg_winvuln_finding *x = cg_winvulns_get(v, i);
		rc = cg_result_add_vuln(r, x->cve, x->title, x->severity, x->kbs, x->exploited);
	}
	if (!rc && rel) {
		char name[160];
		snprintf(name, sizeof(name), "%s%s%s", rel->family, rel->version[0] ? " " : "",
		         rel->version);
		r->support_until = sup.until == CG_TIME_NONE ? CG_TIME_NONE : sup.until * 1000;
		if (!(rc = cg_result_set(&r->support, cg_winrel_status_name(sup.status))))
			rc = cg_result_set(&r->support_release, name);
	}
out:
	cg_winvulns_free(v);
	cg_wininv_clear(&inv);
	return rc;
}

static int is_match(const json_t *e)
{
	const char *k = json_string_value(json_object_get(e, "kind"));
	return k && strcmp(k, "match.ip") == 0;
}

/* Botnet-listed addresses from `canhgac match ips --json` output (match.ip records). */
static int botnet_part(const char *path, struct cg_result *r)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	char *line, *next;
	int rc;
	if (!path)
		return CG_OK;
	if ((rc = cg_read_file(path, CG_MAX_RESULT_FILE, &buf, &len))) {
		cg_cli_err("%s: %s", path, cg_strerror(rc));
		return rc;
	}
	for (line = (char *)buf; !rc && line && *line; line = next) {
		json_error_t err;
		json_t *e;
		const char *ip;
		int dup = 0;
		if ((next = strchr(line, '\n')))
			*next++ = '\0';
		e = json_loads(line, 0, &err);
		ip = json_string_value(json_object_get(e, "ip"));
		for (size_t i = 0; ip && i < r->nbotnet; i++)
			dup |= strcmp(r->botnet[i].addr, ip) == 0;
		if (ip && !dup && is_match(e))
			rc = cg_result_add_botnet(r, ip,
			                          json_string_value(json_object_get(e, "list")),
			                          json_string_value(json_object_get(e, "family")));
		json_decref(e);
	}
	cg_free(buf);
	if (rc)
		cg_cli_err("%s: %s", path, cg_strerror(rc));
	return rc;
}

static int write_result(const struct cg_cli *c, const struct report_args *a,
                        const struct cg_result *r)
{
	char name[512], path[4200];
	char *json = cg_result_to_json(r);
	int rc = json ? cg_result_file_name(r->unit, r->hostname, r->time, name, sizeof(name))
	              : CG_ENOMEM;
	if (!rc &&
	    snprintf(path, sizeof(path), "%s" CG_DIRSEP "%s", a->out, name) >= (int)sizeof(path))
		rc = CG_ELIMIT;
	if (!rc && (rc = cg_mkdir_p(a->out, 0755)) == 0)
		rc = cg_write_file_atomic(path, json, strlen(json), 0644);
	if (rc)
		cg_cli_err(cg_tr("không ghi được tệp kết quả vào %s: %s",
		                 "cannot write the result file to %s: %s"),
		           a->out, cg_strerror(rc));
	else if (!c->quiet)
		printf(cg_tr("Máy %s: %lld mã độc (%lld đã cách ly), %zu cảnh báo thiếu bản vá, "
		             "%zu địa chỉ botnet. Đã ghi %s\n",
		             "PC %s: %lld malware (%lld quarantined), %zu warnings with missing "
		             "updates, %zu botnet addresses. Written %s\n"),
		       r->hostname, (long long)r->nfound, (long long)r->quarantined, r->nvulns,
		       r->nbotnet, path);
	cg_free(json);
	return rc;
}

int report_collect(struct cg_cli *c, const struct report_args *a)
{
	const struct cg_host_facts *hf = cg_host_facts();
	struct cg_result r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.time = a->now * 1000;
	r.scan_time = CG_TIME_NONE;
	r.support_until = CG_TIME_NONE;
	if (cg_cli_data_dir(c))
		return CG_EXIT_ERROR;
	if ((rc = cg_result_set(&r.unit, a->unit)) ||
	    (rc = cg_result_set(&r.hostname, hf->hostname ? hf->hostname : "unknown")) ||
	    (rc = cg_result_set(&r.os, hf->os ? hf->os : "")) ||
	    (rc = cg_result_set(&r.machine_id, hf->machine_id ? hf->machine_id : "")) ||
	    (rc = cg_result_set(&r.bundle_name, "")) || (rc = cg_result_set(&r.bundle_version, "")))
		goto out;
	if ((rc = last_scan(c, &r)) || (rc = windows_part(c, a, &r)) ||
	    (rc = botnet_part(a->matches, &r)))
		goto out;
	rc = write_result(c, a, &r);
out:
	if (rc == CG_ENOMEM)
		cg_cli_err("%s", cg_strerror(rc));
	cg_result_clear(&r);
	return rc ? CG_EXIT_ERROR : CG_EXIT_OK;
}

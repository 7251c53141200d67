/* feeds_srv.c - feeds imported centrally (botnet lists now) and the botnet triage: each listed
 * address is attributed to the host that had it (from the hosts' address history: a retro-hunt
 * over everything stored) or else to the unit that held it when it was listed; units record the
 * action taken; "handled / total" per unit. */
#include <stdlib.h>
#include <string.h>

#include "canhgac/auth.h"
#include "canhgac/feed.h"
#include "canhgac/ipaddr.h"
#include "server/srv.h"

#include "banned.h"

#define SLACK_MS (24LL * 3600 * 1000)

struct uaddr {
	struct cg_prefix p;
	int64_t unit_id, from, to;
};

/* Observed addresses hold from first to last seen; a listing a day either side still counts. */

static int load_unit_addrs(struct cg_db *db, struct uaddr **out, size_t *n)
{
	struct cg_rows *r = NULL;
	int rc = cg_db_query(db, &r,
	                     "SELECT unit_id, addr, first_ms, last_ms, source FROM unit_addrs", "");
	if (rc != 0)
		return rc;
	*out = calloc(r->n + 1, sizeof **out);
	*n = 0;
	if (!*out) {
		cg_rows_free(r);
		return CG_ENOMEM;
	}
	for (size_t i = 0; i < r->n; i++) {
		const char *a = cg_rows_get(r, i, 1);
		struct uaddr *u = &(*out)[*n];
		if (cg_prefix_parse(a, strlen(a), &u->p) != 0)
			continue;
		u->unit_id = cg_rows_int(r, i, 0, 0);
		int observed = strcmp(cg_rows_get(r, i, 4), "observed") == 0;
		u->from = cg_rows_int(r, i, 2, 0) - (observed ? SLACK_MS : 0);
		u->to = cg_rows_int(r, i, 3, 0) + (observed ? SLACK_MS : 0);
		(*n)++;
	}
	cg_rows_free(r);
	return 0;
}

static int add_match(struct cg_db *db, int64_t feed_id, const char *addr, int64_t t,
                     const char *family, int64_t unit_id, int64_t agent_id, size_t *matched)
{
	int64_t ch = 0;
	int rc = cg_db_exec(
	    db, &ch,
	    "INSERT INTO botnet_matches (feed_id, addr, listed_ms, family, unit_id, "
	    "agent_id) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (feed_id, addr, unit_id) "
	    "DO NOTHING",
	    "itItiI", feed_id, addr, t, family, unit_id, agent_id ? agent_id : INT64_MIN);
	if (rc == 0 && ch)
		(*matched)++;
	return rc;
}

int cg_srv_botnet_match(struct cg_db *db, int64_t feed_id, size_t *matched)
{
	struct uaddr *ua = NULL;
	size_t nua = 0;
	struct cg_rows *f = NULL;
	int rc = load_unit_addrs(db, &ua, &nua);
	if (rc == 0)
		rc = cg_db_query(db, &f,
		                 "SELECT addr, listed_ms, family FROM feed_ips WHERE feed_id = ?",
		                 "i", feed_id);
	*matched = 0;
	for (size_t i = 0; rc == 0 && i < f->n; i++) {
		const char *addr = cg_rows_get(f, i, 0);
		const char *tv = cg_rows_get(f, i, 1);
		int64_t t = tv ? cg_rows_int(f, i, 1, 0) : INT64_MIN;
		const char *family = cg_rows_get(f, i, 2);
		struct cg_rows *h = NULL;
		/* Hosts that had the address when it was listed (a day's slack either side). */
		rc = cg_db_query(
		    db, &h,
		    "SELECT DISTINCT a.agent_id, g.unit_id FROM host_addrs a JOIN agents g ON "
		    "g.id = a.agent_id WHERE a.addr = ? AND (? = 0 OR (a.first_ms <= ? AND "
		    "a.last_ms >= ?))",
		    "tiii", addr, (int64_t)(t == INT64_MIN ? 0 : 1),
		    t == INT64_MIN ? 0 : t + SLACK_MS, t == INT64_MIN ? 0 : t - SLACK_MS);
		int found = 0;
		for (size_t k = 0; rc == 0 && k < h->n; k++, found = 1)
			rc = add_match(db, feed_id, addr, t, family, cg_rows_int(h, k, 1, 0),
			               cg_rows_int(h, k, 0, 0), matched);
		cg_rows_free(h);
		if (rc != 0 || found)
			continue;
		struct cg_prefix p;
		if (cg_prefix_parse(addr, strlen(addr), &p) != 0)
			continue;
		for (size_t k = 0; rc == 0 && k < nua; k++) {
			if (ua[k].p.len > p.len || !cg_prefix_contains(&ua[k].p, &p.ip))
				continue;
			if (t != INT64_MIN && (t < ua[k].from || t >= ua[k].to))
				continue;
			rc = add_match(db, feed_id, addr, t, family, ua[k].unit_id, 0, matched);
		}
	}
	cg_rows_free(f);
	free(ua);
	return rc;
}

static const char *kind_name(enum cg_feed_kind k)
{
	return k == CG_FEED_ADVISORY ? "advisory" : k == CG_FEED_IOC ? "ioc" : "botnet";
}

/* The file hashes of an IOC list, for agents to match against their scan caches (the list's
 * domains, URLs and addresses are not used by agents yet). */
static int store_iocs(struct cg_db *db, const struct cg_feed *f, int64_t feed_id)
{
	enum { COLS = 5, ROWS = 512 };
	struct cg_db_val v[COLS * ROWS];
	size_t n = 0;
	int64_t hashes = 0;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i <= f->nentries; i++) {
		if (i < f->nentries) {
			const struct cg_feed_entry *e = &f->entries[i];
			const char *t = e->type == CG_IOC_MD5      ? "md5"
			                : e->type == CG_IOC_SHA1   ? "sha1"
			                : e->type == CG_IOC_SHA256 ? "sha256"
			                                           : NULL;
			if (e->type == CG_IOC_IP) /* matched against agents' connections */
				rc = cg_db_exec(
				    db, NULL,
				    "INSERT INTO feed_ips (feed_id, addr, listed_ms, family, "
				    "line) VALUES (?, ?, ?, ?, ?) ON CONFLICT (feed_id, addr, "
				    "line) DO NOTHING",
				    "itIti", feed_id, e->value,
				    e->time == CG_TIME_NONE ? INT64_MIN : e->time * 1000, e->family,
				    (int64_t)e->line);
			if (!t || rc)
				continue;
			struct cg_db_val *r = &v[n * COLS];
			memset(r, 0, sizeof(*r) * COLS);
			r[0].type = 'i';
			r[0].i = feed_id;
			r[1].type = 't';
			r[1].p = t;
			r[2].type = 't';
			r[2].p = e->value;
			r[3].type = 't';
			r[3].p = e->family;
			r[4].type = 'i';
			r[4].i = (int64_t)e->line;
			n++;
		}
		if (n == ROWS || (i == f->nentries && n)) {
			rc = cg_db_exec_batch(
			    db, NULL,
			    "INSERT INTO feed_iocs (feed_id, type, value, family, line) "
			    "VALUES (?, ?, ?, ?, ?)",
			    v, COLS, n);
			hashes += (int64_t)n;
			n = 0;
		}
	}
	if (rc == 0)
		rc = cg_db_exec(db, NULL, "UPDATE feeds SET hashes = ? WHERE id = ?", "ii", hashes,
		                feed_id);
	return rc;
}

static int store_feed(struct cg_req *q, const struct cg_feed *f, const char *name, const char *sha,
                      int64_t *feed_id)
{
	int64_t now = cg_srv_now_ms();
	int adv = f->kind == CG_FEED_ADVISORY;
	int rc =
	    cg_db_query_int(q->db, feed_id,
	                    "INSERT INTO feeds (kind, name, source, sha256, entries, imported_by, "
	                    "imported_ms) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
	                    "ttttiii", kind_name(f->kind), name, name, sha,
	                    (int64_t)(adv ? f->nadvisories : f->nentries), q->who.user_id, now);
	if (f->kind == CG_FEED_IOC)
		return rc ? rc : store_iocs(q->db, f, *feed_id);
	/* Warnings: the bytes are kept and parsed again whenever hosts are matched; every host
	 * with an inventory is matched again (retro-hunt) in the background. */
	if (rc == 0 && adv)
		rc = cg_db_exec(q->db, NULL, "INSERT INTO feed_blobs (feed_id, body) VALUES (?, ?)",
		                "ib", *feed_id, (const void *)q->body, q->body_len);
	if (rc == 0 && adv)
		rc = cg_db_exec(q->db, NULL,
		                "UPDATE agents SET vuln_dirty = vuln_dirty + 1 WHERE id IN (SELECT "
		                "agent_id FROM "
		                "host_inventory)",
		                "");
	if (adv)
		return rc;
	for (size_t i = 0; rc == 0 && i < f->nentries; i++) {
		const struct cg_feed_entry *e = &f->entries[i];
		if (e->type != CG_IOC_IP)
			continue;
		rc = cg_db_exec(
		    q->db, NULL,
		    "INSERT INTO feed_ips (feed_id, addr, listed_ms, family, line) VALUES "
		    "(?, ?, ?, ?, ?) ON CONFLICT (feed_id, addr, line) DO NOTHING",
		    "itIti", *feed_id, e->value,
		    e->time == CG_TIME_NONE ? INT64_MIN : e->time * 1000, e->family,
		    (int64_t)e->line);
	}
	return rc;
}

static json_t *diags_json(const struct cg_diags *d)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < d->n && i < 100; i++)
		json_array_append_new(arr, json_pack("{s:s,s:I,s:s,s:s}", "source", d->v[i].source,
		                                     "line", (json_int_t)d->v[i].line, "message_vi",
		                                     d->v[i].msg_vi, "message_en", d->v[i].msg_en));
	return arr;
}

/* What a parse found, for the console to show before importing: the format, the column mapping
 * (to fix when guessed wrong) and the first entries. */
static json_t *preview_json(const struct cg_feed *f, struct cg_diags *d)
{
	char cols[256];
	json_t *sample = json_array();
	cg_feed_columns_text(f, cols, sizeof cols);
	for (size_t i = 0; sample && i < f->nentries && i < 20; i++) {
		const struct cg_feed_entry *e = &f->entries[i];
		json_t *o = json_pack("{s:I,s:s,s:s}", "line", (json_int_t)e->line, "where",
		                      e->where, "value", e->value);
		if (o && e->time != CG_TIME_NONE)
			json_object_set_new(o, "time_ms", json_integer(e->time * 1000));
		if (o && e->family)
			json_object_set_new(o, "family", json_string(e->family));
		if (o)
			json_array_append_new(sample, o);
	}
	return json_pack("{s:b,s:s,s:s,s:b,s:s?,s:I,s:I,s:I,s:o,s:o}", "preview", 1, "format",
	                 f->format_detail, "columns", cols, "columns_guessed", f->columns.guessed,
	                 "header", f->header_text, "entries",
	                 (json_int_t)(f->kind == CG_FEED_ADVISORY ? f->nadvisories : f->nentries),
	                 "rows_total", (json_int_t)f->rows_total, "rows_bad",
	                 (json_int_t)f->rows_bad, "sample", sample, "diagnostics", diags_json(d));
}

/* POST /feeds?kind=botnet&name=FILE&columns=ip=2,time=3 with the list as the body (CSV, XLSX,
 * plain or pasted text). Atomic: the feed, its addresses and the matches, or nothing. With
 * preview=1 nothing is stored: the answer shows what would be imported. */
int cg_h_feeds_import(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_DEPT_ADMIN))
		return CG_EPERM;
	const char *kind = cg_req_arg(q, "kind");
	const char *name = cg_req_arg(q, "name");
	int adv = kind && strcmp(kind, "advisory") == 0;
	int ioc = kind && strcmp(kind, "ioc") == 0;
	if (!kind || (strcmp(kind, "botnet") != 0 && !adv && !ioc))
		return cg_resp_err(r, 400, "bad_kind", "'kind' là botnet, ioc hoặc advisory",
		                   "'kind' is botnet, ioc or advisory");
	if (!name || !*name || strlen(name) > 200)
		name = adv ? "advisories.json" : ioc ? "iocs.csv" : "botnet.csv";
	struct cg_diags d = {0};
	struct cg_feed *f = NULL;
	struct cg_feed_parse_opts o = {.kind = adv   ? CG_FEED_ADVISORY
	                                       : ioc ? CG_FEED_IOC
	                                             : CG_FEED_BOTNET,
	                               .format = CG_FMT_AUTO,
	                               .columns = cg_req_arg(q, "columns"),
	                               .now = cg_srv_now_ms() / 1000,
	                               .tz_offset = 25200};
	char sha[CG_SHA256_HEX];
	int64_t feed_id = 0, exists = 0;
	size_t matched = 0;
	cg_sha256_hex(q->body, q->body_len, sha);
	int rc = cg_feed_parse(q->body, q->body_len, name, &o, &f, &d);
	if (rc != 0) {
		cg_resp_json(r, 400,
		             json_pack("{s:s,s:s,s:s,s:o}", "error", "bad_feed", "message_vi",
		                       "Không đọc được danh sách; không nhập gì", "message_en",
		                       "The list could not be read; nothing imported",
		                       "diagnostics", diags_json(&d)));
		goto out;
	}
	if (cg_req_arg_long(q, "preview", 0, 0, 1) == 1) {
		cg_resp_json(r, 200, preview_json(f, &d));
		goto out;
	}
	if (cg_db_query_int(q->db, &exists, "SELECT id FROM feeds WHERE kind = ? AND sha256 = ?",
	                    "tt", kind, sha) == 0) {
		cg_resp_json(r, 409,
		             json_pack("{s:s,s:s,s:s,s:I}", "error", "duplicate", "message_vi",
		                       "Danh sách này đã được nhập", "message_en",
		                       "This list was already imported", "id", (json_int_t)exists));
		rc = CG_EEXIST;
		goto out;
	}
	rc = cg_db_begin_write(q->db);
	if (rc == 0)
		rc = store_feed(q, f, name, sha, &feed_id);
	if (rc == 0 && !adv && !ioc)
		rc = cg_srv_botnet_match(q->db, feed_id, &matched);
	if (rc == 0)
		rc = cg_srv_audit(q, "feed.import", name,
		                  json_pack("{s:s,s:I,s:I}", "kind", kind, "entries",
		                            (json_int_t)f->nentries, "matched",
		                            (json_int_t)matched));
	if (rc == 0)
		rc = cg_db_commit(q->db);
	if (rc != 0) {
		cg_db_rollback(q->db);
		cg_resp_dberr(r, rc);
		goto out;
	}
	char cols[256];
	cg_feed_columns_text(f, cols, sizeof cols);
	cg_resp_json(r, 201,
	             json_pack("{s:I,s:I,s:I,s:I,s:s,s:s,s:o}", "id", (json_int_t)feed_id,
	                       "entries", (json_int_t)(adv ? f->nadvisories : f->nentries),
	                       "rows_bad", (json_int_t)f->rows_bad, "matched", (json_int_t)matched,
	                       "format", f->format_detail, "columns", cols, "diagnostics",
	                       diags_json(&d)));
out:
	cg_feed_free(f);
	cg_diags_clear(&d);
	return rc;
}

int cg_h_feeds_list(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_VIEWER))
		return CG_EPERM;
	struct cg_rows *f = NULL;
	char like[300];
	const char *kind = cg_req_arg(q, "kind");
	long limit = cg_req_arg_long(q, "limit", 500, 1, 500);
	long offset = cg_req_arg_long(q, "offset", 0, 0, 100000000);
	int64_t total = 0;
	snprintf(like, sizeof like, "%s%%", q->who.unit_path);
	int rc =
	    cg_db_query_int(q->db, &total, "SELECT COUNT(*) FROM feeds WHERE ? = '' OR kind = ?",
	                    "tt", kind ? kind : "", kind ? kind : "");
	/* matched, within the caller's scope: a botnet list's attributed addresses, a warning's
	 * affected hosts */
	if (rc == 0)
		rc = cg_db_query(
		    q->db, &f,
		    "SELECT f.id, f.kind, f.name, f.sha256, f.entries, f.imported_ms, CASE f.kind "
		    "WHEN "
		    "'botnet' THEN (SELECT COUNT(*) FROM botnet_matches m JOIN units n ON n.id = "
		    "m.unit_id WHERE m.feed_id = f.id AND n.path LIKE ?) WHEN 'advisory' THEN "
		    "(SELECT "
		    "COUNT(DISTINCT v.agent_id) FROM host_vulns v JOIN agents g ON g.id = "
		    "v.agent_id "
		    "JOIN units n ON n.id = g.unit_id WHERE v.feed_id = f.id AND n.path LIKE ?) "
		    "ELSE 0 "
		    "END FROM feeds f WHERE ? = '' OR f.kind = ? ORDER BY f.id DESC LIMIT ? OFFSET "
		    "?",
		    "ttttii", like, like, kind ? kind : "", kind ? kind : "", (int64_t)limit,
		    (int64_t)offset);
	if (rc != 0)
		return cg_resp_dberr(r, rc);
	json_t *arr = json_array();
	for (size_t i = 0; i < f->n; i++)
		json_array_append_new(arr,
		                      json_pack("{s:I,s:s,s:s,s:s,s:I,s:I,s:I}", "id",
		                                (json_int_t)cg_rows_int(f, i, 0, 0), "kind",
		                                cg_rows_get(f, i, 1), "name", cg_rows_get(f, i, 2),
		                                "sha256", cg_rows_get(f, i, 3), "entries",
		                                (json_int_t)cg_rows_int(f, i, 4, 0), "imported_ms",
		                                (json_int_t)cg_rows_int(f, i, 5, 0), "matched",
		                                (json_int_t)cg_rows_int(f, i, 6, 0)));
	cg_rows_free(f);
	cg_resp_json(r, 200, json_pack("{s:o,s:I}", "feeds", arr, "total", (json_int_t)total));
	return 0;
}

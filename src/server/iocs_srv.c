/* iocs_srv.c - the file hashes of imported IOC lists, handed to agents, which match them
 * against the digests of every file they ever scanned (docs/agent.md "IOC lists"); and what the
 * server makes of a match: the file joins the host's findings (so that a quarantine task may
 * name it) and an ioc.match alert is raised. */
#include <stdio.h>
#include <string.h>

#include "server/srv.h"

#include "banned.h"

#define PAGE 20000

int cg_srv_ioc_version(struct cg_db *db, json_t **out)
{
	struct cg_rows *f = NULL;
	*out = NULL;
	/* on the heartbeat path: the small feeds table only, never the hashes themselves */
	int rc = cg_db_query(db, &f,
	                     "SELECT COALESCE(MAX(id), 0), COALESCE(SUM(hashes), 0) FROM feeds "
	                     "WHERE kind = 'ioc'",
	                     "");
	int64_t v = rc == 0 && f->n == 1 ? cg_rows_int(f, 0, 0, 0) : 0;
	if (v > 0)
		*out = json_pack("{s:I,s:I}", "version", (json_int_t)v, "total",
		                 (json_int_t)cg_rows_int(f, 0, 1, 0));
	cg_rows_free(f);
	return rc;
}

/* GET /agent/iocs?offset=N: up to 20,000 hashes [type, hex, list, family] from row N. */
int cg_h_agent_iocs(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_agent(q, r))
		return CG_EPERM;
	long off = cg_req_arg_long(q, "offset", 0, 0, 100000000);
	json_t *ver = NULL;
	struct cg_rows *h = NULL;
	int rc = cg_srv_ioc_version(q->db, &ver);
	if (rc == 0)
		rc = cg_db_query(
		    q->db, &h,
		    "SELECT i.type, i.value, f.name, i.family FROM feed_iocs i JOIN feeds f "
		    "ON f.id = i.feed_id ORDER BY i.id LIMIT ? OFFSET ?",
		    "ii", (int64_t)PAGE, (int64_t)off);
	if (rc) {
		json_decref(ver);
		return cg_resp_dberr(r, rc);
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < h->n; i++)
		json_array_append_new(arr, json_pack("[s,s,s,s?]", cg_rows_get(h, i, 0),
		                                     cg_rows_get(h, i, 1), cg_rows_get(h, i, 2),
		                                     cg_rows_get(h, i, 3)));
	cg_rows_free(h);
	cg_resp_json(r, 200,
	             json_pack("{s:I,s:I,s:I,s:o}", "version",
	                       json_integer_value(json_object_get(ver, "version")), "total",
	                       json_integer_value(json_object_get(ver, "total")), "offset",
	                       (json_int_t)off, "hashes", arr));
	json_decref(ver);
	return 0;
}

int cg_srv_ioc_match(struct cg_db *db, const struct cg_caller *a, json_t *ev, int64_t now)
{
	const char *path = json_string_value(json_object_get(ev, "path"));
	const char *sha =
	    json_string_value(json_object_get(json_object_get(ev, "digests"), "sha256"));
	const char *list = json_string_value(json_object_get(ev, "list"));
	const char *val = json_string_value(json_object_get(ev, "ioc"));
	if (!path || strlen(path) > 4096 || !val || strlen(val) > 64)
		return 0;
	int rc = 0;
	if (sha && strlen(sha) == 64) /* a file the host reported: a quarantine task may name it */
		rc = cg_db_exec(
		    db, NULL,
		    "INSERT INTO host_files (agent_id, path, sha256, signature, first_ms, "
		    "last_ms) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (agent_id, path, "
		    "sha256) DO UPDATE SET last_ms = excluded.last_ms",
		    "itttii", a->agent_id, path, sha, list ? list : "ioc", now, now);
	char dedupe[200];
	snprintf(dedupe, sizeof dedupe, "ioc:%lld:%s", (long long)a->agent_id, val);
	if (rc == 0)
		rc = cg_srv_alert_raise(db, a->agent_unit, a->agent_id, "ioc.match", 3, dedupe,
		                        "Tệp trùng chỉ dấu IOC / A file matches an IOC list",
		                        json_deep_copy(ev));
	return rc;
}

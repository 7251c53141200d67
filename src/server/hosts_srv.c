/* hosts_srv.c - hosts (enrolled agents) in the caller's scope: list, details with findings and
 * tasks, revocation, and the tasks an admin pushes to a host. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server/srv.h"

#include "banned.h"

#define ONLINE_MS (3LL * 60 * 1000)

#define HOST_COLS                                                                                  \
	"SELECT g.id, g.uid, n.code, g.hostname, g.os, g.last_seen_ms, g.last_ip, g.revoked, "     \
	"g.enrolled_ms, g.unit_id, g.facts, g.self, g.cloned_from, g.canary, g.bundle_version, "   \
	"g.agent_version, g.clean_scan_ms, g.clean_scan_bundle FROM agents g JOIN units n ON "     \
	"n.id = g.unit_id "

static json_t *host_json(struct cg_rows *h, size_t i, int full)
{
	int64_t seen = cg_rows_int(h, i, 5, 0);
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:I,s:s,s:b,s:b,s:I}", "id", cg_rows_get(h, i, 1),
	                      "unit", cg_rows_get(h, i, 2), "hostname", cg_rows_get(h, i, 3), "os",
	                      cg_rows_get(h, i, 4), "last_seen_ms", (json_int_t)seen, "last_ip",
	                      cg_rows_get(h, i, 6), "revoked", cg_rows_int(h, i, 7, 0) != 0,
	                      "online", cg_srv_now_ms() - seen < ONLINE_MS, "enrolled_ms",
	                      (json_int_t)cg_rows_int(h, i, 8, 0));
	json_object_set_new(o, "canary", json_boolean(cg_rows_int(h, i, 13, 0) != 0));
	json_object_set_new(o, "bundle_version", json_string(cg_rows_get(h, i, 14)));
	json_object_set_new(o, "agent_version", json_string(cg_rows_get(h, i, 15)));
	json_object_set_new(o, "clean_scan_ms", json_integer(cg_rows_int(h, i, 16, 0)));
	json_object_set_new(o, "clean_scan_bundle", json_string(cg_rows_get(h, i, 17)));
	if (full) {
		json_t *f = json_loads(cg_rows_get(h, i, 10), 0, NULL);
		json_t *sf = json_loads(cg_rows_get(h, i, 11), 0, NULL);
		json_object_set_new(o, "facts", f ? f : json_object());
		json_object_set_new(o, "self", sf ? sf : json_object());
	}
	return o;
}

int cg_h_hosts_list(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_VIEWER))
		return CG_EPERM;
	char like[300], find[140];
	const char *text = cg_req_arg(q, "q");
	long limit = cg_req_arg_long(q, "limit", 200, 1, 5000);
	long offset = cg_req_arg_long(q, "offset", 0, 0, 100000000);
	int64_t total = 0;
	struct cg_rows *h = NULL;
	int rc = cg_srv_scope_like(q, cg_req_arg(q, "unit"), like, sizeof like);
	if (rc != 0)
		return cg_resp_dberr(r, rc);
	/* q: part of the host name or of its last address (LIKE wildcards taken literally) */
	size_t k = 0;
	find[k++] = '%';
	for (const char *c = text ? text : ""; *c && k + 3 < sizeof find; c++) {
		if (*c == '%' || *c == '_' || *c == '!')
			find[k++] = '!';
		find[k++] = *c;
	}
	find[k++] = '%';
	find[k] = 0;
#define HOST_WHERE                                                                                 \
	"WHERE n.path LIKE ? AND (LOWER(g.hostname) LIKE LOWER(?) ESCAPE '!' OR g.last_ip LIKE ? " \
	"ESCAPE '!') "
	rc = cg_db_query_int(
	    q->db, &total,
	    "SELECT COUNT(*) FROM agents g JOIN units n ON n.id = g.unit_id " HOST_WHERE, "ttt",
	    like, find, find);
	if (rc == 0)
		rc = cg_db_query(q->db, &h,
		                 HOST_COLS HOST_WHERE "ORDER BY g.hostname, g.id LIMIT ? OFFSET ?",
		                 "tttii", like, find, find, (int64_t)limit, (int64_t)offset);
#undef HOST_WHERE
	if (rc != 0)
		return cg_resp_dberr(r, rc);
	json_t *arr = json_array();
	for (size_t i = 0; i < h->n; i++)
		json_array_append_new(arr, host_json(h, i, 0));
	cg_rows_free(h);
	cg_resp_json(r, 200, json_pack("{s:o,s:I}", "hosts", arr, "total", (json_int_t)total));
	return 0;
}

/* The host named by path parameter 0 (its uid), in scope; 404 otherwise. */
static int load_host(struct cg_req *q, struct cg_resp *r, struct cg_rows **h)
{
	int rc = cg_db_query(q->db, h, HOST_COLS "WHERE g.uid = ?", "t", q->params[0]);
	if (rc != 0)
		return cg_resp_dberr(r, rc);
	if ((*h)->n != 1 || cg_srv_scope_unit(q, r, cg_rows_int(*h, 0, 9, 0))) {
		cg_rows_free(*h);
		*h = NULL;
		cg_resp_404(r);
		return CG_ENOENT;
	}
	return 0;
}

static json_t *host_extra(struct cg_req *q, int64_t id)
{
	json_t *o = json_object(), *arr;
	struct cg_rows *x = NULL;
	arr = json_array();
	if (cg_db_query(q->db, &x,
	                "SELECT addr, source, first_ms, last_ms FROM host_addrs WHERE "
	                "agent_id = ? ORDER BY source, addr",
	                "i", id) == 0)
		for (size_t i = 0; i < x->n; i++)
			json_array_append_new(
			    arr, json_pack("{s:s,s:s,s:I,s:I}", "addr", cg_rows_get(x, i, 0),
			                   "source", cg_rows_get(x, i, 1), "first_ms",
			                   (json_int_t)cg_rows_int(x, i, 2, 0), "last_ms",
			                   (json_int_t)cg_rows_int(x, i, 3, 0)));
	json_object_set_new(o, "addresses", arr);
	cg_rows_free(x);
	x = NULL;
	arr = json_array();
	if (cg_db_query(q->db, &x,
	                "SELECT path, sha256, signature, first_ms, last_ms, quarantined "
	                "FROM host_files WHERE agent_id = ? ORDER BY last_ms DESC LIMIT 500",
	                "i", id) == 0)
		for (size_t i = 0; i < x->n; i++)
			json_array_append_new(
			    arr, json_pack("{s:s,s:s,s:s,s:I,s:I,s:b}", "path",
			                   cg_rows_get(x, i, 0), "sha256", cg_rows_get(x, i, 1),
			                   "signature", cg_rows_get(x, i, 2), "first_ms",
			                   (json_int_t)cg_rows_int(x, i, 3, 0), "last_ms",
			                   (json_int_t)cg_rows_int(x, i, 4, 0), "quarantined",
			                   cg_rows_int(x, i, 5, 0) != 0));
	json_object_set_new(o, "findings", arr);
	cg_rows_free(x);
	x = NULL;
	arr = json_array();
	if (cg_db_query(q->db, &x,
	                "SELECT id, kind, state, created_ms, updated_ms FROM tasks WHERE "
	                "agent_id = ? ORDER BY id DESC LIMIT 50",
	                "i", id) == 0)
		for (size_t i = 0; i < x->n; i++)
			json_array_append_new(
			    arr, json_pack("{s:I,s:s,s:s,s:I,s:I}", "id",
			                   (json_int_t)cg_rows_int(x, i, 0, 0), "kind",
			                   cg_rows_get(x, i, 1), "state", cg_rows_get(x, i, 2),
			                   "created_ms", (json_int_t)cg_rows_int(x, i, 3, 0),
			                   "updated_ms", (json_int_t)cg_rows_int(x, i, 4, 0)));
	json_object_set_new(o, "tasks", arr);
	cg_rows_free(x);
	return o;
}

int cg_h_hosts_get(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_VIEWER))
		return CG_EPERM;
	struct cg_rows *h = NULL;
	int rc = load_host(q, r, &h);
	if (rc != 0)
		return rc;
	json_t *o = host_json(h, 0, 1);
	json_t *extra = host_extra(q, cg_rows_int(h, 0, 0, 0));
	json_object_update(o, extra);
	json_decref(extra);
	cg_rows_free(h);
	cg_resp_json(r, 200, o);
	return 0;
}

int cg_h_hosts_revoke(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_UNIT_ADMIN))
		return CG_EPERM;
	struct cg_rows *h = NULL;
	int rc = load_host(q, r, &h);
	if (rc != 0)
		return rc;
	rc = cg_db_exec(q->db, NULL, "UPDATE agents SET revoked = 1 WHERE id = ?", "i",
	                cg_rows_int(h, 0, 0, 0));
	if (rc == 0)
		cg_srv_audit(q, "agent.revoke", q->params[0], NULL);
	cg_rows_free(h);
	if (rc != 0)
		return cg_resp_dberr(r, rc);
	cg_resp_json(r, 200, json_pack("{s:b}", "ok", 1));
	return 0;
}

/* POST /hosts/:id {"canary": true|false}: the canary group that gets new bundles first is the
 * Department's choice (department admins only). */
int cg_h_hosts_update(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_DEPT_ADMIN))
		return CG_EPERM;
	json_t *j = cg_req_json(q, r);
	if (!j)
		return CG_EINVAL;
	struct cg_rows *h = NULL;
	json_t *canary = json_object_get(j, "canary");
	int rc = CG_EINVAL;
	if (!json_is_boolean(canary)) {
		cg_resp_err(r, 400, "bad_request", "Cần 'canary' kiểu true/false",
		            "A boolean 'canary' is required");
		goto out;
	}
	rc = load_host(q, r, &h);
	if (rc)
		goto out;
	rc = cg_db_begin_write(q->db);
	if (rc == 0)
		rc = cg_db_exec(q->db, NULL, "UPDATE agents SET canary = ? WHERE id = ?", "ii",
		                (int64_t)json_is_true(canary), cg_rows_int(h, 0, 0, 0));
	if (rc == 0)
		rc = cg_srv_audit(q, "agent.canary", q->params[0],
		                  json_pack("{s:b}", "canary", json_is_true(canary)));
	if (rc == 0)
		rc = cg_db_commit(q->db);
	if (rc) {
		cg_db_rollback(q->db);
		cg_resp_dberr(r, rc);
		goto out;
	}
	cg_resp_json(r, 200,
	             json_pack("{s:s,s:b}", "id", q->params[0], "canary", json_is_true(canary)));
out:
	cg_rows_free(h);
	json_decref(j);
	return rc;
}

/* Checks a task's kind and arguments. A quarantine may name only a (path, sha256) that this
 * host itself reported. Returns 0 or answers 400 in r. */
static int check_task(struct cg_req *q, struct cg_resp *r, int64_t agent_id, const char *kind,
                      json_t *args)
{
	if (strcmp(kind, "scan") == 0) {
		const char *mode = json_string_value(json_object_get(args, "mode"));
		json_t *paths = json_object_get(args, "paths");
		if (!mode ||
		    (strcmp(mode, "quick") && strcmp(mode, "full") && strcmp(mode, "path")) ||
		    (strcmp(mode, "path") == 0 &&
		     (!json_is_array(paths) || !json_array_size(paths) ||
		      json_array_size(paths) > 64)))
			return cg_resp_err(r, 400, "bad_args",
			                   "Quét: 'mode' là quick, full hoặc path (kèm 'paths')",
			                   "Scan: 'mode' is quick, full or path (with 'paths')");
		return 0;
	}
	if (strcmp(kind, "inventory") == 0 || strcmp(kind, "bundle_update") == 0)
		return 0;
	if (strcmp(kind, "quarantine") == 0) {
		const char *path = json_string_value(json_object_get(args, "path"));
		const char *sha = json_string_value(json_object_get(args, "sha256"));
		int64_t n = 0;
		if (!path || !sha ||
		    cg_db_query_int(
		        q->db, &n,
		        "SELECT COUNT(*) FROM host_files WHERE agent_id = ? AND path = ? AND "
		        "sha256 = ?",
		        "itt", agent_id, path, sha) != 0 ||
		    n != 1)
			return cg_resp_err(
			    r, 400, "not_reported",
			    "Chỉ cách ly được tệp (đường dẫn, SHA-256) mà chính máy này đã báo",
			    "Only a file (path, SHA-256) this host itself reported can be "
			    "quarantined");
		return 0;
	}
	if (strcmp(kind, "restore") == 0) {
		if (!json_is_string(json_object_get(args, "id")))
			return cg_resp_err(r, 400, "bad_args",
			                   "Khôi phục: cần 'id' của mục cách ly",
			                   "Restore: the quarantine 'id' is required");
		return 0;
	}
	return cg_resp_err(r, 400, "bad_kind",
	                   "'kind' phải là scan, inventory, bundle_update, quarantine hoặc restore",
	                   "'kind' must be scan, inventory, bundle_update, quarantine or restore");
}

int cg_h_tasks_create(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_UNIT_ADMIN))
		return CG_EPERM;
	struct cg_rows *h = NULL;
	int rc = load_host(q, r, &h);
	if (rc != 0)
		return rc;
	int64_t agent_id = cg_rows_int(h, 0, 0, 0), id = 0;
	cg_rows_free(h);
	json_t *j = cg_req_json(q, r);
	if (!j)
		return CG_EINVAL;
	const char *kind = json_string_value(json_object_get(j, "kind"));
	json_t *args = json_object_get(j, "args");
	if (!args)
		args = json_object_get(j, "kind") ? json_object() : NULL;
	else
		json_incref(args);
	rc = CG_EINVAL;
	if (!kind || !json_is_object(args)) {
		cg_resp_err(r, 400, "bad_request", "Cần 'kind' và 'args'",
		            "'kind' and 'args' required");
		goto out;
	}
	if (check_task(q, r, agent_id, kind, args) != 0)
		goto out;
	char *aj = json_dumps(args, JSON_COMPACT | JSON_ENSURE_ASCII);
	int64_t now = cg_srv_now_ms();
	rc = aj && strlen(aj) < 16384
	         ? cg_db_query_int(
	               q->db, &id,
	               "INSERT INTO tasks (agent_id, kind, args, created_by, created_ms, "
	               "updated_ms) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
	               "ittiii", agent_id, kind, aj, q->who.user_id, now, now)
	         : CG_ELIMIT;
	free(aj);
	if (rc != 0) {
		cg_resp_dberr(r, rc);
		goto out;
	}
	char obj[64];
	snprintf(obj, sizeof obj, "task:%lld", (long long)id);
	cg_srv_audit(q, "task.create", obj,
	             json_pack("{s:s,s:s,s:O}", "host", q->params[0], "kind", kind, "args", args));
	cg_resp_json(r, 201, json_pack("{s:I,s:s}", "id", (json_int_t)id, "state", "queued"));
out:
	json_decref(args);
	json_decref(j);
	return rc;
}

int cg_h_tasks_get(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_VIEWER))
		return CG_EPERM;
	struct cg_rows *t = NULL;
	int rc =
	    cg_db_query(q->db, &t,
	                "SELECT t.id, g.uid, t.kind, t.args, t.state, t.result, t.created_ms, "
	                "t.updated_ms, g.unit_id FROM tasks t JOIN agents g ON g.id = t.agent_id "
	                "WHERE t.id = ?",
	                "i", cg_param_id(q, 0));
	if (rc != 0)
		return cg_resp_dberr(r, rc);
	if (t->n != 1 || cg_srv_scope_unit(q, r, cg_rows_int(t, 0, 8, 0))) {
		cg_rows_free(t);
		return cg_resp_404(r);
	}
	json_t *args = json_loads(cg_rows_get(t, 0, 3), 0, NULL);
	json_t *res = json_loads(cg_rows_get(t, 0, 5), 0, NULL);
	json_t *o = json_pack(
	    "{s:I,s:s,s:s,s:o,s:s,s:o,s:I,s:I}", "id", (json_int_t)cg_rows_int(t, 0, 0, 0), "host",
	    cg_rows_get(t, 0, 1), "kind", cg_rows_get(t, 0, 2), "args", args ? args : json_object(),
	    "state", cg_rows_get(t, 0, 4), "result", res ? res : json_object(), "created_ms",
	    (json_int_t)cg_rows_int(t, 0, 6, 0), "updated_ms", (json_int_t)cg_rows_int(t, 0, 7, 0));
	cg_rows_free(t);
	cg_resp_json(r, 200, o);
	return 0;
}

/* Does item (an object with "name") match the search text (case-insensitive ASCII)? */
static int name_matches(json_t *item, const char *text)
{
	const char *n = json_string_value(json_object_get(item, "name"));
	if (!text || !*text)
		return 1;
	if (!n)
		return 0;
	size_t tl = strlen(text);
	for (const char *p = n; *p; p++)
		if (strncasecmp(p, text, tl) == 0)
			return 1;
	return 0;
}

/* GET /hosts/:id/inventory?q=&limit=&offset=: the host's last inventory (docs/api.md): its
 * packages (Linux) or programs (Windows), searched by name and paged; a Windows PC's OS, build
 * and installed updates too. */
int cg_h_hosts_inventory(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_VIEWER))
		return CG_EPERM;
	struct cg_rows *h = NULL, *i = NULL;
	if (load_host(q, r, &h) != 0)
		return CG_ENOENT;
	const char *text = cg_req_arg(q, "q");
	long limit = cg_req_arg_long(q, "limit", 100, 1, 1000);
	long offset = cg_req_arg_long(q, "offset", 0, 0, 1000000);
	int rc = cg_db_query(q->db, &i,
	                     "SELECT ecosystem, packages, received_ms FROM host_inventory WHERE "
	                     "agent_id = ?",
	                     "i", cg_rows_int(h, 0, 0, 0));
	cg_rows_free(h);
	if (rc != 0)
		return cg_resp_dberr(r, rc);
	json_t *out = json_pack("{s:n,s:n,s:[],s:I}", "ecosystem", "received_ms", "packages",
	                        "total", (json_int_t)0);
	if (i->n == 1 && out) {
		json_t *all = json_loads(cg_rows_get(i, 0, 1), 0, NULL), *list = all, *sel;
		const char *eco = cg_rows_get(i, 0, 0);
		json_object_set_new(out, "ecosystem", json_string(eco));
		json_object_set_new(out, "received_ms", json_integer(cg_rows_int(i, 0, 2, 0)));
		if (json_is_object(all)) { /* Windows: the inventory whole, programs paged below */
			json_t *os = json_object_get(all, "os");
			json_object_set(out, "os", os ? os : json_null());
			json_object_set(out, "hotfixes",
			                json_is_array(json_object_get(all, "hotfixes"))
			                    ? json_object_get(all, "hotfixes")
			                    : json_array());
			list = json_object_get(all, "programs");
		}
		sel = json_object_get(out, "packages");
		size_t k, total = 0;
		json_t *item;
		json_array_foreach(json_is_array(list) ? list : NULL, k, item)
		{
			if (!json_is_object(item) || !name_matches(item, text))
				continue;
			if (total >= (size_t)offset && total < (size_t)(offset + limit))
				json_array_append(sel, item);
			total++;
		}
		json_object_set_new(out, "total", json_integer((json_int_t)total));
		json_decref(all);
	}
	cg_rows_free(i);
	if (!out)
		return cg_resp_dberr(r, CG_ENOMEM);
	cg_resp_json(r, 200, out);
	return 0;
}

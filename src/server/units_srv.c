/* units_srv.c - the unit tree: list and page it (in the caller's scope, Vietnamese order), show a
 * unit, create one, import the units file of the feeds issue (atomic: all rows or none), and
 * register public addresses. */
#include <stdlib.h>
#include <string.h>

#include "canhgac/iocset.h"
#include "canhgac/ipaddr.h"
#include "canhgac/table.h"
#include "canhgac/units.h"
#include "server/srv.h"

#include "banned.h"

#define OPEN_MS 9000000000000000LL

static json_t *unit_row_json(struct cg_rows *u, size_t i)
{
	return json_pack("{s:I,s:s,s:s,s:s?,s:s,s:s,s:I,s:s?}", "id",
	                 (json_int_t)cg_rows_int(u, i, 0, 0), "code", cg_rows_get(u, i, 1), "name",
	                 cg_rows_get(u, i, 2), "parent", cg_rows_get(u, i, 3), "kind",
	                 cg_rows_get(u, i, 4), "email", cg_rows_get(u, i, 5), "pcs",
	                 (json_int_t)cg_rows_int(u, i, 6, -1), "merged_into", cg_rows_get(u, i, 8));
}

#define UNIT_COLS                                                                                  \
	"SELECT u.id, u.code, u.name, p.code, u.kind, u.email, u.pcs, u.path, mg.code FROM units " \
	"u "                                                                                       \
	"LEFT JOIN units p ON p.id = u.parent_id LEFT JOIN units mg ON mg.id = u.merged_into "

int cg_h_units_list(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_VIEWER))
		return CG_EPERM;
	char like[300];
	snprintf(like, sizeof like, "%s%%", q->who.unit_path);
	long limit = cg_req_arg_long(q, "limit", 200, 1, 5000);
	long offset = cg_req_arg_long(q, "offset", 0, 0, 100000000);
	struct cg_rows *u = NULL;
	int64_t total = 0;
	int rc = cg_db_query_int(q->db, &total, "SELECT COUNT(*) FROM units WHERE path LIKE ?", "t",
	                         like);
	if (rc == 0)
		rc = cg_db_query(q->db, &u,
		                 UNIT_COLS
		                 "WHERE u.path LIKE ? ORDER BY u.name_key, u.id LIMIT ? OFFSET ?",
		                 "tii", like, (int64_t)limit, (int64_t)offset);
	if (rc != 0)
		return cg_resp_dberr(r, rc);
	json_t *arr = json_array();
	for (size_t i = 0; i < u->n; i++)
		json_array_append_new(arr, unit_row_json(u, i));
	cg_rows_free(u);
	cg_resp_json(r, 200, json_pack("{s:o,s:I}", "units", arr, "total", (json_int_t)total));
	return 0;
}

int cg_h_units_get(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_VIEWER))
		return CG_EPERM;
	struct cg_rows *u = NULL, *a = NULL;
	int rc = cg_db_query(q->db, &u, UNIT_COLS "WHERE u.code = ?", "t", q->params[0]);
	if (rc != 0)
		return cg_resp_dberr(r, rc);
	if (u->n != 1 || cg_srv_scope_unit(q, r, cg_rows_int(u, 0, 0, 0))) {
		cg_rows_free(u);
		return cg_resp_404(r);
	}
	json_t *o = unit_row_json(u, 0);
	json_t *addrs = json_array();
	if (cg_db_query(q->db, &a,
	                "SELECT addr, source, first_ms, last_ms FROM unit_addrs WHERE unit_id = ? "
	                "ORDER BY source, addr",
	                "i", cg_rows_int(u, 0, 0, 0)) == 0) {
		for (size_t i = 0; i < a->n; i++)
			json_array_append_new(
			    addrs, json_pack("{s:s,s:s,s:I,s:I}", "addr", cg_rows_get(a, i, 0),
			                     "source", cg_rows_get(a, i, 1), "first_ms",
			                     (json_int_t)cg_rows_int(a, i, 2, 0), "last_ms",
			                     (json_int_t)cg_rows_int(a, i, 3, 0)));
	}
	json_object_set_new(o, "addresses", addrs);
	cg_rows_free(a);
	a = NULL;
	json_t *doms = json_array();
	if (cg_db_query(
	        q->db, &a,
	        "SELECT domain, created_ms FROM unit_domains WHERE unit_id = ? ORDER BY domain "
	        "LIMIT 1000",
	        "i", cg_rows_int(u, 0, 0, 0)) == 0) {
		for (size_t i = 0; i < a->n; i++)
			json_array_append_new(doms, json_pack("{s:s,s:I}", "domain",
			                                      cg_rows_get(a, i, 0), "created_ms",
			                                      (json_int_t)cg_rows_int(a, i, 1, 0)));
	}
	json_object_set_new(o, "domains", doms);
	cg_rows_free(a);
	cg_rows_free(u);
	cg_resp_json(r, 200, o);
	return 0;
}

/* Inserts or updates one unit under parent_id (0 = root); sets *id. */
static int upsert_unit(struct cg_db *db, const char *code, const char *name, int64_t parent_id,
                       const char *kind, const char *email, long pcs, int64_t *id)
{
	char key[512], path[256];
	cg_srv_collkey(name, 0, key, sizeof key);
	int64_t now = cg_srv_now_ms();
	int rc = cg_db_query_int(
	    db, id,
	    "INSERT INTO units (code, name, name_key, parent_id, path, kind, email, "
	    "pcs, created_ms, updated_ms) VALUES (?, ?, ?, ?, '', ?, ?, ?, ?, ?) "
	    "ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
	    "name_key = excluded.name_key, parent_id = excluded.parent_id, "
	    "kind = excluded.kind, email = excluded.email, pcs = excluded.pcs, "
	    "updated_ms = excluded.updated_ms RETURNING id",
	    "tttIttiii", code, name, key, parent_id ? parent_id : INT64_MIN, kind ? kind : "",
	    email ? email : "", (int64_t)pcs, now, now);
	if (rc != 0)
		return rc;
	if (parent_id) {
		struct cg_rows *p = NULL;
		rc = cg_db_query(db, &p, "SELECT path FROM units WHERE id = ?", "i", parent_id);
		if (rc == 0 && p->n == 1)
			snprintf(path, sizeof path, "%s%lld/", cg_rows_get(p, 0, 0),
			         (long long)*id);
		else if (rc == 0)
			rc = CG_ENOENT;
		cg_rows_free(p);
		if (rc != 0)
			return rc;
	} else {
		snprintf(path, sizeof path, "/%lld/", (long long)*id);
	}
	if (strlen(path) >= sizeof path - 1)
		return CG_ELIMIT;
	return cg_db_exec(db, NULL, "UPDATE units SET path = ? WHERE id = ?", "ti", path, *id);
}

int cg_h_units_create(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_UNIT_ADMIN))
		return CG_EPERM;
	json_t *j = cg_req_json(q, r);
	if (!j)
		return CG_EINVAL;
	int rc = CG_EINVAL;
	const char *code = json_string_value(json_object_get(j, "code"));
	const char *name = json_string_value(json_object_get(j, "name"));
	const char *parent = json_string_value(json_object_get(j, "parent"));
	int64_t parent_id = 0, id = 0;
	if (!code || !name || !*code || strlen(code) > 63 || !*name || strlen(name) > 300) {
		cg_resp_err(r, 400, "bad_request", "Cần 'code' (1–63 ký tự) và 'name'",
		            "'code' (1–63 characters) and 'name' are required");
		goto out;
	}
	if (parent && cg_db_query_int(q->db, &parent_id, "SELECT id FROM units WHERE code = ?", "t",
	                              parent) != 0) {
		cg_resp_404(r);
		goto out;
	}
	/* A unit admin may add units only below its own unit. */
	if (q->who.role != CG_ROLE_DEPT_ADMIN &&
	    (!parent_id || cg_srv_scope_unit(q, r, parent_id))) {
		cg_resp_404(r);
		goto out;
	}
	int64_t exists = 0;
	cg_db_query_int(q->db, &exists, "SELECT COUNT(*) FROM units WHERE code = ?", "t", code);
	if (exists) {
		cg_resp_dberr(r, CG_EEXIST);
		goto out;
	}
	rc = cg_db_begin_write(q->db);
	if (rc == 0)
		rc = upsert_unit(q->db, code, name, parent_id,
		                 json_string_value(json_object_get(j, "kind")),
		                 json_string_value(json_object_get(j, "email")), -1, &id);
	if (rc == 0)
		rc = cg_srv_audit(q, "unit.create", code, json_pack("{s:s}", "name", name));
	if (rc == 0)
		rc = cg_db_commit(q->db);
	if (rc != 0) {
		cg_db_rollback(q->db);
		cg_resp_dberr(r, rc);
		goto out;
	}
	cg_resp_json(r, 201, json_pack("{s:I,s:s}", "id", (json_int_t)id, "code", code));
out:
	json_decref(j);
	return rc;
}

static int import_units(struct cg_req *q, const struct cg_units *u, size_t *naddr)
{
	int rc = 0;
	int64_t *ids = calloc(cg_units_count(u) + 1, sizeof *ids);
	if (!ids)
		return CG_ENOMEM;
	for (size_t i = 0; rc == 0 && i < cg_units_count(u); i++) {
		const struct cg_unit *x = cg_units_at(u, i);
		int64_t pid = 0;
		if (x->parent) {
			pid = ids[x->parent->index];
		} else if (q->who.role != CG_ROLE_DEPT_ADMIN) {
			/* A unit admin imports only below its own unit. */
			pid = q->who.unit_id;
		}
		rc = upsert_unit(q->db, x->code, x->name, pid, x->kind, x->email, x->pcs, &ids[i]);
		for (size_t k = 0; rc == 0 && k < x->nclaims; k++) {
			const struct cg_unit_claim *c = &x->claims[k];
			int64_t from = c->from == INT64_MIN ? 0 : c->from * 1000;
			int64_t to = c->to == INT64_MAX ? OPEN_MS : c->to * 1000;
			rc = cg_db_exec(
			    q->db, NULL,
			    "INSERT INTO unit_addrs (unit_id, addr, source, first_ms, last_ms) "
			    "VALUES (?, ?, 'registered', ?, ?) ON CONFLICT (unit_id, addr, source) "
			    "DO UPDATE SET first_ms = excluded.first_ms, last_ms = "
			    "excluded.last_ms",
			    "itii", ids[i], c->addr, from, to);
			(*naddr)++;
		}
		for (size_t k = 0; rc == 0 && k < x->ndomains; k++) {
			char dom[256];
			if (cg_domain_normalize(x->domains[k], strlen(x->domains[k]), dom,
			                        sizeof dom))
				continue; /* the units parser checked it; a name it kept but we
				             refuse */
			rc = cg_db_exec(
			    q->db, NULL,
			    "INSERT INTO unit_domains (unit_id, domain, created_ms) VALUES (?, ?, "
			    "?) ON CONFLICT (unit_id, domain) DO NOTHING",
			    "iti", ids[i], dom, cg_srv_now_ms());
		}
	}
	free(ids);
	return rc;
}

int cg_h_units_import(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_UNIT_ADMIN))
		return CG_EPERM;
	struct cg_diags d = {0};
	struct cg_table *t = NULL;
	struct cg_units *u = NULL;
	const char *name = cg_req_arg(q, "name");
	if (!name || !*name || strlen(name) > 200)
		name = "units.csv";
	size_t naddr = 0;
	int rc = cg_table_read(q->body, q->body_len, name, &t, &d);
	if (rc == 0)
		rc = cg_units_parse(t, name, CG_UNITS_TZ_VN, &u, &d);
	if (rc != 0) {
		json_t *errs = json_array();
		for (size_t i = 0; i < d.n && i < 100; i++)
			json_array_append_new(
			    errs, json_pack("{s:s,s:I,s:s,s:s}", "source", d.v[i].source, "line",
			                    (json_int_t)d.v[i].line, "message_vi", d.v[i].msg_vi,
			                    "message_en", d.v[i].msg_en));
		cg_resp_json(r, 400,
		             json_pack("{s:s,s:s,s:s,s:o}", "error", "bad_units_file", "message_vi",
		                       "Tệp danh sách đơn vị có lỗi; không nhập gì", "message_en",
		                       "The units file has errors; nothing imported", "diagnostics",
		                       errs));
		goto out;
	}
	/* Every unit of the file must lie in the caller's scope: a unit admin cannot take over a
	 * unit outside its subtree by naming its code. */
	if (q->who.role != CG_ROLE_DEPT_ADMIN) {
		for (size_t i = 0; i < cg_units_count(u); i++) {
			int64_t id = 0;
			const struct cg_unit *x = cg_units_at(u, i);
			if (cg_db_query_int(q->db, &id, "SELECT id FROM units WHERE code = ?", "t",
			                    x->code) == 0 &&
			    (id == q->who.unit_id || cg_srv_scope_unit(q, r, id))) {
				cg_resp_err(r, 403, "out_of_scope",
				            "Tệp nêu một đơn vị ngoài phạm vi quản lý của bạn",
				            "The file names a unit outside your scope");
				rc = CG_EPERM;
				goto out;
			}
		}
	}
	rc = cg_db_begin_write(q->db);
	if (rc == 0)
		rc = import_units(q, u, &naddr);
	if (rc == 0)
		rc = cg_srv_audit(q, "units.import", name,
		                  json_pack("{s:I}", "units", (json_int_t)cg_units_count(u)));
	if (rc == 0)
		rc = cg_db_commit(q->db);
	if (rc != 0) {
		cg_db_rollback(q->db);
		cg_resp_dberr(r, rc);
		goto out;
	}
	cg_resp_json(r, 200,
	             json_pack("{s:I,s:I,s:I}", "units", (json_int_t)cg_units_count(u), "addresses",
	                       (json_int_t)naddr, "warnings", (json_int_t)d.n));
out:
	cg_units_free(u);
	cg_table_free(t);
	cg_diags_clear(&d);
	return rc;
}

int cg_h_units_addr_add(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_UNIT_ADMIN))
		return CG_EPERM;
	int64_t uid = 0;
	if (cg_srv_unit_id(q, r, q->params[0], &uid) != 0)
		return CG_ENOENT;
	json_t *j = cg_req_json(q, r);
	if (!j)
		return CG_EINVAL;
	const char *a = json_string_value(json_object_get(j, "addr"));
	struct cg_prefix p;
	char canon[64];
	int rc = CG_EINVAL;
	if (!a || cg_prefix_parse(a, strlen(a), &p) != 0) {
		cg_resp_err(r, 400, "bad_addr", "'addr' phải là địa chỉ IP hoặc dải CIDR",
		            "'addr' must be an IP address or a CIDR prefix");
		goto out;
	}
	cg_prefix_format(&p, canon, sizeof canon);
	rc = cg_db_exec(q->db, NULL,
	                "INSERT INTO unit_addrs (unit_id, addr, source, first_ms, last_ms) VALUES "
	                "(?, ?, 'registered', ?, ?) ON CONFLICT (unit_id, addr, source) DO NOTHING",
	                "itii", uid, canon, cg_srv_now_ms(), OPEN_MS);
	if (rc != 0) {
		cg_resp_dberr(r, rc);
		goto out;
	}
	cg_srv_audit(q, "unit.address", q->params[0], json_pack("{s:s}", "addr", canon));
	cg_resp_json(r, 201, json_pack("{s:s}", "addr", canon));
out:
	json_decref(j);
	return rc;
}

/* POST /units/:code/domains {"domain": "thpt-a.edu.vn"}: a registered domain of the unit. */
int cg_h_units_domain_add(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_UNIT_ADMIN))
		return CG_EPERM;
	int64_t uid = 0;
	if (cg_srv_unit_id(q, r, q->params[0], &uid) != 0)
		return CG_ENOENT;
	json_t *j = cg_req_json(q, r);
	if (!j)
		return CG_EINVAL;
	const char *d = json_string_value(json_object_get(j, "domain"));
	char dom[256];
	int rc = CG_EINVAL;
	if (d && strncmp(d, "*.", 2) == 0)
		d += 2;
	if (!d || cg_domain_normalize(d, strlen(d), dom, sizeof dom) != 0) {
		cg_resp_err(r, 400, "bad_domain",
		            "'domain' phải là một tên miền, ví dụ thpt-a.edu.vn",
		            "'domain' must be a domain name, e.g. thpt-a.edu.vn");
		goto out;
	}
	rc = cg_db_begin_write(q->db);
	if (rc == 0)
		rc = cg_db_exec(
		    q->db, NULL,
		    "INSERT INTO unit_domains (unit_id, domain, created_ms) VALUES (?, ?, ?) "
		    "ON CONFLICT (unit_id, domain) DO NOTHING",
		    "iti", uid, dom, cg_srv_now_ms());
	if (rc == 0)
		rc =
		    cg_srv_audit(q, "unit.domain", q->params[0], json_pack("{s:s}", "domain", dom));
	if (rc == 0)
		rc = cg_db_commit(q->db);
	if (rc != 0) {
		cg_db_rollback(q->db);
		cg_resp_dberr(r, rc);
		goto out;
	}
	cg_resp_json(r, 201, json_pack("{s:s}", "domain", dom));
out:
	json_decref(j);
	return rc;
}

/* Moves unit id (and its subtree) below new_parent: every path under the old prefix gets the
 * new one. Refuses a move below itself. */
static int move_unit(struct cg_req *q, struct cg_resp *r, int64_t id, const char *old_path,
                     int64_t new_parent)
{
	struct cg_rows *p = NULL;
	char path[256];
	int rc = cg_db_query(q->db, &p, "SELECT path FROM units WHERE id = ?", "i", new_parent);
	if (rc != 0 || p->n != 1) {
		cg_rows_free(p);
		return rc ? rc : CG_ENOENT;
	}
	const char *pp = cg_rows_get(p, 0, 0);
	if (strncmp(pp, old_path, strlen(old_path)) == 0) {
		cg_rows_free(p);
		cg_resp_err(r, 400, "cycle", "Không thể chuyển một đơn vị vào dưới chính nó",
		            "A unit cannot move below itself");
		return CG_EINVAL;
	}
	snprintf(path, sizeof path, "%s%lld/", pp, (long long)id);
	cg_rows_free(p);
	char like[300];
	snprintf(like, sizeof like, "%s%%", old_path);
	rc = cg_db_exec(
	    q->db, NULL,
	    "UPDATE units SET path = CAST(? AS TEXT) || SUBSTR(path, CAST(? AS INTEGER)) "
	    "WHERE path LIKE ?",
	    "tit", path, (int64_t)strlen(old_path) + 1, like);
	if (rc == 0)
		rc = cg_db_exec(q->db, NULL, "UPDATE units SET parent_id = ? WHERE id = ?", "ii",
		                new_parent, id);
	return rc;
}

/* POST /units/:code {"name", "parent", "merged_into"} (each optional): a rename keeps the code;
 * a move takes the subtree along; a merge records the unit that now answers for this one. */
int cg_h_units_update(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_UNIT_ADMIN))
		return CG_EPERM;
	struct cg_rows *u = NULL;
	int rc =
	    cg_db_query(q->db, &u, "SELECT id, path FROM units WHERE code = ?", "t", q->params[0]);
	if (rc != 0)
		return cg_resp_dberr(r, rc);
	/* A unit admin may change units below its own, not its own unit. */
	if (u->n != 1 || cg_srv_scope_unit(q, r, cg_rows_int(u, 0, 0, 0)) ||
	    (q->who.role != CG_ROLE_DEPT_ADMIN && cg_rows_int(u, 0, 0, 0) == q->who.unit_id)) {
		cg_rows_free(u);
		return cg_resp_404(r);
	}
	int64_t id = cg_rows_int(u, 0, 0, 0), other = 0;
	char old_path[256];
	snprintf(old_path, sizeof old_path, "%s", cg_rows_get(u, 0, 1));
	cg_rows_free(u);
	json_t *j = cg_req_json(q, r);
	if (!j)
		return CG_EINVAL;
	const char *name = json_string_value(json_object_get(j, "name"));
	const char *parent = json_string_value(json_object_get(j, "parent"));
	const char *merged = json_string_value(json_object_get(j, "merged_into"));
	rc = CG_EINVAL;
	if ((name && (!*name || strlen(name) > 300)) || (!name && !parent && !merged)) {
		cg_resp_err(r, 400, "bad_request",
		            "Cần 'name' (1–300 ký tự), 'parent' hoặc 'merged_into'",
		            "'name' (1–300 characters), 'parent' or 'merged_into' is required");
		goto out;
	}
	rc = cg_db_begin_write(q->db);
	if (rc == 0 && name) {
		char key[512];
		cg_srv_collkey(name, 0, key, sizeof key);
		rc = cg_db_exec(
		    q->db, NULL,
		    "UPDATE units SET name = ?, name_key = ?, updated_ms = ? WHERE id = ?", "ttii",
		    name, key, cg_srv_now_ms(), id);
	}
	for (int k = 0; rc == 0 && k < 2; k++) {
		const char *code = k ? merged : parent;
		if (!code)
			continue;
		if (cg_db_query_int(q->db, &other, "SELECT id FROM units WHERE code = ?", "t",
		                    code) != 0 ||
		    other == id || cg_srv_scope_unit(q, r, other)) {
			cg_resp_err(r, 404, "not_found", "Không tìm thấy đơn vị đích",
			            "Target unit not found");
			rc = CG_ENOENT;
			break;
		}
		rc = k ? cg_db_exec(q->db, NULL, "UPDATE units SET merged_into = ? WHERE id = ?",
		                    "ii", other, id)
		       : move_unit(q, r, id, old_path, other);
	}
	if (rc == 0)
		rc = cg_srv_audit(q, "unit.update", q->params[0],
		                  json_pack("{s:s?,s:s?,s:s?}", "name", name, "parent", parent,
		                            "merged_into", merged));
	if (rc == 0)
		rc = cg_db_commit(q->db);
	if (rc != 0) {
		cg_db_rollback(q->db);
		if (r->status < 400)
			cg_resp_dberr(r, rc);
		goto out;
	}
	cg_resp_json(r, 200, json_pack("{s:b}", "ok", 1));
out:
	json_decref(j);
	return rc;
}

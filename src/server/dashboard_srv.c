/* dashboard_srv.c - GET /api/v1/dashboard: one unit's state at a glance for the console's first
 * page (docs/api.md "Dashboard"): totals over its subtree, the same figures for each unit
 * directly below it, what needs action first, and day-by-day trends. Every figure is counted in
 * the database, grouped by unit, then summed here up the tree; the caller's scope bounds it all.
 */
#include <stdlib.h>
#include <string.h>

#include "canhgac/timeutil.h"
#include "server/srv.h"

#include "banned.h"

#define ONLINE_MS (10 * 60 * 1000LL)      /* seen within 10 minutes: online */
#define OFFLINE_ALERT_MS (24 * 3600000LL) /* not seen for a day: needs a look */
#define TZ_OFFSET_MS (7 * 3600000LL)      /* Asia/Ho_Chi_Minh, UTC+7 all year */
#define DAY_MS 86400000LL
#define MAX_UNITS 20000
#define MAX_ATTENTION 20

enum fig { F_HOSTS, F_ONLINE, F_MALWARE, F_VULN, F_BOT_HANDLED, F_BOT_TOTAL, F_ALERTS, F_N };

struct unit {
	int64_t id, parent;
	const char *code, *name, *path;
	int child; /* index of the child of the shown unit this one belongs to, -1: the unit itself
	            */
	int64_t f[F_N];
};

struct dash {
	struct cg_rows *rows;
	struct unit *u;
	size_t n;
	int64_t total[F_N];
};

static struct unit *find(struct dash *d, int64_t id)
{
	for (size_t lo = 0, hi = d->n; lo < hi;) {
		size_t mid = (lo + hi) / 2;
		if (d->u[mid].id == id)
			return &d->u[mid];
		if (d->u[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int by_id(const void *a, const void *b)
{
	int64_t x = ((const struct unit *)a)->id, y = ((const struct unit *)b)->id;
	return x < y ? -1 : x > y;
}

/* Adds "SELECT unit_id, n1[, n2] ... GROUP BY unit_id" figures to each unit. */
static int add_figs(struct cg_db *db, struct dash *d, const char *sql, const char *like,
                    enum fig f1, int f2)
{
	struct cg_rows *r = NULL;
	int rc = cg_db_query(db, &r, sql, "t", like);
	for (size_t i = 0; rc == 0 && i < r->n; i++) {
		struct unit *u = find(d, cg_rows_int(r, i, 0, 0));
		if (!u)
			continue;
		u->f[f1] += cg_rows_int(r, i, 1, 0);
		if (f2 >= 0)
			u->f[f2] += cg_rows_int(r, i, 2, 0);
	}
	cg_rows_free(r);
	return rc;
}

static json_t *figs_json(const int64_t *f, int64_t units)
{
	json_t *o = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "hosts",
	                      (json_int_t)f[F_HOSTS], "online", (json_int_t)f[F_ONLINE], "offline",
	                      (json_int_t)(f[F_HOSTS] - f[F_ONLINE]), "malware_hosts",
	                      (json_int_t)f[F_MALWARE], "vulnerable_hosts", (json_int_t)f[F_VULN],
	                      "botnet_handled", (json_int_t)f[F_BOT_HANDLED], "botnet_total",
	                      (json_int_t)f[F_BOT_TOTAL], "alerts_open", (json_int_t)f[F_ALERTS],
	                      "incidents_open", (json_int_t)0);
	if (o && units >= 0)
		json_object_set_new(o, "units", json_integer(units));
	return o;
}

/* The figures per unit (the hosts query binds a time before the path, so it is written out). */
static int all_figures(struct cg_db *db, struct dash *d, const char *like, int64_t now)
{
	struct cg_rows *r = NULL;
	int rc = cg_db_query(db, &r,
	                     "SELECT a.unit_id, COUNT(*), SUM(CASE WHEN a.last_seen_ms >= ? THEN 1 "
	                     "ELSE 0 END) FROM agents a JOIN units n ON n.id = a.unit_id "
	                     "WHERE n.path LIKE ? AND a.revoked = 0 GROUP BY a.unit_id",
	                     "it", now - ONLINE_MS, like);
	for (size_t i = 0; rc == 0 && i < r->n; i++) {
		struct unit *u = find(d, cg_rows_int(r, i, 0, 0));
		if (u) {
			u->f[F_HOSTS] += cg_rows_int(r, i, 1, 0);
			u->f[F_ONLINE] += cg_rows_int(r, i, 2, 0);
		}
	}
	cg_rows_free(r);
	if (rc == 0)
		rc = add_figs(
		    db, d,
		    "SELECT a.unit_id, COUNT(DISTINCT f.agent_id) FROM host_files f JOIN "
		    "agents a ON a.id = f.agent_id JOIN units n ON n.id = a.unit_id WHERE "
		    "n.path LIKE ? AND f.quarantined = 0 AND a.revoked = 0 GROUP BY a.unit_id",
		    like, F_MALWARE, -1);
	if (rc == 0)
		rc = add_figs(
		    db, d,
		    "SELECT a.unit_id, COUNT(DISTINCT v.agent_id) FROM host_vulns v JOIN "
		    "agents a ON a.id = v.agent_id JOIN units n ON n.id = a.unit_id WHERE "
		    "n.path LIKE ? AND v.state = 'open' AND a.revoked = 0 GROUP BY a.unit_id",
		    like, F_VULN, -1);
	if (rc == 0)
		rc = add_figs(
		    db, d,
		    "SELECT m.unit_id, SUM(CASE WHEN m.state = 'handled' THEN 1 ELSE 0 END), "
		    "COUNT(*) FROM botnet_matches m JOIN units n ON n.id = m.unit_id WHERE "
		    "n.path LIKE ? GROUP BY m.unit_id",
		    like, F_BOT_HANDLED, F_BOT_TOTAL);
	if (rc == 0)
		rc = add_figs(db, d,
		              "SELECT l.unit_id, COUNT(*) FROM alerts l JOIN units n ON n.id = "
		              "l.unit_id WHERE n.path LIKE ? AND l.state <> 'resolved' GROUP BY "
		              "l.unit_id",
		              like, F_ALERTS, -1);
	return rc;
}

static void attention_add(json_t *arr, const char *kind, int sev, const char *unit,
                          const char *unit_name, json_t *extra)
{
	json_t *o = json_pack("{s:s,s:i,s:s,s:s}", "kind", kind, "severity", sev, "unit",
	                      unit ? unit : "", "unit_name", unit_name ? unit_name : "");
	if (o && extra)
		json_object_update(o, extra);
	json_decref(extra);
	if (o)
		json_array_append_new(arr, o);
}

static int by_urgency(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	json_int_t sx = json_integer_value(json_object_get(x, "severity"));
	json_int_t sy = json_integer_value(json_object_get(y, "severity"));
	if (sx != sy)
		return sx > sy ? -1 : 1;
	json_int_t cx = json_integer_value(json_object_get(x, "count"));
	json_int_t cy = json_integer_value(json_object_get(y, "count"));
	return cx > cy ? -1 : cx < cy;
}

/* Adds one attention item per row of sql, which selects (unit code, unit name, count) for the
 * units under `like` (and, when given, the time *since as its second parameter). */
static int unit_counts(struct cg_db *db, json_t *all, const char *kind, int sev, const char *sql,
                       const char *like, const int64_t *since)
{
	struct cg_rows *r = NULL;
	int rc = since ? cg_db_query(db, &r, sql, "ti", like, *since)
	               : cg_db_query(db, &r, sql, "t", like);
	for (size_t i = 0; rc == 0 && i < r->n; i++)
		attention_add(all, kind, sev, cg_rows_get(r, i, 0), cg_rows_get(r, i, 1),
		              json_pack("{s:I,s:s}", "count", (json_int_t)cg_rows_int(r, i, 2, 0),
		                        "title", cg_rows_get(r, i, 1)));
	cg_rows_free(r);
	return rc;
}

/* What needs action first: malware still on a host, open high alerts, botnet listings not
 * handled, exploited vulnerabilities, hosts silent for a day; most urgent first. */
static int attention(struct cg_db *db, const char *like, int64_t now, json_t **out)
{
	struct cg_rows *r = NULL;
	json_t *all = json_array();
	int rc = cg_db_query(
	    db, &r,
	    "SELECT a.uid, a.hostname, n.code, n.name, COUNT(*) FROM host_files f JOIN agents a ON "
	    "a.id = f.agent_id JOIN units n ON n.id = a.unit_id WHERE n.path LIKE ? AND "
	    "f.quarantined = 0 AND a.revoked = 0 GROUP BY a.id, a.uid, a.hostname, n.code, n.name "
	    "ORDER BY COUNT(*) DESC, a.id LIMIT 20",
	    "t", like);
	for (size_t i = 0; rc == 0 && i < r->n; i++)
		attention_add(all, "malware", 3, cg_rows_get(r, i, 2), cg_rows_get(r, i, 3),
		              json_pack("{s:s,s:s,s:I,s:s}", "host", cg_rows_get(r, i, 0),
		                        "hostname", cg_rows_get(r, i, 1), "count",
		                        (json_int_t)cg_rows_int(r, i, 4, 0), "title",
		                        cg_rows_get(r, i, 1)));
	cg_rows_free(r);
	r = NULL;
	if (rc == 0)
		rc = cg_db_query(
		    db, &r,
		    "SELECT l.id, l.title, l.severity, n.code, n.name, l.agent_id, l.count "
		    "FROM alerts l JOIN units n ON n.id = l.unit_id WHERE n.path LIKE ? AND "
		    "l.state = 'new' AND l.severity >= 3 ORDER BY l.severity DESC, "
		    "l.last_ms DESC LIMIT 20",
		    "t", like);
	for (size_t i = 0; rc == 0 && i < r->n; i++) {
		json_t *x = json_pack("{s:I,s:s,s:I}", "alert", (json_int_t)cg_rows_int(r, i, 0, 0),
		                      "title", cg_rows_get(r, i, 1), "count",
		                      (json_int_t)cg_rows_int(r, i, 6, 1));
		if (x && cg_rows_get(r, i, 5)) {
			json_object_set_new(x, "host", json_string(cg_rows_get(r, i, 5)));
			json_object_set_new(x, "hostname", json_string(cg_rows_get(r, i, 7)));
		}
		attention_add(all, "alert", (int)cg_rows_int(r, i, 2, 3), cg_rows_get(r, i, 3),
		              cg_rows_get(r, i, 4), x);
	}
	cg_rows_free(r);
	int64_t silent_since = now - OFFLINE_ALERT_MS;
	if (rc == 0)
		rc = unit_counts(
		    db, all, "botnet", 3,
		    "SELECT n.code, n.name, COUNT(*) FROM botnet_matches m JOIN units n ON "
		    "n.id = m.unit_id WHERE n.path LIKE ? AND m.state <> 'handled' GROUP BY "
		    "n.code, n.name ORDER BY COUNT(*) DESC LIMIT 20",
		    like, NULL);
	if (rc == 0)
		rc = unit_counts(
		    db, all, "vuln", 3,
		    "SELECT n.code, n.name, COUNT(DISTINCT v.agent_id) FROM host_vulns v "
		    "JOIN agents a ON a.id = v.agent_id JOIN units n ON n.id = a.unit_id "
		    "WHERE n.path LIKE ? AND v.state = 'open' AND v.exploited = 1 AND "
		    "a.revoked = 0 GROUP BY n.code, n.name ORDER BY "
		    "COUNT(DISTINCT v.agent_id) DESC LIMIT 20",
		    like, NULL);
	if (rc == 0)
		rc = unit_counts(
		    db, all, "offline", 1,
		    "SELECT n.code, n.name, COUNT(*) FROM agents a JOIN units n ON n.id = "
		    "a.unit_id WHERE n.path LIKE ? AND a.revoked = 0 AND a.last_seen_ms < ? "
		    "GROUP BY n.code, n.name ORDER BY COUNT(*) DESC LIMIT 20",
		    like, &silent_since);
	if (rc != 0 || !all) {
		json_decref(all);
		return rc ? rc : CG_ENOMEM;
	}
	size_t n = json_array_size(all);
	json_t **v = calloc(n ? n : 1, sizeof *v);
	json_t *top = json_array();
	if (!v || !top) {
		free(v);
		json_decref(all);
		json_decref(top);
		return CG_ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = json_array_get(all, i);
	qsort(v, n, sizeof *v, by_urgency);
	for (size_t i = 0; i < n && i < MAX_ATTENTION; i++)
		json_array_append(top, v[i]);
	free(v);
	json_decref(all);
	*out = top;
	return 0;
}

/* One series: rows (day number, count) into an array of `days` values ending today. */
static int series(struct cg_db *db, const char *sql, const char *like, int64_t since_ms,
                  int64_t first_day, int days, json_t **out)
{
	struct cg_rows *r = NULL;
	int64_t *v = calloc((size_t)days, sizeof *v);
	int rc = v ? cg_db_query(db, &r, sql, "iit", TZ_OFFSET_MS, since_ms, like) : CG_ENOMEM;
	for (size_t i = 0; rc == 0 && i < r->n; i++) {
		int64_t k = cg_rows_int(r, i, 0, -1) - first_day;
		if (k >= 0 && k < days)
			v[k] += cg_rows_int(r, i, 1, 0);
	}
	cg_rows_free(r);
	if (rc == 0) {
		*out = json_array();
		for (int i = 0; *out && i < days; i++)
			json_array_append_new(*out, json_integer(v[i]));
	}
	free(v);
	return rc;
}

static int trend(struct cg_db *db, const char *like, int64_t now, int days, json_t **out)
{
	int64_t today = (now + TZ_OFFSET_MS) / DAY_MS, first = today - days + 1;
	int64_t since = first * DAY_MS - TZ_OFFSET_MS;
	json_t *o = json_object(), *d = json_array(), *a = NULL, *det = NULL, *fx = NULL;
	for (int64_t i = first; d && i <= today; i++) {
		char buf[32];
		cg_time_iso8601_ms(buf, i * DAY_MS);
		buf[10] = 0; /* YYYY-MM-DD */
		json_array_append_new(d, json_string(buf));
	}
	int rc =
	    series(db,
	           "SELECT (l.first_ms + ?) / 86400000, COUNT(*) FROM alerts l JOIN units n ON "
	           "n.id = l.unit_id WHERE l.first_ms >= ? AND n.path LIKE ? GROUP BY 1",
	           like, since, first, days, &a);
	if (rc == 0)
		rc = series(
		    db,
		    "SELECT (f.first_ms + ?) / 86400000, COUNT(*) FROM host_files f JOIN agents "
		    "a ON a.id = f.agent_id JOIN units n ON n.id = a.unit_id WHERE f.first_ms >= "
		    "? AND n.path LIKE ? GROUP BY 1",
		    like, since, first, days, &det);
	if (rc == 0)
		rc = series(
		    db,
		    "SELECT (v.fixed_ms + ?) / 86400000, COUNT(*) FROM host_vulns v JOIN agents "
		    "a ON a.id = v.agent_id JOIN units n ON n.id = a.unit_id WHERE v.state = "
		    "'fixed' AND v.fixed_ms >= ? AND n.path LIKE ? GROUP BY 1",
		    like, since, first, days, &fx);
	if (rc != 0 || !o || !d || !a || !det || !fx) {
		json_decref(o);
		json_decref(d);
		json_decref(a);
		json_decref(det);
		json_decref(fx);
		return rc ? rc : CG_ENOMEM;
	}
	json_object_set_new(o, "days", d);
	json_object_set_new(o, "alerts", a);
	json_object_set_new(o, "detections", det);
	json_object_set_new(o, "vulns_fixed", fx);
	*out = o;
	return 0;
}

/* The shown unit (row 0 of d->rows after load) and every unit of its subtree. */
static int load_units(struct cg_db *db, struct dash *d, const char *path)
{
	char like[300];
	snprintf(like, sizeof like, "%s%%", path);
	int rc = cg_db_query(db, &d->rows,
	                     "SELECT id, code, name, path, parent_id FROM units WHERE path LIKE ? "
	                     "AND merged_into IS NULL ORDER BY name_key, code LIMIT 20001",
	                     "t", like);
	if (rc != 0)
		return rc;
	if (d->rows->n > MAX_UNITS)
		return CG_ELIMIT;
	d->n = d->rows->n;
	d->u = calloc(d->n ? d->n : 1, sizeof *d->u);
	if (!d->u)
		return CG_ENOMEM;
	for (size_t i = 0; i < d->n; i++) {
		struct unit *u = &d->u[i];
		u->id = cg_rows_int(d->rows, i, 0, 0);
		u->code = cg_rows_get(d->rows, i, 1);
		u->name = cg_rows_get(d->rows, i, 2);
		u->path = cg_rows_get(d->rows, i, 3);
		u->parent = cg_rows_int(d->rows, i, 4, 0);
	}
	qsort(d->u, d->n, sizeof *d->u, by_id);
	return 0;
}

/* Sums every unit's figures into the totals and into the child of the shown unit (id self,
 * path "/.../self/") whose subtree holds it: the child's id is the first one after that path. */
static int sum_up(struct dash *d, int64_t self, const char *path, const char *code, json_t *out)
{
	size_t pl = strlen(path);
	for (size_t i = 0; i < d->n; i++)
		for (int f = 0; f < F_N; f++)
			d->total[f] += d->u[i].f[f];
	for (size_t i = 0; i < d->n; i++) {
		struct unit *u = &d->u[i];
		if (strlen(u->path) <= pl || u->parent == 0)
			continue;
		struct unit *k = find(d, strtoll(u->path + pl, NULL, 10));
		if (k && k != u)
			for (int f = 0; f < F_N; f++)
				k->f[f] += u->f[f];
	}
	for (size_t i = 0; i < d->rows->n; i++) { /* name order */
		struct unit *k = find(d, cg_rows_int(d->rows, i, 0, 0));
		if (!k || k->parent != self)
			continue;
		json_t *o = figs_json(k->f, -1);
		if (!o)
			return CG_ENOMEM;
		json_object_set_new(o, "code", json_string(k->code));
		json_object_set_new(o, "name", json_string(k->name));
		json_object_set_new(o, "parent", json_string(code));
		json_array_append_new(out, o);
	}
	return 0;
}

/* The units above the shown one, from the top of the caller's scope down (never above it). */
static int ancestors(struct cg_req *q, const char *path, json_t **out)
{
	struct cg_rows *a = NULL;
	char like[300];
	snprintf(like, sizeof like, "%s%%", q->who.unit_path);
	int rc =
	    cg_db_query(q->db, &a,
	                "SELECT code, name FROM units WHERE ? LIKE path || '%' AND path <> ? AND "
	                "path LIKE ? ORDER BY LENGTH(path)",
	                "ttt", path, path, like);
	*out = json_array();
	for (size_t i = 0; rc == 0 && *out && i < a->n; i++)
		json_array_append_new(*out, json_pack("{s:s,s:s}", "code", cg_rows_get(a, i, 0),
		                                      "name", cg_rows_get(a, i, 1)));
	cg_rows_free(a);
	if (rc == 0 && !*out)
		rc = CG_ENOMEM;
	return rc;
}

int cg_h_dashboard(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_VIEWER))
		return CG_EPERM;
	const char *code = cg_req_arg(q, "unit");
	int days = (int)cg_req_arg_long(q, "days", 30, 7, 90);
	struct cg_rows *t = NULL;
	struct dash d = {0};
	json_t *att = NULL, *tr = NULL, *children = NULL, *up = NULL;
	int64_t now = cg_srv_now_ms();
	int rc = cg_db_query(q->db, &t, "SELECT id, code, name, path FROM units WHERE code = ?",
	                     "t", code && code[0] ? code : q->who.unit_code);
	if (rc != 0)
		return cg_resp_dberr(r, rc);
	if (t->n != 1 || cg_srv_scope_unit(q, r, cg_rows_int(t, 0, 0, 0))) {
		cg_rows_free(t);
		return cg_resp_404(r);
	}
	int64_t self = cg_rows_int(t, 0, 0, 0);
	const char *path = cg_rows_get(t, 0, 3);
	char like[300];
	snprintf(like, sizeof like, "%s%%", path);
	rc = load_units(q->db, &d, path);
	if (rc == 0)
		rc = all_figures(q->db, &d, like, now);
	if (rc == 0)
		rc = attention(q->db, like, now, &att);
	if (rc == 0)
		rc = trend(q->db, like, now, days, &tr);
	if (rc == 0)
		rc = ancestors(q, path, &up);
	children = json_array();
	if (rc == 0 && children)
		rc = sum_up(&d, self, path, cg_rows_get(t, 0, 1), children);
	if (rc != 0 || !children) {
		json_decref(att);
		json_decref(tr);
		json_decref(children);
		json_decref(up);
		free(d.u);
		cg_rows_free(d.rows);
		cg_rows_free(t);
		return rc == CG_ELIMIT
		           ? cg_resp_err(r, 413, "too_many_units",
		                         "Quá nhiều đơn vị: hãy chọn một đơn vị nhỏ hơn",
		                         "Too many units: choose a smaller unit")
		           : cg_resp_dberr(r, rc ? rc : CG_ENOMEM);
	}
	cg_resp_json(r, 200,
	             json_pack("{s:{s:s,s:s,s:o},s:o,s:o,s:o,s:o}", "unit", "code",
	                       cg_rows_get(t, 0, 1), "name", cg_rows_get(t, 0, 2), "ancestors", up,
	                       "totals", figs_json(d.total, (json_int_t)d.n), "units", children,
	                       "attention", att, "trend", tr));
	free(d.u);
	cg_rows_free(d.rows);
	cg_rows_free(t);
	return 0;
}

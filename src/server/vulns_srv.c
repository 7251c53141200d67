/* vulns_srv.c - vulnerability warnings matched centrally against every host's package inventory
 * (docs/api.md "Vulnerabilities"). An agent's host.inventory is kept (the latest per host) and
 * the host marked for matching; an imported warning feed marks every host. The server's main
 * loop matches marked hosts in the background with the vulns.h engine, so neither the ingest
 * writer nor an import waits for it: findings open, stay open, or become 'fixed' when a later
 * inventory is no longer affected. A known-exploited or critical finding raises an alert.
 * Windows hosts send Windows' own inventory (ecosystem "windows"), matched by product, build
 * and KB with the winvulns.h engine against Microsoft's documents among the feeds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/feed.h"
#include "canhgac/pkginv.h"
#include "canhgac/vulns.h"
#include "canhgac/wininv.h"
#include "canhgac/winvulns.h"
#include "server/srv.h"

#include "banned.h"

#define HOSTS_PER_TICK 20
#define MAX_ADV_FEEDS 64

/* The parsed warning feeds, kept between ticks while the set of feeds does not change. */
struct advcache {
	int64_t count, max_id;
	struct cg_feed *feeds[MAX_ADV_FEEDS];
	int64_t ids[MAX_ADV_FEEDS];
	size_t n;
};

void cg_srv_vuln_free(struct cg_srv *s)
{
	struct advcache *c = s->advcache;
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		cg_feed_free(c->feeds[i]);
	free(c);
	s->advcache = NULL;
}

static int load_feeds(struct cg_srv *s, struct cg_db *db, struct advcache **out)
{
	struct advcache *c = s->advcache;
	int64_t count = 0, max_id = 0;
	int rc =
	    cg_db_query_int(db, &count, "SELECT COUNT(*) FROM feeds WHERE kind = 'advisory'", "");
	if (rc == 0)
		rc = cg_db_query_int(
		    db, &max_id, "SELECT COALESCE(MAX(id), 0) FROM feeds WHERE kind = 'advisory'",
		    "");
	if (rc)
		return rc;
	if (c && c->count == count && c->max_id == max_id) {
		*out = c;
		return 0;
	}
	cg_srv_vuln_free(s);
	if (!(c = calloc(1, sizeof *c)))
		return CG_ENOMEM;
	s->advcache = c;
	c->count = count;
	c->max_id = max_id;
	struct cg_rows *f = NULL;
	rc =
	    cg_db_query(db, &f,
	                "SELECT f.id, f.name, b.body FROM feeds f JOIN feed_blobs b ON b.feed_id = "
	                "f.id WHERE f.kind = 'advisory' ORDER BY f.id DESC LIMIT ?",
	                "i", (int64_t)MAX_ADV_FEEDS);
	for (size_t i = 0; rc == 0 && i < f->n; i++) {
		struct cg_feed_parse_opts o = {.kind = CG_FEED_ADVISORY,
		                               .format = CG_FMT_AUTO,
		                               .now = cg_srv_now_ms() / 1000,
		                               .tz_offset = 25200};
		struct cg_feed *fd = NULL;
		if (cg_feed_parse((const uint8_t *)f->v[i * f->ncol + 2], f->len[i * f->ncol + 2],
		                  cg_rows_get(f, i, 1), &o, &fd, NULL) != 0)
			continue; /* it parsed at import; a newer build may not: skip it */
		c->ids[c->n] = cg_rows_int(f, i, 0, 0);
		c->feeds[c->n++] = fd;
	}
	cg_rows_free(f);
	*out = c;
	return rc;
}

int cg_srv_store_inventory(struct cg_db *db, int64_t agent_id, json_t *ev, int64_t now)
{
	json_t *pk = json_object_get(ev, "packages");
	const char *eco = json_string_value(json_object_get(ev, "osv_ecosystem"));
	const char *kind = json_string_value(json_object_get(ev, "ecosystem"));
	if (kind && strcmp(kind, "windows") == 0 &&
	    json_is_object(json_object_get(ev, "windows"))) {
		pk = json_object_get(ev, "windows"); /* kept whole: build, UBR, KBs */
		eco = "windows";
	}
	if (!json_is_array(pk) && !json_is_object(pk))
		return 0;
	char *text = json_dumps(pk, JSON_COMPACT | JSON_ENSURE_ASCII);
	int rc = text ? 0 : CG_ENOMEM;
	if (rc == 0)
		rc = cg_db_exec(
		    db, NULL,
		    "INSERT INTO host_inventory (agent_id, ecosystem, packages, received_ms) "
		    "VALUES (?, ?, ?, ?) ON CONFLICT (agent_id) DO UPDATE SET ecosystem = "
		    "excluded.ecosystem, packages = excluded.packages, received_ms = "
		    "excluded.received_ms",
		    "itti", agent_id, eco && strlen(eco) < 64 ? eco : "", text, now);
	if (rc == 0)
		rc = cg_db_exec(db, NULL,
		                "UPDATE agents SET vuln_dirty = vuln_dirty + 1 WHERE id = ?", "i",
		                agent_id);
	free(text);
	return rc;
}

/* The stored packages as an inventory. */
static int inventory(const char *text, const char *eco, struct cg_pkginv *inv)
{
	json_t *arr = json_loads(text, 0, NULL), *p;
	size_t i;
	enum cg_ver_scheme sch = cg_vulns_ecosystem_scheme(eco);
	if (sch != CG_VER_RPM)
		sch = CG_VER_DPKG;
	json_array_foreach(arr, i, p)
	{
		/* a package that does not fit the rules is left out, the rest is matched */
		int rc = cg_pkginv_add(inv, sch, json_string_value(json_object_get(p, "name")),
		                       json_string_value(json_object_get(p, "arch")),
		                       json_string_value(json_object_get(p, "version")),
		                       json_string_value(json_object_get(p, "source")),
		                       json_string_value(json_object_get(p, "source_version")));
		if (rc == CG_ENOMEM || rc == CG_ELIMIT) {
			json_decref(arr);
			return rc;
		}
	}
	json_decref(arr);
	return 0;
}

/* Stores one finding; raises an alert when it is new and exploited or critical. */
static int store_finding(struct cg_db *db, int64_t agent_id, int64_t unit_id, int64_t feed_id,
                         const struct cg_vuln_finding *x, const struct cg_advisory *a, int64_t now)
{
	struct cg_rows *old = NULL;
	int rc = cg_db_query(db, &old,
	                     "SELECT state FROM host_vulns WHERE agent_id = ? AND advisory = ? AND "
	                     "package = ?",
	                     "itt", agent_id, x->advisory_id, x->package);
	int fresh = rc == 0 && (old->n == 0 || strcmp(cg_rows_get(old, 0, 0), "open") != 0);
	cg_rows_free(old);
	if (rc == 0)
		rc = cg_db_exec(
		    db, NULL,
		    "INSERT INTO host_vulns (agent_id, feed_id, advisory, package, packages, "
		    "installed, "
		    "fixed, explain, title, severity, cvss, exploited, due_ms, state, first_ms, "
		    "last_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?) "
		    "ON CONFLICT (agent_id, advisory, package) DO UPDATE SET feed_id = "
		    "excluded.feed_id, packages = excluded.packages, installed = "
		    "excluded.installed, "
		    "fixed = excluded.fixed, explain = excluded.explain, state = 'open', last_ms = "
		    "excluded.last_ms, fixed_ms = NULL",
		    "iittttttttdiIii", agent_id, feed_id, x->advisory_id, x->package, x->packages,
		    x->installed, x->fixed, x->explain, x->title, x->severity, x->cvss,
		    (int64_t)a->exploited, a->due == CG_TIME_NONE ? INT64_MIN : a->due * 1000, now,
		    now);
	int serious = a->exploited == 1 || (x->severity && strcmp(x->severity, "critical") == 0);
	if (rc == 0 && fresh && serious) {
		char dedupe[300];
		snprintf(dedupe, sizeof dedupe, "vuln:%lld:%.120s:%.120s", (long long)agent_id,
		         x->advisory_id, x->package);
		rc = cg_srv_alert_raise(
		    db, unit_id, agent_id, "vuln.package", a->exploited == 1 ? 4 : 3, dedupe,
		    x->advisory_id,
		    json_pack("{s:s,s:s,s:s,s:s?,s:s,s:b}", "advisory", x->advisory_id, "package",
		              x->package, "installed", x->installed, "fixed", x->fixed, "explain",
		              x->explain, "exploited", a->exploited == 1));
	}
	return rc;
}

/* A Windows host: its inventory (wininv.h JSON) against every advisory; one finding per CVE,
 * stored as an advisory of the product ("Windows 10 Version 22H2 for x64-based Systems"). */
static int match_windows(struct cg_db *db, const struct cg_winrels *rels, struct advcache *c,
                         int64_t agent_id, int64_t unit_id, const char *text, int64_t now)
{
	struct cg_wininv inv;
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_winvulns *v = NULL;
	int rc = cg_wininv_parse_json((const uint8_t *)text, strlen(text), "inventory", &inv, &d);
	cg_diags_clear(&d);
	if (rc)
		return rc == CG_ENOMEM ? rc
		                       : 0; /* stored from an agent: a bad one stays unmatched */
	const struct cg_winrel *rel =
	    rels ? cg_winrels_find(rels, inv.product_name, inv.edition_id, inv.build) : NULL;
	rc = cg_winvulns_new(&inv, rel, &v);
	for (size_t f = 0; rc == 0 && f < c->n; f++)
		for (size_t k = 0; rc == 0 && k < c->feeds[f]->nadvisories; k++)
			rc = cg_winvulns_add(v, &c->feeds[f]->advisories[k]);
	if (rc == 0)
		rc = cg_winvulns_finish(v);
	for (size_t i = 0; rc == 0 && i < cg_winvulns_count(v); i++) {
		const struct cg_winvuln_finding *w = cg_winvulns_get(v, i);
		const struct cg_advisory *a = NULL;
		int64_t feed = 0;
		for (size_t f = 0; !a && f < c->n; f++)
			for (size_t k = 0; !a && k < c->feeds[f]->nadvisories; k++)
				if (strcmp(c->feeds[f]->advisories[k].id, w->cve) == 0) {
					a = &c->feeds[f]->advisories[k];
					feed = c->ids[f];
				}
		if (!a)
			continue;
		char explain[1024];
		snprintf(explain, sizeof explain, "%s / %s", w->explain_vi, w->explain_en);
		struct cg_vuln_finding x = {
		    .advisory_id = w->cve,
		    .title = w->title,
		    .severity = w->severity,
		    .cvss = w->cvss,
		    .package = w->product,
		    .packages = w->kbs ? w->kbs : (char *)"",
		    .installed = w->installed,
		    .fixed = w->fixed_build ? w->fixed_build : w->kbs,
		    .explain = explain,
		};
		struct cg_advisory a2 = *a;
		a2.exploited = w->exploited; /* also from another advisory (KEV) */
		rc = store_finding(db, agent_id, unit_id, feed, &x, &a2, now);
	}
	cg_winvulns_free(v);
	cg_wininv_clear(&inv);
	return rc;
}

/* Matches one host; clears its mark only if no newer inventory came meanwhile. */
static int match_host(struct cg_db *db, const struct cg_winrels *rels, struct advcache *c,
                      int64_t agent_id, int64_t mark)
{
	struct cg_rows *h = NULL;
	struct cg_pkginv inv = CG_PKGINV_INIT;
	struct cg_vulns *v = NULL;
	int64_t now = cg_srv_now_ms();
	int rc = cg_db_query(db, &h,
	                     "SELECT i.ecosystem, i.packages, g.unit_id FROM host_inventory i JOIN "
	                     "agents g ON g.id = i.agent_id WHERE i.agent_id = ?",
	                     "i", agent_id);
	const char *eco = rc == 0 && h->n == 1 ? cg_rows_get(h, 0, 0) : "";
	int win = strcmp(eco, "windows") == 0;
	if (rc == 0 && h->n == 1 && !win)
		rc = inventory(cg_rows_get(h, 0, 1), eco, &inv);
	if (rc == 0 && h->n == 1 && !win)
		rc = cg_vulns_new(&inv, eco[0] ? eco : NULL, &v);
	if (rc == 0)
		rc = cg_db_begin_write(db);
	if (rc == 0 && win)
		rc = match_windows(db, rels, c, agent_id, cg_rows_int(h, 0, 2, 0),
		                   cg_rows_get(h, 0, 1), now);
	for (size_t f = 0; rc == 0 && v && f < c->n; f++) {
		for (size_t k = 0; rc == 0 && k < c->feeds[f]->nadvisories; k++) {
			const struct cg_advisory *a = &c->feeds[f]->advisories[k];
			size_t before = cg_vulns_count(v);
			rc = cg_vulns_check(v, a);
			for (size_t i = before; rc == 0 && i < cg_vulns_count(v); i++)
				rc = store_finding(db, agent_id, cg_rows_int(h, 0, 2, 0), c->ids[f],
				                   cg_vulns_get(v, i), a, now);
		}
	}
	if (rc == 0)
		rc = cg_db_exec(
		    db, NULL,
		    "UPDATE host_vulns SET state = 'fixed', fixed_ms = ? WHERE agent_id = ? "
		    "AND state = 'open' AND last_ms < ?",
		    "iii", now, agent_id, now);
	if (rc == 0)
		rc = cg_db_exec(db, NULL,
		                "UPDATE agents SET vuln_dirty = 0 WHERE id = ? AND vuln_dirty = ?",
		                "ii", agent_id, mark);
	if (rc == 0)
		rc = cg_db_commit(db);
	else
		cg_db_rollback(db);
	cg_vulns_free(v);
	cg_pkginv_clear(&inv);
	cg_rows_free(h);
	return rc;
}

void cg_srv_vuln_tick(struct cg_srv *s)
{
	struct cg_db *db = cg_dbpool_acquire(s->pool, 1000);
	struct cg_rows *d = NULL;
	struct advcache *c = NULL;
	if (!db)
		return;
	int rc = cg_db_query(db, &d,
	                     "SELECT id, vuln_dirty FROM agents WHERE vuln_dirty > 0 ORDER BY id "
	                     "LIMIT ?",
	                     "i", (int64_t)HOSTS_PER_TICK);
	if (rc == 0 && d->n)
		rc = load_feeds(s, db, &c);
	for (size_t i = 0; rc == 0 && c && i < d->n; i++) {
		rc = match_host(db, s->cfg.winrels, c, cg_rows_int(d, i, 0, 0),
		                cg_rows_int(d, i, 1, 0));
		if (rc)
			fprintf(stderr, "canhgac server: vulnerability matching of host %lld: %s\n",
			        (long long)cg_rows_int(d, i, 0, 0), cg_strerror(rc));
	}
	cg_rows_free(d);
	cg_dbpool_release(s->pool, db);
}

/* GET /vulns?state=open|fixed&unit=CODE&host=ID&limit&offset: findings in the caller's scope. */
int cg_h_vulns_list(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_VIEWER))
		return CG_EPERM;
	char like[300];
	const char *state = cg_req_arg(q, "state");
	const char *host = cg_req_arg(q, "host");
	const char *adv = cg_req_arg(q, "advisory");
	long limit = cg_req_arg_long(q, "limit", 200, 1, 5000);
	long offset = cg_req_arg_long(q, "offset", 0, 0, 100000000);
	struct cg_rows *v = NULL;
	int64_t total = 0;
	int rc = cg_srv_scope_like(q, cg_req_arg(q, "unit"), like, sizeof like);
#define VULN_FROM                                                                                  \
	"FROM host_vulns v JOIN agents g ON g.id = v.agent_id JOIN units n ON n.id = g.unit_id "   \
	"JOIN feeds f ON f.id = v.feed_id WHERE n.path LIKE ? AND (? = '' OR v.state = ?) AND "    \
	"(? = '' OR g.uid = ?) AND (? = '' OR v.advisory = ?) "
	if (rc == 0)
		rc = cg_db_query_int(q->db, &total, "SELECT COUNT(*) " VULN_FROM, "ttttttt", like,
		                     state ? state : "", state ? state : "", host ? host : "",
		                     host ? host : "", adv ? adv : "", adv ? adv : "");
	if (rc == 0)
		rc = cg_db_query(
		    q->db, &v,
		    "SELECT v.id, g.uid, g.hostname, n.code, v.advisory, v.package, v.packages, "
		    "v.installed, v.fixed, v.explain, v.title, v.severity, v.cvss, v.exploited, "
		    "v.due_ms, v.state, v.first_ms, v.last_ms, v.fixed_ms, f.name " VULN_FROM
		    "ORDER BY v.exploited DESC, v.cvss DESC, v.id LIMIT ? OFFSET ?",
		    "tttttttii", like, state ? state : "", state ? state : "", host ? host : "",
		    host ? host : "", adv ? adv : "", adv ? adv : "", (int64_t)limit,
		    (int64_t)offset);
#undef VULN_FROM
	if (rc)
		return cg_resp_dberr(r, rc);
	json_t *arr = json_array();
	for (size_t i = 0; i < v->n; i++) {
		json_t *o = json_pack(
		    "{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s?,s:s,s:s?,s:s?,s:s,s:I,s:I,s:s}", "id",
		    (json_int_t)cg_rows_int(v, i, 0, 0), "host", cg_rows_get(v, i, 1), "hostname",
		    cg_rows_get(v, i, 2), "unit", cg_rows_get(v, i, 3), "advisory",
		    cg_rows_get(v, i, 4), "package", cg_rows_get(v, i, 5), "packages",
		    cg_rows_get(v, i, 6), "installed", cg_rows_get(v, i, 7), "fixed",
		    cg_rows_get(v, i, 8), "explain", cg_rows_get(v, i, 9), "title",
		    cg_rows_get(v, i, 10), "severity", cg_rows_get(v, i, 11), "state",
		    cg_rows_get(v, i, 15), "first_ms", (json_int_t)cg_rows_int(v, i, 16, 0),
		    "last_ms", (json_int_t)cg_rows_int(v, i, 17, 0), "feed", cg_rows_get(v, i, 19));
		double cvss = cg_rows_get(v, i, 12) ? strtod(cg_rows_get(v, i, 12), NULL) : -1;
		json_object_set_new(o, "cvss", cvss >= 0 ? json_real(cvss) : json_null());
		json_object_set_new(o, "exploited", json_integer(cg_rows_int(v, i, 13, -1)));
		json_object_set_new(o, "due_ms",
		                    cg_rows_get(v, i, 14) ? json_integer(cg_rows_int(v, i, 14, 0))
		                                          : json_null());
		json_object_set_new(o, "fixed_ms",
		                    cg_rows_get(v, i, 18) ? json_integer(cg_rows_int(v, i, 18, 0))
		                                          : json_null());
		json_array_append_new(arr, o);
	}
	cg_rows_free(v);
	cg_resp_json(r, 200, json_pack("{s:o,s:I}", "vulns", arr, "total", (json_int_t)total));
	return 0;
}

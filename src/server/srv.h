/* srv.h - internals of `canhgac server`: the request and response of one HTTP call, the shared
 * server state, and the handlers' helpers. The HTTP adapter (http.c) turns libmicrohttpd calls
 * into struct cg_req, the router (route.c) finds the handler, and every handler fills struct
 * cg_resp. Handlers never see libmicrohttpd.
 *
 * Authorisation: every handler that touches an object calls cg_srv_scope_unit() (or filters its
 * SQL by the caller's unit path) so that a unit admin sees only its subtree; an object outside the
 * caller's scope is answered 404, exactly as an object that does not exist.
 */
#ifndef CANHGAC_SRV_H
#define CANHGAC_SRV_H

#include <jansson.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "canhgac/db.h"
#include "canhgac/server.h"
#include "canhgac/webassets.h"

#define CG_SRV_MAX_BODY (4u << 20) /* request bodies */
#define CG_SRV_MAX_BATCH 1000      /* events per agent batch */
#define CG_SRV_SESSION_MS (8LL * 3600 * 1000)
#define CG_SRV_IDLE_MS (60LL * 60 * 1000)
#define CG_SRV_MAX_PARAMS 8
#define CG_SRV_CHUNK (1u << 20) /* bytes of a bundle file per download answer */

enum cg_role {
	CG_ROLE_NONE = 0,
	CG_ROLE_VIEWER = 1,
	CG_ROLE_UNIT_ADMIN = 2,
	CG_ROLE_DEPT_ADMIN = 3
};

/* Who is calling: a user (session cookie or API token) or an agent (agent secret). */
struct cg_caller {
	int kind; /* 0 nobody, 1 user, 2 agent */
	int64_t user_id;
	char login[64];
	enum cg_role role;
	int64_t unit_id;
	char unit_code[64];
	char lang[8];        /* "vi" or "en", remembered per user */
	char unit_path[256]; /* scope: the caller's unit path; a unit is in scope when its path
	                        starts with this */
	int via_token;       /* authenticated by an API token (no CSRF needed) */
	char csrf[80];
	int must_change;
	int64_t agent_id;
	char agent_uid[40];
	int64_t agent_unit;
	char agent_epoch[40];
	int64_t agent_hw;
};

struct cg_req {
	const char *method; /* "GET", "POST", ... */
	const char *path;   /* without the query string */
	const char *query;  /* raw query string or "" */
	const uint8_t *body;
	size_t body_len;
	const char *content_type;
	const char *cookie_session;            /* value of the cg_session cookie or NULL */
	const char *authorization;             /* Authorization header or NULL */
	const char *csrf_header;               /* X-CSRF-Token or NULL */
	char ip[64];                           /* client address */
	const char *params[CG_SRV_MAX_PARAMS]; /* path parameters captured by the router */
	char param_buf[512];
	struct cg_caller who;
	struct cg_db *db;        /* a pooled handle for this request */
	void *conn;              /* opaque: the HTTP adapter's connection (query arguments) */
	const char *const *args; /* without conn: query arguments as NULL-ended name, value pairs */
};

struct cg_resp {
	int status;
	json_t *json; /* body, owned */
	char *raw;    /* or a raw body (owned), with raw_type */
	size_t raw_len;
	const char *raw_type;
	char set_cookie[256];
	char disposition[160]; /* Content-Disposition of a raw body (a download), or "" */
	int retry_after;       /* seconds, for 429/503 */
};

struct cg_ingest;

struct cg_srv {
	struct cg_server_config cfg;
	struct cg_dbpool *pool;
	char *ca_pem, *cert_pem, *key_pem;
	char ca_fp[65];
	char *bundle_key; /* DATA_DIR/server/bundle.pub (the Department's Ed25519 key) or NULL */
	size_t bundle_key_len;
	void *advcache; /* parsed warning feeds (vulns_srv.c), main loop only */
	struct cg_ingest *ingest;
	pthread_mutex_t throttle_mu;
	void *throttle; /* login throttling table (auth_srv.c) */
	volatile int inflight;
};

/* Opens the server state (database pool, PKI, ingest writer) without listening; cg_srv_close
 * undoes it. cg_server_run and the API fuzz target use these. */
int cg_srv_open(struct cg_srv *s, const struct cg_server_config *cfg, struct cg_diags *d);
void cg_srv_close(struct cg_srv *s);

typedef int (*cg_handler)(struct cg_srv *s, struct cg_req *q, struct cg_resp *r);

/* Web console (web.c): the built-in file for a path ("/", "/index.html", "/assets/NAME"), or
 * NULL; whether an Accept-Encoding header takes gzip; whether If-None-Match names etag. */
const struct cg_webasset *cg_web_find(const char *path);
int cg_web_accepts_gzip(const char *accept_encoding);
int cg_web_etag_matches(const char *if_none_match, const char *etag);

/* Routing. */
int cg_srv_dispatch(struct cg_srv *s, struct cg_req *q, struct cg_resp *r);

/* Responses. */
void cg_resp_json(struct cg_resp *r, int status, json_t *body); /* takes body */
/* An error body {"error": code, "message_vi": vi, "message_en": en}. */
int cg_resp_err(struct cg_resp *r, int status, const char *code, const char *vi, const char *en);
int cg_resp_404(struct cg_resp *r);
int cg_resp_dberr(struct cg_resp *r, int err);

/* Request helpers. */
json_t *cg_req_json(struct cg_req *q, struct cg_resp *r); /* parsed object, or NULL with 400 set */
const char *cg_req_arg(struct cg_req *q, const char *name); /* a query argument or NULL */
long cg_req_arg_long(struct cg_req *q, const char *name, long dflt, long min, long max);
int64_t cg_param_id(const struct cg_req *q, int i); /* path parameter as a positive id, or -1 */

/* Authentication (auth_srv.c). cg_srv_authenticate fills q->who from the cookie, an API token or
 * an agent secret. The guards answer 401/403 in r and return nonzero when the call must stop. */
void cg_srv_authenticate(struct cg_srv *s, struct cg_req *q);
int cg_need_user(struct cg_req *q, struct cg_resp *r, enum cg_role min_role);
int cg_need_agent(struct cg_req *q, struct cg_resp *r);
/* 0 when unit `unit_id` is inside the caller's scope; otherwise 404 in r and nonzero. */
int cg_srv_scope_unit(struct cg_req *q, struct cg_resp *r, int64_t unit_id);
/* The id of unit `code` when it is in the caller's scope: 0; otherwise 404 is set in r and
 * CG_ENOENT returned (an unknown unit and one outside the scope answer alike). */
int cg_srv_unit_id(struct cg_req *q, struct cg_resp *r, const char *code, int64_t *id);
/* The LIKE pattern of unit paths a list shows: the caller's scope, narrowed to the subtree of
 * unit `code` when given ("" or NULL: the whole scope). A code unknown or outside the scope gives
 * a pattern no unit matches (an empty list, as for a unit that does not exist). 0 or a db error. */
int cg_srv_scope_like(struct cg_req *q, const char *code, char *like, size_t cap);
/* Appends to the audit log (in the caller's transaction, if any). */
int cg_srv_audit(struct cg_req *q, const char *action, const char *object, json_t *detail);

int64_t cg_srv_now_ms(void);
/* The Vietnamese collation key of a name (unit names: the whole name; people: the given name,
 * then the rest). */
void cg_srv_collkey(const char *name, int person, char *out, size_t cap);

/* Handlers. */
int cg_h_login(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_logout(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_me(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_password(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_totp_setup(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_api_token_new(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_api_tokens_list(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_api_token_revoke(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_me_update(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_users_update(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_users_list(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_users_create(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_units_list(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_units_get(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_units_create(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_units_update(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_units_import(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_units_addr_add(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_enroll_token_new(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_ca(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_agent_enroll(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_agent_reenroll(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_agent_heartbeat(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_agent_events(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_agent_tasks(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_agent_task_update(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_hosts_list(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_hosts_get(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_hosts_spool(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_hosts_revoke(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_tasks_create(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_tasks_get(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_alerts_list(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_alerts_get(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_alerts_update(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_events_list(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_feeds_import(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_feeds_list(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_botnet_matches(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_botnet_handle(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_botnet_triage(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_dashboard(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_hosts_inventory(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_units_domain_add(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_enroll_tokens_list(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_enroll_token_revoke(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_botnet_export(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_audit_list(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_health(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_hosts_update(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_hosts_offline(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_bundles_list(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_bundles_upload(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_bundles_file_put(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_bundles_update(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_agent_bundle_get(struct cg_srv *, struct cg_req *, struct cg_resp *);
int cg_h_agent_bundle_file(struct cg_srv *, struct cg_req *, struct cg_resp *);

/* Vulnerabilities (vulns_srv.c): keeps a host.inventory event as the host's inventory and marks
 * the host for matching; the main loop matches marked hosts (a few per call); frees the cache. */
int cg_srv_store_inventory(struct cg_db *db, int64_t agent_id, json_t *ev, int64_t now);
void cg_srv_vuln_tick(struct cg_srv *s);
void cg_srv_vuln_free(struct cg_srv *s);
int cg_h_vulns_list(struct cg_srv *, struct cg_req *, struct cg_resp *);

/* IOC lists (iocs_srv.c): {"version", "total"} of the hashes agents should hold, or NULL when
 * no IOC list was imported; an agent's ioc.match event. */
int cg_srv_ioc_version(struct cg_db *db, json_t **out);
int cg_srv_ioc_match(struct cg_db *db, const struct cg_caller *a, json_t *ev, int64_t now);
int cg_h_agent_iocs(struct cg_srv *, struct cg_req *, struct cg_resp *);

/* Bundles (bundles_srv.c): what an agent (in the canary group or not) running `installed`
 * (NULL or "" for none) is offered: {"version", "sha256", "rollback"} in *out, or NULL when no
 * bundle of this kind is canary or released for it. rollback is true when `installed` was
 * withdrawn, so that the agent goes back to the version offered. */
int cg_srv_bundle_offer(struct cg_db *db, const char *kind, int canary, const char *installed,
                        json_t **out);

/* Event ingest with group commit (ingest.c). */
int cg_ingest_start(struct cg_srv *s, struct cg_ingest **out);
void cg_ingest_stop(struct cg_ingest *g);
/* Stores one agent batch durably; blocks until committed. Returns 0 with *acked set, CG_EEXIST on
 * an identity conflict (nothing stored), CG_ELIMIT when the queue is full (answer 429). */
int cg_ingest_submit(struct cg_ingest *g, const struct cg_caller *agent, const char *epoch,
                     json_t *events, int64_t *acked);

/* An agent's spool epoch: 32 lower-case hex digits. */
int cg_srv_valid_epoch(const char *e);
/* A string fact of an agent's facts object ("" when absent or 256 bytes or longer). */
const char *cg_srv_fact(json_t *facts, const char *k);

/* The queued tasks of an agent (at most max, oldest first) appended to out as {id, kind, args}
 * and marked sent, in the caller's transaction (agent_tasks.c). */
int cg_srv_take_tasks(struct cg_db *db, int64_t agent_id, long max, json_t *out);

/* Agents (agent_srv.c): a new agent row with a fresh uid and secret; the facts an agent sent. */
int cg_srv_new_agent(struct cg_req *q, int64_t unit_id, const char *epoch, int64_t cloned_from,
                     char uid[40], char secret[64], int64_t *id);
int cg_srv_store_facts(struct cg_req *q, int64_t agent_id, json_t *facts, int64_t now,
                       int identity);

/* Alerts (alerts_srv.c): raises or refreshes the alert with this dedupe key (a resolved one
 * reopens); takes detail. severity is the 0-4 scale of docs/events.md. */
int cg_srv_alert_raise(struct cg_db *db, int64_t unit_id, int64_t agent_id, const char *kind,
                       int severity, const char *dedupe, const char *title, json_t *detail);

/* Botnet attribution (feeds_srv.c): matches a feed's addresses against units and hosts. */
int cg_srv_botnet_match(struct cg_db *db, int64_t feed_id, size_t *matched);

#endif

/* fuzz_api.c - fuzzes every request-body parser of the server API and the agent protocol
 * decoder (the events batch, enrolment, heartbeat, task reports) through the real router and
 * handlers, on a real SQLite database in a temporary folder.
 *
 * Input: byte 0 picks the route (and its path parameters), byte 1 the caller (department admin,
 * unit admin or viewer by API token, an agent by its secret, or nobody); the rest is the body.
 * The state is set up once: a school unit, three users with API tokens, one enrolled agent. */
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "canhgac/auth.h"
#include "canhgac/db.h"
#include "canhgac/sys.h"
#include "server/srv.h"

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct cg_srv srv;
static int ready;
static char tok_dept[CG_SECRET_LEN], tok_unit[CG_SECRET_LEN], tok_view[CG_SECRET_LEN];
static char agent_secret[CG_SECRET_LEN];

static const struct {
	const char *method, *path;
} routes[] = {
    {"POST", "/api/v1/login"},
    {"POST", "/api/v1/me/password"},
    {"POST", "/api/v1/me/totp"},
    {"POST", "/api/v1/me/tokens"},
    {"POST", "/api/v1/users"},
    {"POST", "/api/v1/units"},
    {"POST", "/api/v1/units/import"},
    {"POST", "/api/v1/units/thpt-a/addresses"},
    {"POST", "/api/v1/units/thpt-a/enroll-tokens"},
    {"POST", "/api/v1/agent/enroll"},
    {"POST", "/api/v1/agent/reenroll"},
    {"POST", "/api/v1/agent/heartbeat"},
    {"POST", "/api/v1/agent/events"},
    {"POST", "/api/v1/agent/tasks/1"},
    {"POST", "/api/v1/hosts/ag-fuzz/tasks"},
    {"POST", "/api/v1/alerts/1"},
    {"POST", "/api/v1/feeds"},
    {"POST", "/api/v1/botnet/matches/1"},
    {"GET", "/api/v1/hosts/ag-fuzz"},
    {"GET", "/api/v1/alerts"},
    {"GET", "/api/v1/botnet/triage"},
    {"GET", "/api/v1/events"},
    {"POST", "/api/v1/logout"},
    {"POST", "/api/v1/me"},
    {"POST", "/api/v1/users/u2"},
    {"POST", "/api/v1/me/tokens/1/revoke"},
    {"POST", "/api/v1/units/thpt-a"},
    {"POST", "/api/v1/hosts/ag-fuzz/spool"},
    {"POST", "/api/v1/bundles"},
    {"POST", "/api/v1/bundles/bundle/2026.1/files/0"},
    {"POST", "/api/v1/bundles/bundle/2026.1"},
    {"GET", "/api/v1/agent/bundles/bundle/2026.1"},
    {"GET", "/api/v1/agent/bundles/bundle/2026.1/files/0"},
    {"POST", "/api/v1/hosts/ag-fuzz"},
    {"POST", "/api/v1/bundles/bundle/2026.1/files/1"},
    {"POST", "/api/v1/bundles/bundle/2026.1/files/2"},
    {"POST", "/api/v1/bundles/bundle/2026.1/files/3"},
    {"POST", "/api/v1/units/thpt-a/domains"},
    {"POST", "/api/v1/enroll-tokens/1/revoke"},
    {"GET", "/api/v1/dashboard"},
    {"GET", "/api/v1/hosts/ag-fuzz/inventory"},
    {"GET", "/api/v1/botnet/export.xlsx"},
};
/* The public half of a key made for the corpus (fuzz/corpus/api/bundle1_upload is signed with
 * its private half, which was thrown away): uploads can get past the signature check. */
static const char fuzz_bundle_key[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MCowBQYDK2VwAyEA0qcqqvJsq5/hm9ATat72TdMDFJyWYh74PTSjtyWs/x0=\n"
    "-----END PUBLIC KEY-----\n";
#define NROUTES (sizeof routes / sizeof routes[0])

static int seed(struct cg_db *db)
{
	char h[CG_SHA256_HEX], pw[CG_PWHASH_LEN];
	int64_t now = cg_srv_now_ms();
	int rc = cg_pw_hash("fuzz-password-1", pw);
	if (rc == 0)
		rc = cg_db_exec(
		    db, NULL,
		    "INSERT INTO units (code, name, name_key, parent_id, path, created_ms, "
		    "updated_ms) VALUES ('so', 'So', 'so', NULL, '/1/', 0, 0), "
		    "('thpt-a', 'THPT A', 'a', 1, '/1/2/', 0, 0)",
		    "");
	const char *roles[] = {"dept_admin", "unit_admin", "viewer"};
	char *toks[] = {tok_dept, tok_unit, tok_view};
	for (int i = 0; rc == 0 && i < 3; i++) {
		char login[16];
		snprintf(login, sizeof login, "u%d", i);
		rc = cg_db_exec(
		    db, NULL,
		    "INSERT INTO users (login, display_name, name_key, pwhash, role, unit_id, "
		    "totp_secret, must_change, created_ms) VALUES (?, ?, ?, ?, ?, ?, "
		    "'JBSWY3DPEHPK3PXP', 0, 0)",
		    "tttttI", login, login, login, pw, roles[i], (int64_t)(i ? 2 : 1));
		if (rc == 0)
			rc = cg_secret_new("cgt_", toks[i]);
		cg_sha256_hex(toks[i], strlen(toks[i]), h);
		if (rc == 0)
			rc = cg_db_exec(
			    db, NULL,
			    "INSERT INTO api_tokens (hash, user_id, name, created_ms, expires_ms) "
			    "VALUES (?, ?, 'fuzz', 0, ?)",
			    "tii", h, (int64_t)(i + 1), now + 86400000LL * 365);
	}
	if (rc == 0)
		rc = cg_secret_new("cga_", agent_secret);
	cg_sha256_hex(agent_secret, strlen(agent_secret), h);
	if (rc == 0)
		rc =
		    cg_db_exec(db, NULL,
		               "INSERT INTO agents (uid, unit_id, secret_hash, epoch, enrolled_ms, "
		               "last_seen_ms) VALUES ('ag-fuzz', 2, ?, ?, 0, 0)",
		               "tt", h, "0123456789abcdef0123456789abcdef");
	if (rc == 0)
		rc = cg_db_exec(db, NULL,
		                "INSERT INTO tasks (agent_id, kind, created_ms, updated_ms) VALUES "
		                "(1, 'scan', 0, 0)",
		                "");
	return rc;
}

static char dir[] = "/tmp/cg-fuzz-api-XXXXXX";

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	(void)remove(p);
	return 0;
}

/* Removes the temporary server folder at exit. */
static void cleanup(void)
{
	cg_srv_close(&srv);
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int setup(void)
{
	struct cg_server_config cfg;
	if (!mkdtemp(dir) || cg_auth_init() != 0)
		return -1;
	cg_server_config_default(&cfg);
	cfg.threads = 2;
	cfg.quiet = 1;
	snprintf(cfg.data_dir, sizeof cfg.data_dir, "%s", dir);
	snprintf(cfg.db_url, sizeof cfg.db_url, "sqlite:%s/server.db", dir);
	/* The certificate is made once; an RSA-free P-256 key is fast. */
	atexit(cleanup);
	char kp[128];
	snprintf(kp, sizeof kp, "%s/bundle.pub", dir);
	if (cg_write_file_atomic(kp, fuzz_bundle_key, strlen(fuzz_bundle_key), 0644) != 0 ||
	    cg_srv_open(&srv, &cfg, NULL) != 0)
		return -1;
	struct cg_db *db = cg_dbpool_acquire(srv.pool, 1000);
	int rc = db ? seed(db) : -1;
	cg_dbpool_release(srv.pool, db);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ready) {
		if (setup() != 0)
			abort();
		ready = 1;
	}
	if (size < 2 || size > (1u << 20))
		return 0;
	char auth[96];
	struct cg_req q;
	struct cg_resp r;
	memset(&q, 0, sizeof q);
	memset(&r, 0, sizeof r);
	q.method = routes[data[0] % NROUTES].method;
	q.path = routes[data[0] % NROUTES].path;
	static const char *const args[] = {"kind", "botnet", "name", "list.csv", NULL, NULL};
	q.query = "";
	q.args = args;
	q.body = data + 2;
	q.body_len = size - 2;
	snprintf(q.ip, sizeof q.ip, "198.51.100.7"); /* not loopback: observed unit addresses too */
	switch (data[1] % 5) {
	case 0:
		snprintf(auth, sizeof auth, "Bearer %s", tok_dept);
		break;
	case 1:
		snprintf(auth, sizeof auth, "Bearer %s", tok_unit);
		break;
	case 2:
		snprintf(auth, sizeof auth, "Bearer %s", tok_view);
		break;
	case 3:
		snprintf(auth, sizeof auth, "Bearer %s", agent_secret);
		break;
	default:
		auth[0] = 0;
	}
	q.authorization = auth[0] ? auth : NULL;
	cg_srv_dispatch(&srv, &q, &r);
	cg_srv_vuln_tick(&srv); /* inventories and warnings the input stored are matched */
	if (r.status < 200 || r.status > 599)
		abort();
	if (getenv("CG_FUZZ_API_TRACE"))
		fprintf(stderr, "%s %s as %d -> %d\n", q.method, q.path, data[1] % 5, r.status);
	json_decref(r.json);
	free(r.raw);
	return 0;
}

/* server.c - `canhgac server` start-up: the data directory, the PKI, the schema, the first
 * administrator; then the listener, the ingest writer and the retention sweeper until a stop
 * signal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "canhgac/auth.h"
#include "canhgac/sys.h"
#include "canhgac/vncoll.h"
#include "server/http.h"
#include "server/srv.h"

#include "banned.h"

void cg_server_config_default(struct cg_server_config *c)
{
	memset(c, 0, sizeof *c);
	snprintf(c->listen_addr, sizeof c->listen_addr, "127.0.0.1");
	c->port = 8443;
	int n = cg_ncpu();
	c->threads = n * 2 < 4 ? 4 : n * 2;
	c->max_conns = 20000;
	c->ingest_queue = 256;
	snprintf(c->tls_names, sizeof c->tls_names, "localhost,127.0.0.1");
	c->retention_days = 30;
}

int64_t cg_srv_now_ms(void)
{
	return cg_now_ms();
}

static void resolve(struct cg_server_config *c)
{
	if (!c->db_url[0])
		snprintf(c->db_url, sizeof c->db_url, "sqlite:%s/server.db", c->data_dir);
	if (!c->public_url[0]) {
		const char *host =
		    strcmp(c->listen_addr, "0.0.0.0") == 0 || strcmp(c->listen_addr, "::") == 0
		        ? "localhost"
		        : c->listen_addr;
		snprintf(c->public_url, sizeof c->public_url, "https://%s:%d", host, c->port);
	}
}

static int write_secret(const char *dir, const char *name, const char *pem, unsigned mode)
{
	char p[1200];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	return cg_write_file_atomic(p, pem, strlen(pem), mode);
}

static int read_text(const char *dir, const char *name, char **out)
{
	char p[1200];
	uint8_t *buf = NULL;
	size_t len = 0;
	snprintf(p, sizeof p, "%s/%s", dir, name);
	int rc = cg_read_file(p, 1 << 20, &buf, &len);
	if (rc != 0)
		return rc;
	char *s = realloc(buf, len + 1);
	if (!s) {
		free(buf);
		return CG_ENOMEM;
	}
	s[len] = 0;
	*out = s;
	return 0;
}

/* Creates the CA and the server certificate when missing. */
static int ensure_pki(const struct cg_server_config *c)
{
	char *ca = NULL, *cakey = NULL, *cert = NULL, *key = NULL;
	int rc = read_text(c->data_dir, "ca.pem", &ca);
	if (rc == CG_ENOENT) {
		rc = cg_pki_new_ca("canhgac CA", &ca, &cakey);
		if (rc == 0)
			rc = write_secret(c->data_dir, "ca.key", cakey, 0600);
		if (rc == 0)
			rc = write_secret(c->data_dir, "ca.pem", ca, 0644);
	} else if (rc == 0) {
		rc = read_text(c->data_dir, "ca.key", &cakey);
	}
	if (rc == 0 && read_text(c->data_dir, "cert.pem", &cert) == CG_ENOENT) {
		rc = cg_pki_new_server(ca, cakey, c->tls_names, &cert, &key);
		if (rc == 0)
			rc = write_secret(c->data_dir, "key.pem", key, 0600);
		if (rc == 0)
			rc = write_secret(c->data_dir, "cert.pem", cert, 0644);
	}
	free(ca);
	free(cakey);
	free(cert);
	free(key);
	return rc;
}

static int create_admin(struct cg_db *db, const char *login, char **password_out)
{
	int64_t n = 0, unit = 0;
	int rc = cg_db_query_int(db, &n, "SELECT COUNT(*) FROM users", "");
	if (rc != 0 || n > 0)
		return rc;
	char pw[CG_SECRET_LEN], hash[CG_PWHASH_LEN], key[512];
	int64_t now = cg_srv_now_ms();
	rc = cg_secret_new("cgp_", pw);
	if (rc == 0)
		rc = cg_pw_hash(pw, hash);
	if (rc == 0)
		rc = cg_db_begin_write(db);
	if (rc != 0)
		return rc;
	if (cg_db_query_int(db, &unit,
	                    "SELECT id FROM units WHERE parent_id IS NULL ORDER BY id "
	                    "LIMIT 1",
	                    "") != 0) {
		cg_srv_collkey("Sở Giáo dục và Đào tạo", 0, key, sizeof key);
		rc = cg_db_query_int(
		    db, &unit,
		    "INSERT INTO units (code, name, name_key, path, kind, created_ms, "
		    "updated_ms) VALUES ('so', 'Sở Giáo dục và Đào tạo', ?, '', 'so', ?, ?) "
		    "RETURNING id",
		    "tii", key, now, now);
		char path[64];
		snprintf(path, sizeof path, "/%lld/", (long long)unit);
		if (rc == 0)
			rc = cg_db_exec(db, NULL, "UPDATE units SET path = ? WHERE id = ?", "ti",
			                path, unit);
	}
	cg_srv_collkey(login, 1, key, sizeof key);
	if (rc == 0)
		rc = cg_db_exec(
		    db, NULL,
		    "INSERT INTO users (login, display_name, name_key, pwhash, role, unit_id, "
		    "must_change, created_ms) VALUES (?, ?, ?, ?, 'dept_admin', ?, 1, ?)",
		    "ttttii", login, login, key, hash, unit, now);
	if (rc == 0)
		rc = cg_db_exec(
		    db, NULL,
		    "INSERT INTO audit (ms, actor, ip, action, object) VALUES (?, 'system', "
		    "'', 'user.create', ?)",
		    "it", now, login);
	if (rc == 0)
		rc = cg_db_commit(db);
	if (rc != 0) {
		cg_db_rollback(db);
		return rc;
	}
	*password_out = strdup(pw);
	return *password_out ? 0 : CG_ENOMEM;
}

int cg_server_init(const struct cg_server_config *cfg, const char *admin_login, char **password_out,
                   struct cg_diags *d)
{
	struct cg_server_config c = *cfg;
	resolve(&c);
	struct cg_db *db = NULL;
	int version = 0;
	*password_out = NULL;
	int rc = cg_auth_init();
	if (rc == 0)
		rc = cg_mkdir_p(c.data_dir, 0700);
	if (rc == 0)
		rc = ensure_pki(&c);
	if (rc == 0)
		rc = cg_db_open(c.db_url, &db, d);
	if (rc == 0)
		rc = cg_db_migrate(db, &version, d);
	if (rc == 0 && admin_login)
		rc = create_admin(db, admin_login, password_out);
	cg_db_close(db);
	return rc;
}

static int load_pki(struct cg_srv *s)
{
	int rc = read_text(s->cfg.data_dir, "ca.pem", &s->ca_pem);
	if (rc == 0)
		rc = read_text(s->cfg.data_dir, "cert.pem", &s->cert_pem);
	if (rc == 0)
		rc = read_text(s->cfg.data_dir, "key.pem", &s->key_pem);
	if (rc == 0)
		rc = cg_pki_fingerprint(s->ca_pem, s->ca_fp);
	if (rc == 0) { /* optional: without it bundles cannot be uploaded */
		int k = read_text(s->cfg.data_dir, "bundle.pub", &s->bundle_key);
		if (k == 0)
			s->bundle_key_len = strlen(s->bundle_key);
		else if (k != CG_ENOENT)
			rc = k;
	}
	return rc;
}

#define DAY_MS 86400000LL
#define PARTITION_DAYS_AHEAD 3

/* PostgreSQL: one partition of events per UTC day, made a few days ahead (a day whose rows
 * already went to events_default stays there), and whole partitions past the retention
 * dropped; what is left in events_default is deleted row by row. */
static void partitions(struct cg_db *db, int64_t now, int64_t cut)
{
	char sql[320], name[40];
	struct cg_rows *p = NULL;
	for (int k = 0; k <= PARTITION_DAYS_AHEAD; k++) {
		int64_t day = (now / DAY_MS + k) * DAY_MS;
		time_t t = (time_t)(day / 1000);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(name, sizeof name, "events_%Y%m%d", &tm);
		snprintf(
		    sql, sizeof sql,
		    "CREATE TABLE IF NOT EXISTS %s PARTITION OF events FOR VALUES FROM (%lld) TO "
		    "(%lld)",
		    name, (long long)day, (long long)(day + DAY_MS));
		(void)cg_db_exec_script(db,
		                        sql); /* today's may fail: its rows are in the default */
	}
	if (cg_db_query(db, &p,
	                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
	                "JOIN pg_class e ON e.oid = i.inhparent WHERE e.relname = 'events' AND "
	                "c.relname LIKE 'events_2%'",
	                "") != 0)
		return;
	for (size_t i = 0; i < p->n; i++) {
		const char *n = cg_rows_get(p, i, 0);
		struct tm tm;
		memset(&tm, 0, sizeof tm);
		if (strlen(n) != 15 || strspn(n + 7, "0123456789") != 8 ||
		    !strptime(n + 7, "%Y%m%d", &tm))
			continue;
		int64_t end = ((int64_t)timegm(&tm) + 86400) * 1000;
		if (end > cut)
			continue;
		snprintf(sql, sizeof sql, "DROP TABLE %s", n); /* the name was checked above */
		(void)cg_db_exec_script(db, sql);
	}
	cg_rows_free(p);
}

/* Deletes events (and their exactly-once keys) older than the retention. */
static void sweep(struct cg_srv *s)
{
	struct cg_db *db = cg_dbpool_acquire(s->pool, 1000);
	if (!db)
		return;
	int64_t cut = cg_srv_now_ms() - (int64_t)s->cfg.retention_days * 86400000;
	if (cg_db_kind(db) == CG_DB_POSTGRES)
		partitions(db, cg_srv_now_ms(), cut);
	cg_db_exec(db, NULL, "DELETE FROM events WHERE received_ms < ?", "i", cut);
	cg_db_exec(db, NULL, "DELETE FROM event_keys WHERE received_ms < ?", "i", cut);
	cg_db_exec(db, NULL, "DELETE FROM sessions WHERE expires_ms < ?", "i", cg_srv_now_ms());
	cg_dbpool_release(s->pool, db);
}

int cg_srv_open(struct cg_srv *s, const struct cg_server_config *cfg, struct cg_diags *d)
{
	memset(s, 0, sizeof *s);
	s->cfg = *cfg;
	resolve(&s->cfg);
	char *pw = NULL;
	pthread_mutex_init(&s->throttle_mu, NULL);
	int rc = cg_server_init(&s->cfg, NULL, &pw, d);
	free(pw);
	if (rc == 0)
		rc = load_pki(s);
	if (rc == 0)
		rc = cg_dbpool_open(s->cfg.db_url, s->cfg.threads + 4, &s->pool, d);
	if (rc == 0)
		rc = cg_ingest_start(s, &s->ingest);
	return rc;
}

void cg_srv_close(struct cg_srv *s)
{
	cg_ingest_stop(s->ingest);
	cg_dbpool_close(s->pool);
	pthread_mutex_destroy(&s->throttle_mu);
	free(s->throttle);
	free(s->ca_pem);
	free(s->cert_pem);
	free(s->key_pem);
	free(s->bundle_key);
	cg_srv_vuln_free(s);
	memset(s, 0, sizeof *s);
}

int cg_server_run(const struct cg_server_config *cfg, int ready_fd, struct cg_diags *d)
{
	struct cg_srv s;
	struct cg_http *h = NULL;
	int auto_url = !cfg->public_url[0];
	int rc = cg_srv_open(&s, cfg, d);
	if (rc == 0)
		rc = cg_http_start(&s, &h);
	if (rc == 0 && auto_url && s.cfg.port == 0) {
		/* Port 0: the URL in enrolment tokens names the port actually bound. */
		char *colon = strrchr(s.cfg.public_url, ':');
		if (colon)
			snprintf(colon,
			         sizeof s.cfg.public_url - (size_t)(colon - s.cfg.public_url),
			         ":%d", cg_http_port(h));
	}
	if (rc == 0) {
		cg_stop_on_signals();
		if (!s.cfg.quiet)
			fprintf(stderr, "canhgac server: %s://%s:%d/ (%s)\n",
			        s.cfg.plain_http ? "http" : "https", s.cfg.listen_addr,
			        cg_http_port(h), s.cfg.db_url);
		if (ready_fd >= 0) {
			char msg[32];
			int n = snprintf(msg, sizeof msg, "ready %d\n", cg_http_port(h));
			if (write(ready_fd, msg, (size_t)n) != n)
				rc = CG_EIO;
		}
		int64_t last_sweep = 0, last_vuln = 0;
		while (rc == 0 && !cg_stop_requested()) {
			if (cg_srv_now_ms() - last_sweep > 3600000) {
				sweep(&s);
				last_sweep = cg_srv_now_ms();
			}
			if (cg_srv_now_ms() - last_vuln > 1000) {
				cg_srv_vuln_tick(&s);
				last_vuln = cg_srv_now_ms();
			}
			cg_sleep_ms(200);
		}
	}
	cg_http_stop(h);
	cg_srv_close(&s);
	return rc;
}

void cg_srv_collkey(const char *name, int person, char *out, size_t cap)
{
	cg_vn_collkey(name, person, out, cap);
}

/* server.h - `canhgac server`: the Department's central server (HTTP(S) API over libmicrohttpd,
 * storage through db.h). cg_server_init prepares a data directory (database, migrations, the
 * server's CA and certificate, the first department admin); cg_server_run serves until a stop
 * signal.
 *
 * Files under DATA_DIR/server/: server.db (SQLite default), ca.pem, ca.key (0600), cert.pem,
 * key.pem (0600). The CA key signs the server certificate only; agents pin the CA.
 */
#ifndef CANHGAC_SERVER_H
#define CANHGAC_SERVER_H

#include <stdint.h>

#include "canhgac/error.h"

struct cg_winrels;

#define CG_SERVER_MAX_WRITERS 4

struct cg_server_config {
	char data_dir[1024];  /* DATA_DIR/server */
	char db_url[1100];    /* "" = sqlite:DATA_DIR/server/server.db */
	char listen_addr[64]; /* "127.0.0.1" default; "0.0.0.0" for every interface */
	int port;             /* 8443 default */
	int threads;          /* HTTP thread pool, default 2 x CPUs, at least 4 */
	int max_conns;        /* connection cap (default 20000) */
	int ingest_queue;     /* batches waiting for the writer before 429 (default 256) */
	/* Ingest writer threads, 1..CG_SERVER_MAX_WRITERS; 0 = the default: 2 on PostgreSQL (one
	 * group's inserts overlap the previous group's commit), always 1 on SQLite. */
	int ingest_writers;
	int plain_http;       /* tests of the console only: serve HTTP without TLS (never agents) */
	char tls_names[512];  /* subjectAltName of the server certificate: "localhost,127.0.0.1" */
	char public_url[512]; /* the URL agents use, put in enrolment tokens */
	int retention_days;   /* events kept (default 30) */
	int quiet;
	/* The Windows releases (winrel.h) for matching Windows hosts' inventories against
	 * Microsoft's updates; NULL: matched without it (no end-of-support facts). Not owned. */
	const struct cg_winrels *winrels;
};

void cg_server_config_default(struct cg_server_config *c);

/* Creates DATA_DIR/server, the database schema, the PKI (when missing) and, when admin_login is
 * given and no user exists, a department admin with a random one-time password written to
 * *password_out (caller frees). Idempotent. */
int cg_server_init(const struct cg_server_config *c, const char *admin_login, char **password_out,
                   struct cg_diags *d);

/* Serves until SIGINT/SIGTERM. When ready_fd >= 0, writes "ready\n" there once listening. */
int cg_server_run(const struct cg_server_config *c, int ready_fd, struct cg_diags *d);

#endif

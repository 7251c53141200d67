/* db_pg.c - the PostgreSQL back end of db.h through libpq: `?` rewritten to $n, values sent as
 * text (blobs as binary bytea), results read in text format one row at a time so that the caps
 * of db.h hold before a huge result is in memory; bytea is decoded with PQunescapeBytea. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/db.h"
#include "canhgac/error.h"
#include "db_int.h"
#include "banned.h"

/* Type OIDs of pg_type.h (catalog/pg_type_d.h is not in libpq-dev). */
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_FLOAT8 701

struct db_pg {
	struct cg_db base;
	PGconn *c;
};

static void no_notices(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* Maps a failed result (or a connection error when res is NULL) to a CG_E code. */
static int pg_err(struct db_pg *g, const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(g->c);
	size_t n;
	DB_ERR_SET(&g->base, "postgresql: %s%s%s", state ? state : "", state ? " " : "",
	           msg ? msg : "");
	n = strlen(g->base.err);
	while (n && (g->base.err[n - 1] == '\n' || g->base.err[n - 1] == ' '))
		g->base.err[--n] = 0;
	if (!state) /* the connection failed */
		return CG_EIO;
	if (strcmp(state, "23505") == 0) /* unique_violation */
		return CG_EEXIST;
	if (strcmp(state, "53100") == 0) /* disk_full */
		return CG_ENOSPC;
	if (strcmp(state, "53200") == 0) /* out_of_memory */
		return CG_ENOMEM;
	if (strcmp(state, "57014") == 0 || strcmp(state, "55P03") == 0) /* canceled, lock */
		return CG_ETIMEOUT;
	if (strncmp(state, "42501", 5) == 0) /* insufficient_privilege */
		return CG_EPERM;
	if (strncmp(state, "42", 2) == 0 || strncmp(state, "22", 2) == 0 ||
	    strncmp(state, "23", 2) == 0)
		return CG_EINVAL; /* syntax or access rule, data exception, other constraint */
	if (strncmp(state, "54", 2) == 0) /* program_limit_exceeded */
		return CG_ELIMIT;
	return CG_EIO;
}

/* Turns the parameters into libpq's arrays; text forms go to the caller-provided buffer tb
 * (32 bytes per value). */
static void pg_params(const struct db_param *p, size_t np, const char **val, int *len, int *fmt,
                      Oid *types, char *tb)
{
	for (size_t i = 0; i < np; i++) {
		char *t = tb + i * 32;
		len[i] = 0;
		fmt[i] = 0;
		types[i] = 0;
		switch (p[i].type) {
		case DB_P_NULL:
			val[i] = NULL;
			break;
		case DB_P_INT:
			snprintf(t, 32, "%lld", (long long)p[i].i);
			val[i] = t;
			types[i] = OID_INT8;
			break;
		case DB_P_REAL:
			snprintf(t, 32, "%.17g", p[i].d);
			val[i] = t;
			types[i] = OID_FLOAT8;
			break;
		case DB_P_TEXT:
			val[i] = p[i].p;
			break;
		default:
			val[i] = p[i].p ? p[i].p : "";
			len[i] = (int)p[i].len;
			fmt[i] = 1;
			types[i] = OID_BYTEA;
			break;
		}
	}
}

/* Adds row `row` of res to rb. */
static int add_row(struct db_pg *g, PGresult *res, int row, struct db_rows_build *rb)
{
	int rc = 0;
	for (size_t c = 0; rc == 0 && c < rb->ncol; c++) {
		int col = (int)c;
		if (PQgetisnull(res, row, col)) {
			rc = cg_db_rb_value(rb, NULL, 0);
		} else if (PQftype(res, col) == OID_BYTEA) {
			size_t n = 0;
			unsigned char *b =
			    PQunescapeBytea((const unsigned char *)PQgetvalue(res, row, col), &n);
			if (!b)
				return CG_ENOMEM;
			rc = cg_db_rb_value(rb, b, n);
			PQfreemem(b);
		} else {
			rc = cg_db_rb_value(rb, PQgetvalue(res, row, col),
			                    (size_t)PQgetlength(res, row, col));
		}
	}
	if (rc == CG_ELIMIT)
		DB_ERR_SET(&g->base, "result larger than the caps of db.h");
	return rc;
}

static int begin_rows(struct db_rows_build *rb, PGresult *res)
{
	int rc = cg_db_rb_begin(rb, (size_t)PQnfields(res));
	for (int c = 0; rc == 0 && c < PQnfields(res); c++)
		rc = cg_db_rb_name(rb, (size_t)c, PQfname(res, c));
	return rc;
}

/* Reads the results of the query sent; stops a query whose result passes the caps. */
static int read_results(struct db_pg *g, struct db_rows_build *rb, int64_t *changes)
{
	PGresult *res;
	int rc = 0, started = 0;

	while ((res = PQgetResult(g->c)) != NULL) {
		ExecStatusType st = PQresultStatus(res);
		if (rc) {
			/* draining after an error or a cancel */
		} else if (st == PGRES_SINGLE_TUPLE || st == PGRES_TUPLES_OK) {
			if (rb && !started) {
				rc = begin_rows(rb, res);
				started = 1;
			}
			/* one row per result in single-row mode; the final result has none */
			for (int r = 0; rc == 0 && rb && r < PQntuples(res); r++)
				rc = add_row(g, res, r, rb);
			if (rc) {
				PGcancel *cn = PQgetCancel(g->c);
				char eb[256];
				if (cn) {
					PQcancel(cn, eb, sizeof(eb));
					PQfreeCancel(cn);
				}
			}
			if (st == PGRES_TUPLES_OK && changes)
				*changes = strtoll(PQcmdTuples(res), NULL, 10);
		} else if (st == PGRES_COMMAND_OK) {
			if (changes)
				*changes = strtoll(PQcmdTuples(res), NULL, 10);
		} else {
			rc = pg_err(g, res);
		}
		PQclear(res);
	}
	if (rc == 0 && rb && !started)
		rc = cg_db_rb_begin(rb, 0);
	return rc;
}

static int pg_run(struct cg_db *db, const char *sql, const struct db_param *p, size_t np,
                  struct db_rows_build *rb, int64_t *changes)
{
	struct db_pg *g = (struct db_pg *)db;
	const char **val = NULL;
	int *len = NULL, *fmt = NULL, rc;
	Oid *types = NULL;
	char *tb = NULL, *q = NULL;
	size_t nq = 0;

	rc = cg_db_rewrite_params(sql, &q, &nq);
	if (rc)
		return rc;
	if (np) {
		val = cg_calloc(np, sizeof(*val));
		len = cg_calloc(np, sizeof(*len));
		fmt = cg_calloc(np, sizeof(*fmt));
		types = cg_calloc(np, sizeof(*types));
		tb = cg_malloc(np * 32);
		if (!val || !len || !fmt || !types || !tb) {
			rc = CG_ENOMEM;
			goto out;
		}
		pg_params(p, np, val, len, fmt, types, tb);
	}
	/* Text results; one row at a time so the caps apply before libpq holds everything. */
	if (!PQsendQueryParams(g->c, q, (int)np, types, val, len, fmt, 0)) {
		rc = pg_err(g, NULL);
		goto out;
	}
	if (rb)
		(void)PQsetSingleRowMode(g->c); /* without it the rows come in one result */
	rc = read_results(g, rb, changes);
out:
	cg_free(q);
	cg_free(val);
	cg_free(len);
	cg_free(fmt);
	cg_free(types);
	cg_free(tb);
	return rc;
}

static int pg_script(struct cg_db *db, const char *sql)
{
	struct db_pg *g = (struct db_pg *)db;
	PGresult *res = PQexec(g->c, sql);
	int rc = 0;
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
		rc = pg_err(g, res);
	PQclear(res);
	return rc;
}

/* A pooled connection that broke (server restart) is reset before it is handed out again. */
static int pg_check(struct cg_db *db)
{
	struct db_pg *g = (struct db_pg *)db;
	if (PQstatus(g->c) == CONNECTION_OK)
		return 0;
	PQreset(g->c);
	if (PQstatus(g->c) != CONNECTION_OK)
		return pg_err(g, NULL);
	PQsetNoticeProcessor(g->c, no_notices, NULL);
	return 0;
}

static void pg_close(struct cg_db *db)
{
	struct db_pg *g = (struct db_pg *)db;
	PQfinish(g->c);
	cg_free(g);
}

static const struct db_ops pg_ops = {pg_run, pg_script, pg_check, pg_close};

int cg_db_pg_open(const char *conninfo, struct cg_db **out, struct cg_diags *d)
{
	/* expand_dbname: the "dbname" value is the whole URL or conninfo string; the other
	 * settings apply unless it sets them itself. */
	const char *keys[] = {"dbname", "client_encoding", "application_name", "connect_timeout",
	                      NULL};
	const char *vals[] = {conninfo, "UTF8", "canhgac", "10", NULL};
	struct db_pg *g = cg_calloc(1, sizeof(*g));
	int rc;

	if (!g)
		return CG_ENOMEM;
	g->base.kind = CG_DB_POSTGRES;
	g->base.ops = &pg_ops;
	g->c = PQconnectdbParams(keys, vals, 1);
	if (!g->c) {
		cg_free(g);
		return CG_ENOMEM;
	}
	if (PQstatus(g->c) != CONNECTION_OK) {
		rc = pg_err(g, NULL);
		cg_diags_add(
		    d, rc, "db", 0, 0,
		    CG_MSG("không kết nối được PostgreSQL: %s", "cannot connect to PostgreSQL: %s"),
		    g->base.err);
		pg_close(&g->base);
		return rc;
	}
	/* libpq prints notices (e.g. "already exists, skipping") to stderr by default. */
	PQsetNoticeProcessor(g->c, no_notices, NULL);
	*out = &g->base;
	return 0;
}

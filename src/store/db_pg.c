/* db_pg.c - the PostgreSQL back end of db.h through libpq: `?` rewritten to $n, values sent as
 * text (blobs as binary bytea), results read in text format one row at a time so that the caps
 * of db.h hold before a huge result is in memory; bytea is decoded with PQunescapeBytea.
 * Statements are prepared once per connection (a cache keyed by the SQL and the type string),
 * which saves the server parsing and planning each of a batch's inserts again. */
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

#define CACHE_SIZE 64 /* prepared statements kept per connection */

struct cached {
	char *sql;   /* owned copy of the SQL as given; NULL for a free slot */
	char *types; /* owned copy of the type string */
	uint64_t hash;
	uint64_t used; /* for least-recently-used eviction */
	char name[16]; /* "cg_N" on the server */
};

struct db_pg {
	struct cg_db base;
	PGconn *c;
	char state[6]; /* SQLSTATE of the last error */
	struct cached cache[CACHE_SIZE];
	uint64_t tick, serial;
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
	snprintf(g->state, sizeof(g->state), "%s", state ? state : "");
	DB_ERR_SET(&g->base, "postgresql: %s%s%s", state ? state : "", state ? " " : "",
	           msg ? msg : "");
	n = strlen(g->base.err);
	while (n && (g->base.err[n - 1] == '\n' || g->base.err[n - 1] == ' '))
		g->base.err[--n] = 0;
	if (!state) /* the connection failed */
		return CG_EIO;
	if (strcmp(state, "23505") == 0) /* unique_violation */
		return CG_EEXIST;
	if (strcmp(state, "40P01") == 0 || strcmp(state, "40001") == 0)
		return CG_ECHANGED;      /* deadlock, serialization failure: the transaction may be
		                            retried */
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

/* The declared type of a placeholder by its letter; text is left for the server to infer from
 * the context, so that it fits any column type. */
static Oid letter_oid(char letter)
{
	switch (letter) {
	case 'i':
	case 'I':
		return OID_INT8;
	case 'd':
		return OID_FLOAT8;
	case 'b':
		return OID_BYTEA;
	default:
		return 0;
	}
}

/* Turns the parameters into libpq's arrays; text forms of numbers go to the caller's buffer tb
 * (32 bytes per value). */
static void pg_params(const struct db_param *p, size_t np, const char **val, int *len, int *fmt,
                      char *tb)
{
	for (size_t i = 0; i < np; i++) {
		char *t = tb + i * 32;
		len[i] = 0;
		fmt[i] = 0;
		switch (p[i].type) {
		case DB_P_NULL:
			val[i] = NULL;
			break;
		case DB_P_INT:
			snprintf(t, 32, "%lld", (long long)p[i].i);
			val[i] = t;
			break;
		case DB_P_REAL:
			snprintf(t, 32, "%.17g", p[i].d);
			val[i] = t;
			break;
		case DB_P_TEXT:
			val[i] = p[i].p;
			break;
		default:
			val[i] = p[i].p ? p[i].p : "";
			len[i] = (int)p[i].len;
			fmt[i] = 1;
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

static uint64_t fnv1a(const char *s, uint64_t h)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

static void cache_drop(struct cached *c)
{
	cg_free(c->sql);
	cg_free(c->types);
	memset(c, 0, sizeof(*c));
}

/* Forgets every prepared statement (after a reconnect the server has none). */
static void cache_clear(struct db_pg *g)
{
	for (size_t i = 0; i < CACHE_SIZE; i++)
		cache_drop(&g->cache[i]);
}

/* The prepared statement for sql with these parameter types, from the cache or prepared now
 * (evicting the least recently used one, which is deallocated on the server). */
static int get_stmt(struct db_pg *g, const char *sql, const char *letters, const struct db_param *p,
                    size_t np, struct cached **out)
{
	uint64_t h = fnv1a(letters, fnv1a(sql, 0xcbf29ce484222325ull));
	struct cached *victim = &g->cache[0], *c;
	Oid small[32], *types = np <= 32 ? small : cg_calloc(np, sizeof(Oid));
	PGresult *res = NULL;
	char *q = NULL;
	size_t nq = 0;
	int rc;

	for (size_t i = 0; i < CACHE_SIZE; i++) {
		c = &g->cache[i];
		if (c->sql && c->hash == h && strcmp(c->sql, sql) == 0 &&
		    strcmp(c->types, letters) == 0) {
			c->used = ++g->tick;
			*out = c;
			rc = 0;
			goto out;
		}
		if (!c->sql || (victim->sql && c->used < victim->used))
			victim = c;
	}
	rc = types ? cg_db_rewrite_params(sql, &q, &nq) : CG_ENOMEM;
	if (rc)
		goto out;
	if (victim->sql) {
		char dealloc[40];
		snprintf(dealloc, sizeof(dealloc), "DEALLOCATE %s", victim->name);
		PQclear(PQexec(g->c, dealloc));
		cache_drop(victim);
	}
	for (size_t i = 0; i < np; i++)
		types[i] = letter_oid(p[i].letter);
	snprintf(victim->name, sizeof(victim->name), "cg_%llu", (unsigned long long)++g->serial);
	res = PQprepare(g->c, victim->name, q, (int)np, types);
	if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) {
		rc = pg_err(g, res);
		goto out;
	}
	victim->sql = cg_strdup(sql);
	victim->types = cg_strdup(letters);
	if (!victim->sql || !victim->types) {
		/* the server keeps the statement under a name nobody uses again; harmless */
		cache_drop(victim);
		rc = CG_ENOMEM;
		goto out;
	}
	victim->hash = h;
	victim->used = ++g->tick;
	*out = victim;
out:
	PQclear(res);
	cg_free(q);
	if (types != small)
		cg_free(types);
	return rc;
}

/* The arrays libpq takes for np values, on the stack for up to 32. */
struct pg_bufs {
	const char *sval[32], **val;
	int slen[32], sfmt[32], *len, *fmt;
	char stb[32 * 32], sletters[33], *tb, *letters;
};

static int bufs_init(struct pg_bufs *b, size_t np)
{
	b->val = b->sval;
	b->len = b->slen;
	b->fmt = b->sfmt;
	b->tb = b->stb;
	b->letters = b->sletters;
	if (np <= 32)
		return 0;
	b->val = cg_calloc(np, sizeof(*b->val));
	b->len = cg_calloc(np, sizeof(*b->len));
	b->fmt = cg_calloc(np, sizeof(*b->fmt));
	b->tb = cg_malloc(np * 32);
	b->letters = cg_malloc(np + 1);
	if (b->val && b->len && b->fmt && b->tb && b->letters)
		return 0;
	return CG_ENOMEM; /* the caller still calls bufs_free */
}

static void bufs_free(struct pg_bufs *b)
{
	if (b->val == b->sval)
		return;
	cg_free(b->val);
	cg_free(b->len);
	cg_free(b->fmt);
	cg_free(b->tb);
	cg_free(b->letters);
}

static int pg_run(struct cg_db *db, const char *sql, const struct db_param *p, size_t np,
                  struct db_rows_build *rb, int64_t *changes)
{
	struct db_pg *g = (struct db_pg *)db;
	struct cached *c = NULL;
	struct pg_bufs b;
	int rc = bufs_init(&b, np), tries = 0;

	if (rc)
		goto out;
	for (size_t i = 0; i < np; i++)
		b.letters[i] = p[i].letter;
	b.letters[np] = 0;
	pg_params(p, np, b.val, b.len, b.fmt, b.tb);
again:
	g->state[0] = 0;
	rc = get_stmt(g, sql, b.letters, p, np, &c);
	if (rc)
		goto out;
	/* Text results; one row at a time so the caps apply before libpq holds everything. */
	if (!PQsendQueryPrepared(g->c, c->name, (int)np, b.val, b.len, b.fmt, 0)) {
		rc = pg_err(g, NULL);
		goto out;
	}
	/* Also for exec: rows a RETURNING gives are then dropped one by one, never all held. */
	(void)PQsetSingleRowMode(g->c); /* without it the rows come in one result */
	rc = read_results(g, rb, changes);
	/* The statement is gone (DISCARD ALL) or its result type changed under a schema change:
	 * it did not run, so prepare it again; outside a transaction, retry at once. */
	if (rc && (strcmp(g->state, "26000") == 0 || strcmp(g->state, "0A000") == 0)) {
		cache_drop(c);
		if (db->tx == DB_TX_NONE && tries++ == 0) {
			if (rb)
				cg_db_rb_clear(rb);
			goto again;
		}
	}
out:
	bufs_free(&b);
	return rc;
}

#define PIPE_CHUNK 256 /* statements sent before their results are read */

/* Reads the results of `sent` pipelined statements and the sync point after them. */
static int pipe_read(struct db_pg *g, size_t sent, int64_t *total)
{
	PGresult *res;
	int rc = 0;
	for (size_t i = 0; i < sent; i++) {
		while ((res = PQgetResult(g->c)) != NULL) {
			ExecStatusType st = PQresultStatus(res);
			if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
				*total += strtoll(PQcmdTuples(res), NULL, 10);
			else if (st != PGRES_PIPELINE_ABORTED && rc == 0)
				rc = pg_err(g, res);
			PQclear(res);
		}
		if (PQstatus(g->c) != CONNECTION_OK)
			return rc ? rc : pg_err(g, NULL);
	}
	res = PQgetResult(g->c);
	if (!res || PQresultStatus(res) != PGRES_PIPELINE_SYNC)
		rc = rc ? rc : pg_err(g, res);
	PQclear(res);
	return rc;
}

/* Sends n rows of statement c in one pipeline, then reads their results. */
static int pipe_chunk(struct db_pg *g, struct cached *c, const struct db_param *p, size_t ncol,
                      size_t n, struct pg_bufs *b, int64_t *total)
{
	size_t sent = 0;
	int rc = 0, rr;
	if (!PQenterPipelineMode(g->c))
		return pg_err(g, NULL);
	for (; sent < n; sent++) {
		pg_params(p + sent * ncol, ncol, b->val, b->len, b->fmt, b->tb);
		if (!PQsendQueryPrepared(g->c, c->name, (int)ncol, b->val, b->len, b->fmt, 0)) {
			rc = pg_err(g, NULL);
			break;
		}
	}
	if (!PQpipelineSync(g->c))
		return rc ? rc : pg_err(g, NULL); /* the connection is gone; the pool resets it */
	rr = pipe_read(g, sent, total);
	if (rc == 0)
		rc = rr;
	if (!PQexitPipelineMode(g->c) && rc == 0)
		rc = pg_err(g, NULL);
	return rc;
}

static int pg_batch(struct cg_db *db, const char *sql, const struct db_param *p, size_t ncol,
                    size_t nrows, int64_t *changes)
{
	struct db_pg *g = (struct db_pg *)db;
	struct cached *c = NULL;
	struct pg_bufs b;
	int64_t total = 0;
	int rc = bufs_init(&b, ncol);

	if (rc) {
		bufs_free(&b);
		return rc;
	}
	for (size_t i = 0; i < ncol; i++)
		b.letters[i] = p[i].letter;
	b.letters[ncol] = 0;
	/* db.c checked that every row has the first row's type letters */
	rc = get_stmt(g, sql, b.letters, p, ncol, &c);
	for (size_t r = 0; rc == 0 && r < nrows; r += PIPE_CHUNK) {
		size_t n = nrows - r < PIPE_CHUNK ? nrows - r : PIPE_CHUNK;
		rc = pipe_chunk(g, c, p + r * ncol, ncol, n, &b, &total);
	}
	if (rc == 0 && changes)
		*changes = total;
	bufs_free(&b);
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
	cache_clear(g);
	db->tx = DB_TX_NONE;
	if (PQstatus(g->c) != CONNECTION_OK)
		return pg_err(g, NULL);
	PQsetNoticeProcessor(g->c, no_notices, NULL);
	return 0;
}

static void pg_close(struct cg_db *db)
{
	struct db_pg *g = (struct db_pg *)db;
	PQfinish(g->c);
	cache_clear(g);
	cg_free(g);
}

static const struct db_ops pg_ops = {pg_run, pg_batch, pg_script, pg_check, pg_close};

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

/* db.c - the public SQL interface (db.h): opening by URL, argument checks, decoding the type
 * string into bound values, transactions and their failed state, and reading results. The back
 * ends are db_sqlite.c and db_pg.c; results are built by db_rows.c. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/db.h"
#include "canhgac/error.h"
#include "db_int.h"
#include "banned.h"

static int has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

int cg_db_open(const char *url, struct cg_db **out, struct cg_diags *d)
{
	if (out)
		*out = NULL;
	if (!url || !out || !*url)
		return CG_EINVAL;
	if (strlen(url) > CG_DB_MAX_URL)
		return cg_diags_add(d, CG_ELIMIT, "db", 0, 0,
		                    CG_MSG("địa chỉ cơ sở dữ liệu dài quá %u byte",
		                           "database URL longer than %u bytes"),
		                    (unsigned)CG_DB_MAX_URL);
	if (has_prefix(url, "postgres://") || has_prefix(url, "postgresql://"))
		return cg_db_pg_open(url, out, d);
	if (has_prefix(url, "pg:"))
		return cg_db_pg_open(url + 3, out, d);
	if (has_prefix(url, "sqlite:"))
		url += 7;
	if (!*url)
		return cg_diags_add(
		    d, CG_EINVAL, "db", 0, 0,
		    CG_MSG("thiếu đường dẫn tệp SQLite", "SQLite file path missing"));
	return cg_db_sqlite_open(url, out, d);
}

void cg_db_close(struct cg_db *db)
{
	if (db)
		db->ops->close(db);
}

enum cg_db_kind cg_db_kind(const struct cg_db *db)
{
	return db->kind;
}

const char *cg_db_errmsg(const struct cg_db *db)
{
	return db ? db->err : "";
}

/* Whether s[0..n) is valid UTF-8 (shortest forms, no surrogates, at most U+10FFFF). */
static int utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i], k;
		uint32_t cp;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			k = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			k = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			k = 3, cp = c & 0x07;
		else
			return 0;
		if (n - i <= k)
			return 0;
		for (unsigned j = 1; j <= k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + j] & 0x3f);
		}
		if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += k + 1;
	}
	return 1;
}

/* Checks one value (the k-th, 0-based) and turns it into a bound parameter. */
static int to_param(struct cg_db *db, const struct cg_db_val *v, size_t k, struct db_param *q)
{
	memset(q, 0, sizeof(*q));
	q->letter = v->type;
	q->i = v->i;
	q->d = v->d;
	q->p = v->p;
	switch (v->type) {
	case 'i':
		q->type = DB_P_INT;
		return 0;
	case 'I':
		q->type = v->i == INT64_MIN ? DB_P_NULL : DB_P_INT;
		return 0;
	case 'd':
		q->type = DB_P_REAL;
		return 0;
	case 't':
		q->type = v->p ? DB_P_TEXT : DB_P_NULL;
		q->len = v->p ? strlen(v->p) : 0;
		if (q->len > CG_DB_MAX_RESULT) {
			DB_ERR_SET(db, "parameter %zu: %zu bytes", k + 1, q->len);
			return CG_ELIMIT;
		}
		if (v->p && !utf8_ok(v->p, q->len)) {
			DB_ERR_SET(db, "parameter %zu: text is not valid UTF-8", k + 1);
			return CG_EINVAL;
		}
		return 0;
	case 'b':
		q->type = DB_P_BLOB;
		q->len = v->len;
		if (!v->p && v->len) {
			DB_ERR_SET(db, "parameter %zu: NULL blob of %zu bytes", k + 1, v->len);
			return CG_EINVAL;
		}
		if (q->len > CG_DB_MAX_RESULT) {
			DB_ERR_SET(db, "parameter %zu: %zu bytes", k + 1, q->len);
			return CG_ELIMIT;
		}
		return 0;
	default:
		DB_ERR_SET(db, "parameter %zu: unknown type letter '%c'", k + 1, v->type);
		return CG_EINVAL;
	}
}

/* Decodes the type string into p (room for strlen(types) values). */
static int decode_params(struct cg_db *db, const char *types, va_list ap, struct db_param *p)
{
	size_t n = 0;
	for (const char *t = types; *t; t++, n++) {
		struct cg_db_val v;
		memset(&v, 0, sizeof(v));
		v.type = *t;
		switch (*t) {
		case 'i':
		case 'I':
			v.i = va_arg(ap, int64_t);
			break;
		case 'd':
			v.d = va_arg(ap, double);
			break;
		case 't':
			v.p = va_arg(ap, const char *);
			break;
		case 'b':
			v.p = va_arg(ap, const void *);
			v.len = va_arg(ap, size_t);
			break;
		default:
			break; /* to_param reports it; the arguments cannot be read further */
		}
		int rc = to_param(db, &v, n, &p[n]);
		if (rc)
			return rc;
	}
	return 0;
}

/* Checks that sql has np placeholders. */
static int check_count(struct cg_db *db, const char *sql, size_t np)
{
	size_t nq = 0;
	if (cg_db_count_params(sql, &nq)) {
		DB_ERR_SET(db, "numbered placeholders (?NNN) are not portable");
		return CG_EINVAL;
	}
	if (nq != np) {
		DB_ERR_SET(db, "%zu placeholders but %zu values", nq, np);
		return CG_EINVAL;
	}
	return 0;
}

/* Runs one statement with the decoded parameters. Outside a transaction each statement commits
 * on its own. Inside one, an error of the back end leaves the transaction failed (PostgreSQL
 * aborts it anyway; SQLite is made to behave the same), so only a rollback is allowed next. */
static int run_p(struct cg_db *db, struct db_rows_build *rb, int64_t *changes, const char *sql,
                 const struct db_param *p, size_t np)
{
	int rc = check_count(db, sql, np);
	if (rc)
		return rc;
	rc = db->ops->run(db, sql, p, np, rb, changes);
	if (rc && db->tx == DB_TX_OPEN)
		db->tx = DB_TX_FAILED;
	return rc;
}

/* The checks before any statement; n values are to be bound. */
static int precheck(struct cg_db *db, int64_t *changes, const char *sql, size_t n)
{
	if (changes)
		*changes = 0;
	if (!db || !sql)
		return CG_EINVAL;
	if (db->tx == DB_TX_FAILED) {
		DB_ERR_SET(db, "statement in a failed transaction: roll back first");
		return CG_EINVAL;
	}
	if (n > CG_DB_MAX_PARAMS) {
		DB_ERR_SET(db, "%zu parameters, more than %d", n, CG_DB_MAX_PARAMS);
		return CG_ELIMIT;
	}
	return 0;
}

static int run(struct cg_db *db, struct db_rows_build *rb, int64_t *changes, const char *sql,
               const char *types, va_list ap)
{
	struct db_param small[32], *p = small;
	size_t nt = types ? strlen(types) : 0;
	int rc = precheck(db, changes, sql, nt);

	if (rc)
		return rc;
	if (nt > sizeof(small) / sizeof(small[0])) {
		p = cg_calloc(nt, sizeof(*p));
		if (!p)
			return CG_ENOMEM;
	}
	rc = decode_params(db, types ? types : "", ap, p);
	if (rc == 0)
		rc = run_p(db, rb, changes, sql, p, nt);
	if (p != small)
		cg_free(p);
	return rc;
}

static int run_vals(struct cg_db *db, struct db_rows_build *rb, int64_t *changes, const char *sql,
                    const struct cg_db_val *v, size_t n)
{
	struct db_param small[32], *p = small;
	int rc = precheck(db, changes, sql, n);

	if (rc)
		return rc;
	if (!v && n)
		return CG_EINVAL;
	if (n > sizeof(small) / sizeof(small[0])) {
		p = cg_calloc(n, sizeof(*p));
		if (!p)
			return CG_ENOMEM;
	}
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = to_param(db, &v[i], i, &p[i]);
	if (rc == 0)
		rc = run_p(db, rb, changes, sql, p, n);
	if (p != small)
		cg_free(p);
	return rc;
}

int cg_db_exec_vals(struct cg_db *db, int64_t *changes, const char *sql, const struct cg_db_val *v,
                    size_t n)
{
	return run_vals(db, NULL, changes, sql, v, n);
}

int cg_db_query_vals(struct cg_db *db, struct cg_rows **out, const char *sql,
                     const struct cg_db_val *v, size_t n)
{
	struct db_rows_build rb;
	int rc;

	if (!out)
		return CG_EINVAL;
	*out = NULL;
	memset(&rb, 0, sizeof(rb));
	rc = run_vals(db, &rb, NULL, sql, v, n);
	if (rc == 0)
		rc = cg_db_rb_finish(&rb, out);
	cg_db_rb_clear(&rb);
	return rc;
}

int cg_db_exec_batch(struct cg_db *db, int64_t *changes, const char *sql, const struct cg_db_val *v,
                     size_t ncol, size_t nrows)
{
	struct db_param *p = NULL;
	int rc = precheck(db, changes, sql, ncol), own = 0;
	size_t total;

	if (rc)
		return rc;
	if (nrows > CG_DB_MAX_BATCH || (ncol && nrows > CG_DB_MAX_BATCH / ncol)) {
		DB_ERR_SET(db, "batch of %zu rows of %zu values", nrows, ncol);
		return CG_ELIMIT;
	}
	total = ncol * nrows;
	if (!v && total)
		return CG_EINVAL;
	if (nrows == 0)
		return 0;
	rc = check_count(db, sql, ncol);
	if (rc)
		return rc;
	p = cg_calloc(total ? total : 1, sizeof(*p));
	if (!p)
		return CG_ENOMEM;
	/* one prepared statement serves every row: their type letters must agree */
	for (size_t i = 0; rc == 0 && i < total; i++) {
		rc = to_param(db, &v[i], i % ncol, &p[i]);
		if (rc == 0 && v[i].type != v[i % ncol].type) {
			DB_ERR_SET(db, "batch row %zu: type letters differ from the first row",
			           i / ncol);
			rc = CG_EINVAL;
		}
	}
	if (rc)
		goto out;
	if (db->tx == DB_TX_NONE) {
		rc = cg_db_begin_write(db);
		if (rc)
			goto out;
		own = 1;
	}
	rc = db->ops->batch(db, sql, p, ncol, nrows, changes);
	if (rc)
		db->tx = DB_TX_FAILED;
	if (own && rc)
		cg_db_rollback(db);
	else if (own)
		rc = cg_db_commit(db);
out:
	cg_free(p);
	return rc;
}

int cg_db_exec(struct cg_db *db, int64_t *changes, const char *sql, const char *types, ...)
{
	va_list ap;
	int rc;
	va_start(ap, types);
	rc = run(db, NULL, changes, sql, types, ap);
	va_end(ap);
	return rc;
}

int cg_db_exec_script(struct cg_db *db, const char *sql)
{
	int rc;
	if (!db || !sql)
		return CG_EINVAL;
	if (db->tx == DB_TX_FAILED)
		return CG_EINVAL;
	rc = db->ops->script(db, sql);
	if (rc && db->tx == DB_TX_OPEN)
		db->tx = DB_TX_FAILED;
	return rc;
}

static int query_v(struct cg_db *db, struct cg_rows **out, const char *sql, const char *types,
                   va_list ap)
{
	struct db_rows_build rb;
	int rc;

	memset(&rb, 0, sizeof(rb));
	rc = run(db, &rb, NULL, sql, types, ap);
	if (rc == 0)
		rc = cg_db_rb_finish(&rb, out);
	cg_db_rb_clear(&rb);
	return rc;
}

int cg_db_query(struct cg_db *db, struct cg_rows **out, const char *sql, const char *types, ...)
{
	va_list ap;
	int rc;
	if (!out)
		return CG_EINVAL;
	*out = NULL;
	va_start(ap, types);
	rc = query_v(db, out, sql, types, ap);
	va_end(ap);
	return rc;
}

int cg_db_query_int(struct cg_db *db, int64_t *out, const char *sql, const char *types, ...)
{
	struct cg_rows *r = NULL;
	va_list ap;
	int rc;
	if (!out)
		return CG_EINVAL;
	va_start(ap, types);
	rc = query_v(db, &r, sql, types, ap);
	va_end(ap);
	if (rc)
		return rc;
	if (r->n == 0 || r->ncol == 0) {
		rc = CG_ENOENT;
	} else {
		*out = cg_rows_int(r, 0, 0, 0);
	}
	cg_rows_free(r);
	return rc;
}

static int tx_start(struct cg_db *db, const char *sql)
{
	int rc;
	if (!db)
		return CG_EINVAL;
	if (db->tx != DB_TX_NONE) {
		DB_ERR_SET(db, "nested transaction");
		return CG_EINVAL;
	}
	rc = db->ops->script(db, sql);
	if (rc == 0)
		db->tx = DB_TX_OPEN;
	return rc;
}

int cg_db_begin(struct cg_db *db)
{
	return tx_start(db, "BEGIN");
}

int cg_db_begin_write(struct cg_db *db)
{
	return tx_start(db, db && db->kind == CG_DB_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN");
}

int cg_db_rollback(struct cg_db *db)
{
	int rc;
	if (!db || db->tx == DB_TX_NONE)
		return CG_EINVAL;
	rc = db->ops->script(db, "ROLLBACK");
	/* Even when ROLLBACK reports an error the transaction is over: SQLite rolls back on its
	 * own after the errors that end a transaction, and PostgreSQL never keeps one open. */
	db->tx = DB_TX_NONE;
	return rc;
}

int cg_db_commit(struct cg_db *db)
{
	int rc;
	if (!db || db->tx == DB_TX_NONE)
		return CG_EINVAL;
	if (db->tx == DB_TX_FAILED) {
		cg_db_rollback(db);
		DB_ERR_SET(db, "commit of a failed transaction: rolled back");
		return CG_EINVAL;
	}
	rc = db->ops->script(db, "COMMIT");
	if (rc) {
		/* A commit that failed (e.g. SQLite busy or a deferred constraint) must not leave a
		 * half-open transaction behind: roll it back and report the commit's error. */
		char keep[sizeof(db->err)];
		memcpy(keep, db->err, sizeof(keep));
		(void)db->ops->script(db, "ROLLBACK");
		memcpy(db->err, keep, sizeof(keep));
	}
	db->tx = DB_TX_NONE;
	return rc;
}

/* Scans sql for `?` placeholders outside '...' strings (E'...' with backslash escapes), "..."
 * identifiers, -- and block comments. When out is not NULL it gets the SQL with each `?` turned
 * into $1, $2... (PostgreSQL). A `?` followed by a digit (SQLite's ?NNN) is CG_EINVAL. */
static int scan_params(const char *sql, char *out, size_t *count)
{
	size_t n = 0, o = 0;
	for (const char *s = sql; *s;) {
		const char *start = s;
		if (*s == '\'' || *s == '"') {
			char q = *s++;
			int esc =
			    q == '\'' && start > sql && (start[-1] == 'E' || start[-1] == 'e');
			while (*s && !(*s == q && s[1] != q)) {
				if ((esc && *s == '\\' && s[1]) || (*s == q && s[1] == q))
					s++;
				s++;
			}
			if (*s)
				s++;
		} else if (s[0] == '-' && s[1] == '-') {
			while (*s && *s != '\n')
				s++;
		} else if (s[0] == '/' && s[1] == '*') {
			const char *e = strstr(s + 2, "*/");
			s = e ? e + 2 : s + strlen(s);
		} else if (*s == '?') {
			if (s[1] >= '0' && s[1] <= '9')
				return CG_EINVAL;
			n++;
			s++;
			if (out) {
				o += (size_t)snprintf(out + o, 12, "$%zu", n);
				continue;
			}
		} else {
			s++;
		}
		if (out) {
			memcpy(out + o, start, (size_t)(s - start));
			o += (size_t)(s - start);
		}
	}
	if (out)
		out[o] = 0;
	*count = n;
	return 0;
}

int cg_db_count_params(const char *sql, size_t *count)
{
	return scan_params(sql, NULL, count);
}

int cg_db_rewrite_params(const char *sql, char **out, size_t *count)
{
	size_t n = 0, len = strlen(sql);
	char *buf;
	int rc = scan_params(sql, NULL, &n);
	if (rc)
		return rc;
	/* Each `?` grows to at most "$" and 10 digits; CG_DB_MAX_PARAMS keeps that small. */
	if (n > CG_DB_MAX_PARAMS)
		return CG_ELIMIT;
	buf = cg_malloc(len + n * 11 + 1);
	if (!buf)
		return CG_ENOMEM;
	scan_params(sql, buf, &n);
	*out = buf;
	*count = n;
	return 0;
}

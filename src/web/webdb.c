/* webdb.c - baselines of the website checks in SQLite (webdb.h). */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/webdb.h"
#include "banned.h"

struct cg_webdb {
	sqlite3 *db;
};

/* Never edit a migration that shipped: add one. */
static const char *const migrations[] = {
    "CREATE TABLE baselines(url TEXT PRIMARY KEY, unit TEXT, title TEXT NOT NULL,"
    " text_hash INTEGER NOT NULL, words INTEGER NOT NULL, sketch BLOB, domains TEXT NOT NULL,"
    " recorded_ms INTEGER NOT NULL);",
};

static int sqerr(int rc)
{
	switch (rc) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return CG_OK;
	case SQLITE_NOMEM:
		return CG_ENOMEM;
	case SQLITE_FULL:
		return CG_ENOSPC;
	case SQLITE_READONLY:
		return CG_EROFS;
	case SQLITE_PERM:
	case SQLITE_AUTH:
	case SQLITE_CANTOPEN:
		return CG_EPERM;
	default:
		return CG_EIO;
	}
}

static int migrate(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int ver = 0, rc;
	const int n = (int)(sizeof(migrations) / sizeof(migrations[0]));

	rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
	if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		ver = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	for (int i = ver; i < n; i++) {
		char pragma[64];
		rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(db, migrations[i], NULL, NULL, NULL);
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version=%d", i + 1);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(db, pragma, NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return sqerr(rc);
		}
	}
	return CG_OK;
}

int cg_webdb_open(const char *path, struct cg_webdb **out)
{
	struct cg_webdb *w = cg_calloc(1, sizeof(*w));
	int rc;

	*out = NULL;
	if (!w)
		return CG_ENOMEM;
	rc = sqerr(sqlite3_open_v2(path, &w->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL));
	if (rc == CG_OK) {
		sqlite3_busy_timeout(w->db, 5000);
		rc =
		    sqerr(sqlite3_exec(w->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
		                       NULL, NULL, NULL));
	}
	if (rc == CG_OK)
		rc = migrate(w->db);
	if (rc) {
		cg_webdb_close(w);
		return rc;
	}
	*out = w;
	return CG_OK;
}

void cg_webdb_close(struct cg_webdb *db)
{
	if (!db)
		return;
	sqlite3_close(db->db);
	cg_free(db);
}

/* The domains as one text, one per line. */
static char *join_domains(const struct cg_web_page *p)
{
	size_t n = 1;
	char *s, *q;
	for (size_t i = 0; i < p->ndomains; i++)
		n += strlen(p->domains[i]) + 1;
	s = cg_malloc(n);
	if (!s)
		return NULL;
	q = s;
	for (size_t i = 0; i < p->ndomains; i++) {
		size_t l = strlen(p->domains[i]);
		memcpy(q, p->domains[i], l);
		q[l] = '\n';
		q += l + 1;
	}
	*q = '\0';
	return s;
}

int cg_webdb_put(struct cg_webdb *db, const char *url, const char *unit,
                 const struct cg_web_page *p)
{
	sqlite3_stmt *st = NULL;
	uint8_t sk[CG_WEB_SKETCH * 8];
	char *doms = join_domains(p);
	int rc;

	if (!doms)
		return CG_ENOMEM;
	for (size_t i = 0; i < p->nsketch; i++)
		for (int b = 0; b < 8; b++)
			sk[i * 8 + (size_t)b] = (uint8_t)(p->sketch[i] >> (56 - 8 * b));
	rc = sqerr(sqlite3_prepare_v2(
	    db->db,
	    "INSERT OR REPLACE INTO baselines(url, unit, title, text_hash, words, sketch, domains,"
	    " recorded_ms) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)",
	    -1, &st, NULL));
	if (rc == CG_OK) {
		sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
		if (unit)
			sqlite3_bind_text(st, 2, unit, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, p->title ? p->title : "", -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)p->text_hash);
		sqlite3_bind_int64(st, 5, (sqlite3_int64)p->words);
		sqlite3_bind_blob(st, 6, sk, (int)(p->nsketch * 8), SQLITE_STATIC);
		sqlite3_bind_text(st, 7, doms, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 8, p->time_ms);
		rc = sqerr(sqlite3_step(st));
	}
	sqlite3_finalize(st);
	cg_free(doms);
	return rc;
}

static int read_row(sqlite3_stmt *st, struct cg_web_page *p)
{
	const uint8_t *sk = sqlite3_column_blob(st, 3);
	size_t skn = (size_t)sqlite3_column_bytes(st, 3);
	const char *doms = (const char *)sqlite3_column_text(st, 4);
	int rc = CG_OK;

	p->title =
	    cg_strdup(sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "");
	if (!p->title)
		return CG_ENOMEM;
	p->text_hash = (uint64_t)sqlite3_column_int64(st, 1);
	p->words = (size_t)sqlite3_column_int64(st, 2);
	p->time_ms = sqlite3_column_int64(st, 5);
	if (skn % 8 || skn / 8 > CG_WEB_SKETCH)
		return CG_EPARSE;
	p->nsketch = skn / 8;
	for (size_t i = 0; i < p->nsketch; i++) {
		uint64_t v = 0;
		for (int b = 0; b < 8; b++)
			v = (v << 8) | sk[i * 8 + (size_t)b];
		p->sketch[i] = v;
	}
	while (doms && *doms && rc == CG_OK) {
		size_t l = strcspn(doms, "\n");
		char d[CG_MAX_DOMAIN + 1];
		if (l && l <= CG_MAX_DOMAIN) {
			memcpy(d, doms, l);
			d[l] = '\0';
			rc = cg_web_page_add_domain(p, d);
		}
		doms += l + (doms[l] == '\n');
	}
	return rc;
}

int cg_webdb_get(struct cg_webdb *db, const char *url, struct cg_web_page *p)
{
	sqlite3_stmt *st = NULL;
	int rc;

	memset(p, 0, sizeof(*p));
	rc = sqerr(sqlite3_prepare_v2(db->db,
	                              "SELECT title, text_hash, words, sketch, domains, recorded_ms"
	                              " FROM baselines WHERE url=?1",
	                              -1, &st, NULL));
	if (rc == CG_OK) {
		sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
		int s = sqlite3_step(st);
		if (s == SQLITE_ROW)
			rc = read_row(st, p) == CG_OK ? 1 : CG_EPARSE; /* ENOMEM too: rare */
		else
			rc = s == SQLITE_DONE ? 0 : sqerr(s);
	}
	sqlite3_finalize(st);
	if (rc < 0 || rc == 0)
		cg_web_page_clear(p);
	return rc;
}

/* feedstore_sqlite_read.c - reading the SQLite feed store: records, entries and advisories. */
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/feedstore.h"
#include "canhgac/limits.h"
#include "feedstore_int.h"
#include "feedstore_sqlite_int.h"
#include "banned.h"

static const char *col_text(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return t ? (const char *)t : "";
}

/* Text or NULL. Callbacks get char * members as the shared structs declare them; they point
 * into SQLite's row and are valid only during the callback. */
static char *col_opt(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? NULL
	                                                   : (char *)sqlite3_column_text(st, col);
}

static int64_t col_time(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? CG_TIME_NONE
	                                                   : sqlite3_column_int64(st, col);
}

static uint64_t col_u64(sqlite3_stmt *st, int col)
{
	int64_t v = sqlite3_column_int64(st, col);
	return v < 0 ? 0 : (uint64_t)v;
}

void cg_sq_row_record(sqlite3_stmt *st, struct cg_feed_record *rec)
{
	int k, fmt;

	memset(rec, 0, sizeof(*rec));
	rec->id = sqlite3_column_int64(st, 0);
	snprintf(rec->list, sizeof(rec->list), "%s", col_text(st, 1));
	k = cg_feed_kind_parse(col_text(st, 2));
	rec->kind = k > 0 ? (enum cg_feed_kind)k : CG_FEED_BOTNET;
	fmt = cg_feed_format_parse(col_text(st, 3));
	rec->format = fmt > 0 ? (enum cg_feed_format)fmt : CG_FMT_AUTO;
	snprintf(rec->format_detail, sizeof(rec->format_detail), "%s", col_text(st, 4));
	snprintf(rec->source, sizeof(rec->source), "%s", col_text(st, 5));
	snprintf(rec->sha256, sizeof(rec->sha256), "%s", col_text(st, 6));
	rec->received = sqlite3_column_int64(st, 7);
	rec->imported = sqlite3_column_int64(st, 8);
	rec->rows_total = col_u64(st, 9);
	rec->rows_bad = col_u64(st, 10);
	rec->rows_skipped = col_u64(st, 11);
	rec->nentries = col_u64(st, 12);
	rec->nadvisories = col_u64(st, 13);
	rec->superseded_by = sqlite3_column_int64(st, 14); /* NULL reads as 0: current */
	snprintf(rec->columns, sizeof(rec->columns), "%s", col_text(st, 15));
}

int cg_sq_list(struct cg_feedstore *s, int all, struct cg_feed_record **out, size_t *n)
{
	struct sq_store *q = (struct sq_store *)s;
	struct cg_feed_record *v = NULL;
	size_t nv = 0, cap = 0;
	sqlite3_stmt *st = NULL;
	int rc = cg_sq_err(sqlite3_prepare_v2(
	    q->db,
	    all ? "SELECT " CG_SQ_FEED_COLS " FROM feeds ORDER BY id DESC"
	        : "SELECT " CG_SQ_FEED_COLS " FROM feeds WHERE superseded_by IS NULL"
	          " ORDER BY id DESC",
	    -1, &st, NULL));

	while (rc == 0) {
		int r = sqlite3_step(st);
		if (r != SQLITE_ROW) {
			rc = cg_sq_err(r);
			break;
		}
		rc = cg_grow((void **)&v, &cap, nv + 1, sizeof(*v), CG_MAX_FEED_RECORDS);
		if (rc == 0)
			cg_sq_row_record(st, &v[nv++]);
	}
	sqlite3_finalize(st);
	if (rc) {
		cg_free(v);
		return rc;
	}
	*out = v;
	*n = nv;
	return CG_OK;
}

static int find_one(struct sq_store *q, const char *sql, int64_t id, const char *list,
                    struct cg_feed_record *rec)
{
	sqlite3_stmt *st = NULL;
	int rc = cg_sq_err(sqlite3_prepare_v2(q->db, sql, -1, &st, NULL));
	if (rc == 0) {
		if (list)
			sqlite3_bind_text(st, 1, list, -1, SQLITE_STATIC);
		else
			sqlite3_bind_int64(st, 1, id);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			cg_sq_row_record(st, rec);
		rc = rc == SQLITE_ROW ? CG_OK : rc == SQLITE_DONE ? CG_ENOENT : cg_sq_err(rc);
	}
	sqlite3_finalize(st);
	return rc;
}

int cg_sq_find_id(struct cg_feedstore *s, int64_t id, struct cg_feed_record *rec)
{
	return find_one((struct sq_store *)s, "SELECT " CG_SQ_FEED_COLS " FROM feeds WHERE id=?1",
	                id, NULL, rec);
}

int cg_sq_find_list(struct cg_feedstore *s, const char *list, struct cg_feed_record *rec)
{
	return find_one((struct sq_store *)s,
	                "SELECT " CG_SQ_FEED_COLS " FROM feeds WHERE list=?1 AND"
	                " superseded_by IS NULL",
	                0, list, rec);
}

int cg_sq_entries(struct cg_feedstore *s, const struct cg_feed_record *rec, cg_feed_entry_cb cb,
                  void *arg)
{
	struct sq_store *q = (struct sq_store *)s;
	sqlite3_stmt *st = NULL;
	int rc = cg_sq_err(sqlite3_prepare_v2(
	    q->db,
	    "SELECT line, \"where\", type, value, port, time, family, extra FROM feed_entries"
	    " WHERE id BETWEEN ?1 AND ?2 ORDER BY id",
	    -1, &st, NULL));

	if (rc == 0) {
		/* see the schema: id = feed_id << 32 | seq */
		sqlite3_bind_int64(st, 1, (sqlite3_int64)((uint64_t)rec->id << 32));
		sqlite3_bind_int64(st, 2, (sqlite3_int64)(((uint64_t)rec->id << 32) | 0xffffffffu));
	}
	while (rc == 0) {
		struct cg_feed_entry e;
		int r = sqlite3_step(st), t;
		if (r != SQLITE_ROW) {
			rc = cg_sq_err(r);
			break;
		}
		memset(&e, 0, sizeof(e));
		e.line = (uint32_t)sqlite3_column_int64(st, 0);
		snprintf(e.where, sizeof(e.where), "%s", col_text(st, 1));
		t = cg_ioc_type_parse(col_text(st, 2));
		e.type = t > 0 ? (enum cg_ioc_type)t : CG_IOC_IP;
		e.value = (char *)col_text(st, 3);
		e.port = (uint16_t)sqlite3_column_int(st, 4);
		e.time = col_time(st, 5);
		e.family = col_opt(st, 6);
		e.extra = col_opt(st, 7);
		rc = cb(rec, &e, arg);
	}
	sqlite3_finalize(st);
	return rc;
}

/* ---- advisories ---- */

static const char *jget(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* Fills a->ranges and a->versions from their JSON text; the strings stay owned by rj and vj. */
static int decode_lists(sqlite3_stmt *st, struct cg_advisory *a, json_t **rj, json_t **vj)
{
	size_t i;
	json_t *x;

	*rj = json_loads(col_text(st, 9), 0, NULL);
	*vj = json_loads(col_text(st, 10), 0, NULL);
	if (!json_is_array(*rj) || !json_is_array(*vj))
		return CG_EIO; /* the database was changed behind our back */
	a->nranges = json_array_size(*rj);
	a->nversions = json_array_size(*vj);
	a->ranges = a->nranges ? cg_calloc(a->nranges, sizeof(*a->ranges)) : NULL;
	a->versions = a->nversions ? cg_calloc(a->nversions, sizeof(*a->versions)) : NULL;
	if ((a->nranges && !a->ranges) || (a->nversions && !a->versions))
		return CG_ENOMEM;
	json_array_foreach(*rj, i, x)
	{
		a->ranges[i].introduced = (char *)jget(x, "introduced");
		a->ranges[i].fixed = (char *)jget(x, "fixed");
		a->ranges[i].last_affected = (char *)jget(x, "last_affected");
	}
	json_array_foreach(*vj, i, x) a->versions[i] = (char *)json_string_value(x);
	return CG_OK;
}

static int one_advisory(sqlite3_stmt *st, const struct cg_feed_record *rec, cg_advisory_cb cb,
                        void *arg)
{
	struct cg_advisory a;
	json_t *rj = NULL, *vj = NULL;
	int rc;

	memset(&a, 0, sizeof(a));
	a.line = (uint32_t)sqlite3_column_int64(st, 0);
	snprintf(a.where, sizeof(a.where), "%s", col_text(st, 1));
	a.id = (char *)col_text(st, 2);
	a.aliases = col_opt(st, 3);
	a.ecosystem = col_opt(st, 4);
	a.package = col_opt(st, 5);
	a.vendor = col_opt(st, 6);
	a.product = col_opt(st, 7);
	a.scheme = (enum cg_ver_scheme)sqlite3_column_int(st, 8);
	a.affected_text = col_opt(st, 11);
	a.fixed_text = col_opt(st, 12);
	a.title = col_opt(st, 13);
	a.severity = col_opt(st, 14);
	a.cvss = sqlite3_column_type(st, 15) == SQLITE_NULL ? -1 : sqlite3_column_double(st, 15);
	a.exploited = sqlite3_column_int(st, 16);
	a.published = col_time(st, 17);
	a.due = col_time(st, 18);
	a.doc_no = col_opt(st, 19);
	a.action = col_opt(st, 20);
	a.kbs = col_opt(st, 21);
	a.fixed_build = col_opt(st, 22);
	a.supersedes = col_opt(st, 23);
	rc = decode_lists(st, &a, &rj, &vj);
	if (rc == 0)
		rc = cb(rec, &a, arg);
	cg_free(a.ranges);
	cg_free(a.versions);
	json_decref(rj);
	json_decref(vj);
	return rc;
}

int cg_sq_advisories(struct cg_feedstore *s, const struct cg_feed_record *rec, cg_advisory_cb cb,
                     void *arg)
{
	struct sq_store *q = (struct sq_store *)s;
	sqlite3_stmt *st = NULL;
	int rc = cg_sq_err(sqlite3_prepare_v2(
	    q->db,
	    "SELECT line, \"where\", id, aliases, ecosystem, package, vendor, product, scheme,"
	    " ranges, versions, affected_text, fixed_text, title, severity, cvss, exploited,"
	    " published, due, doc_no, action, kbs, fixed_build, supersedes FROM advisories"
	    " WHERE feed_id=?1 ORDER BY seq",
	    -1, &st, NULL));

	if (rc == 0)
		sqlite3_bind_int64(st, 1, rec->id);
	while (rc == 0) {
		int r = sqlite3_step(st);
		if (r != SQLITE_ROW) {
			rc = cg_sq_err(r);
			break;
		}
		rc = one_advisory(st, rec, cb, arg);
	}
	sqlite3_finalize(st);
	return rc;
}

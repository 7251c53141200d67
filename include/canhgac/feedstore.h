/* feedstore.h - where imported feeds live: one interface, SQLite now (<data-dir>/feeds.db),
 * PostgreSQL later with the same contract and the same tests.
 *
 * Every import is atomic (one transaction, durable before success is returned) and recorded:
 * feed id, list name, kind, source file name, content SHA-256, date received, row counts.
 * Importing the same content into the same list twice changes nothing (the existing record is
 * returned). A new import of a list supersedes the list's current feed; both stay on record, and
 * only current feeds take part in matching.
 */
#ifndef CANHGAC_FEEDSTORE_H
#define CANHGAC_FEEDSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/feed.h"

struct cg_feedstore;

struct cg_feed_record {
	int64_t id;
	char list[128]; /* list name: --list, or derived from the source file name */
	enum cg_feed_kind kind;
	enum cg_feed_format format;
	char format_detail[64];
	char source[512]; /* file name as given (base name) */
	char sha256[65];  /* of the imported bytes */
	int64_t received; /* UTC seconds: when the file was received (default: import time) */
	int64_t imported; /* UTC seconds */
	uint64_t rows_total, rows_bad, rows_skipped, nentries, nadvisories;
	int64_t superseded_by; /* id of the newer import of the same list, 0 when current */
	char columns[256];     /* the column mapping used, "ip=B,time=C,..." or "" */
};

/* Opens (creating and migrating) the SQLite store at path. */
int cg_feedstore_open_sqlite(const char *path, struct cg_feedstore **out);
/* Closes; accepts NULL. */
void cg_feedstore_close(struct cg_feedstore *s);

/* Stores a parsed feed atomically. Returns 0 and fills *rec for a new import; 1 and fills *rec
 * with the existing record when the same content (sha256) is already the list's current feed or
 * on record for it; <0 on error (nothing written). */
int cg_feedstore_import(struct cg_feedstore *s, const struct cg_feed *f, const char *list,
                        const char *source, const char *sha256, int64_t received,
                        struct cg_feed_record *rec);

/* Every feed on record, newest first; superseded ones only when `all`. *out allocated. */
int cg_feedstore_list(struct cg_feedstore *s, int all, struct cg_feed_record **out, size_t *n);
/* Finds a feed by id ("12") or by list name (its current feed). CG_ENOENT when none. */
int cg_feedstore_find(struct cg_feedstore *s, const char *ref, struct cg_feed_record *rec);
/* Removes one feed and its rows. If it was current, the list's previous import becomes current. */
int cg_feedstore_remove(struct cg_feedstore *s, int64_t id);

/* Calls cb for each entry of one feed, in source order; a nonzero return from cb stops and is
 * returned. The entry is valid only during the call. */
typedef int (*cg_feed_entry_cb)(const struct cg_feed_record *rec, const struct cg_feed_entry *e,
                                void *arg);
int cg_feedstore_entries(struct cg_feedstore *s, int64_t id, cg_feed_entry_cb cb, void *arg);
/* The same over every current feed of a kind (0 = every kind), optionally of one list. */
int cg_feedstore_current_entries(struct cg_feedstore *s, enum cg_feed_kind kind, const char *list,
                                 cg_feed_entry_cb cb, void *arg);

typedef int (*cg_advisory_cb)(const struct cg_feed_record *rec, const struct cg_advisory *a,
                              void *arg);
int cg_feedstore_advisories(struct cg_feedstore *s, int64_t id, cg_advisory_cb cb, void *arg);
/* Every advisory of every current advisory feed. */
int cg_feedstore_current_advisories(struct cg_feedstore *s, cg_advisory_cb cb, void *arg);

#endif

/* feedstore_int.h - the interface behind include/canhgac/feedstore.h that each storage back end
 * implements (SQLite now, PostgreSQL later). The public functions in feedstore.c check their
 * arguments and call through the back end's table, so a back end sees only valid arguments:
 * non-NULL pointers, a list name of 1..127 bytes of valid UTF-8 and a source of at most 511
 * bytes for import, and a positive id for remove and entries.
 *
 * A back end embeds struct cg_feedstore as its first member. It must keep the contract of
 * feedstore.h exactly: atomic, durable imports; dedupe by (list, sha256); supersede and restore
 * on remove; callbacks in source order. One handle is used by one thread at a time.
 */
#ifndef CANHGAC_FEEDSTORE_INT_H
#define CANHGAC_FEEDSTORE_INT_H

#include "canhgac/feedstore.h"

struct cg_feedstore_ops {
	const char *name; /* "sqlite", "postgres" */
	void (*close)(struct cg_feedstore *s);
	/* `now` is the import time (UTC seconds), given by the caller so tests control it. */
	int (*import)(struct cg_feedstore *s, const struct cg_feed *f, const char *list,
	              const char *source, const char *sha256, int64_t received, int64_t now,
	              struct cg_feed_record *rec);
	int (*list)(struct cg_feedstore *s, int all, struct cg_feed_record **out, size_t *n);
	int (*find_id)(struct cg_feedstore *s, int64_t id, struct cg_feed_record *rec);
	int (*find_list)(struct cg_feedstore *s, const char *list, struct cg_feed_record *rec);
	int (*remove)(struct cg_feedstore *s, int64_t id);
	int (*entries)(struct cg_feedstore *s, const struct cg_feed_record *rec,
	               cg_feed_entry_cb cb, void *arg);
	int (*advisories)(struct cg_feedstore *s, const struct cg_feed_record *rec,
	                  cg_advisory_cb cb, void *arg);
};

struct cg_feedstore {
	const struct cg_feedstore_ops *ops;
};

#endif

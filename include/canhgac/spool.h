/* spool.h - the agent's on-disk event spool (DATA_DIR/agent/spool.db, SQLite in WAL mode with
 * synchronous=FULL): every event is written here first and deleted only after the server
 * acknowledged it (docs/agent-protocol.md, docs/agent.md).
 *
 * Events are numbered within a spool epoch (32 lower-case hex digits from the OS CSPRNG): seq 1,
 * 2, 3... An append has reached the disk when it returns. Several processes may use one spool
 * (`agent run` and `agent event`): writers take SQLite's write lock, readers wait up to 10 s.
 * A struct cg_spool itself is not thread-safe.
 *
 * The spool is bounded by max_bytes (sum of the events' JSON lengths). When an append does not
 * fit, the oldest events of the lowest severity are dropped first: info, then low, then medium;
 * high and critical only for a high or critical newcomer when nothing lower is left; a
 * low-severity newcomer that finds only high and critical events is itself dropped. Drops are
 * counted per kind and reported by one `spool.dropped` event (severity medium) that the next
 * cg_spool_peek appends before it reads, so a week offline gives one report, not thousands.
 */
#ifndef CANHGAC_SPOOL_H
#define CANHGAC_SPOOL_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/error.h"
#include "canhgac/event.h"

#define CG_SPOOL_EPOCH_LEN 33               /* 32 hex digits + NUL */
#define CG_SPOOL_DEFAULT_MAX (256ull << 20) /* default bound, bytes */
#define CG_SPOOL_MIN_MAX (64ull << 10)      /* smallest bound accepted, bytes */
#define CG_MAX_SPOOL_EVENT (2ul << 20)      /* one event's JSON, bytes */
#define CG_MAX_SPOOL_MANY 100000ul          /* events of one cg_spool_append_many */

struct cg_spool;

/* One event to append: its canhgac.event/1 JSON (one line, not checked here: callers validate
 * outside input), severity and time. */
struct cg_spool_item {
	const char *json;
	size_t len;
	enum cg_severity severity;
	int64_t time_ms;
};

/* One event read back by cg_spool_peek; json is NUL-terminated and owned by the batch. */
struct cg_spool_event {
	uint64_t seq;
	enum cg_severity severity;
	int64_t time_ms;
	char *json;
	size_t len;
};

/* Events in seq order, all of one epoch. Zero-initialise; cg_spool_batch_clear frees. */
struct cg_spool_batch {
	char epoch[CG_SPOOL_EPOCH_LEN];
	struct cg_spool_event *v;
	size_t n;
	size_t bytes; /* sum of the events' JSON lengths */
};

struct cg_spool_stats {
	char epoch[CG_SPOOL_EPOCH_LEN];
	uint64_t pending;  /* events not yet acknowledged */
	uint64_t bytes;    /* their JSON bytes */
	uint64_t dropped;  /* events dropped by the bound since the spool was created */
	uint64_t next_seq; /* the seq the next append gets */
	uint64_t max_bytes;
};

/* Opens (creating when missing, with a fresh epoch) the spool at path. max_bytes 0 means
 * CG_SPOOL_DEFAULT_MAX; smaller than CG_SPOOL_MIN_MAX is raised to it. The bound is a property
 * of this handle, not stored. Errors: CG_EIO (not a spool, disk), CG_ENOMEM, CG_ECRYPTO (no
 * randomness). */
int cg_spool_open(const char *path, uint64_t max_bytes, struct cg_spool **out);
void cg_spool_close(struct cg_spool *s); /* NULL is fine */

/* Appends one event durably. epoch (may be NULL) and *seq (may be NULL) receive its number;
 * when the event itself was dropped by the bound *seq is 0 and CG_OK is returned. CG_ELIMIT
 * for an event longer than CG_MAX_SPOOL_EVENT, CG_EINVAL for an empty one. */
int cg_spool_append(struct cg_spool *s, const char *json, size_t len, enum cg_severity sev,
                    int64_t time_ms, char epoch[CG_SPOOL_EPOCH_LEN], uint64_t *seq);
/* Appends n events in one transaction: all or none. first_seq (may be NULL) receives the seq of
 * the first; the others follow in order (events dropped by the bound inside this call are
 * counted in the drop report). */
int cg_spool_append_many(struct cg_spool *s, const struct cg_spool_item *v, size_t n,
                         char epoch[CG_SPOOL_EPOCH_LEN], uint64_t *first_seq);

/* The oldest events in seq order: at most max_events and at most max_bytes of JSON (always at
 * least one event when any is pending). First turns pending drop counts into a spool.dropped
 * event. The batch is replaced (cleared first). */
int cg_spool_peek(struct cg_spool *s, size_t max_events, size_t max_bytes,
                  struct cg_spool_batch *b);
void cg_spool_batch_clear(struct cg_spool_batch *b);

/* The server acknowledged seqs <= upto_seq of epoch: deletes them. CG_ECHANGED (nothing
 * deleted) when epoch is not the current one (an acknowledgement that crossed a renumbering). */
int cg_spool_ack(struct cg_spool *s, const char *epoch, uint64_t upto_seq);

/* Starts a new epoch (out receives it, may be NULL) and renumbers every unsent event from 1 in
 * seq order, in one transaction. */
int cg_spool_new_epoch(struct cg_spool *s, char out[CG_SPOOL_EPOCH_LEN]);

int cg_spool_stats(struct cg_spool *s, struct cg_spool_stats *st);

/* A small key/value store beside the events for the agent's own state (e.g. "last_contact_ms").
 * Keys and values at most 256 bytes. cg_spool_meta_get gives CG_ENOENT when unset. */
int cg_spool_meta_set(struct cg_spool *s, const char *key, const char *value);
int cg_spool_meta_get(struct cg_spool *s, const char *key, char *out, size_t cap);

#endif

/* logstate.h - what `canhgac logs watch` keeps across restarts: DATA_DIR/logwatch.db (SQLite,
 * WAL, synchronous=FULL), holding each followed file's position (follow.h) and the rule
 * engine's saved state (counters, suppressions, first-seen values) as one opaque blob.
 *
 * cg_logstate_save writes every position and the blob in one transaction: after a crash the
 * positions and the counters always belong together, and a line is never counted twice. */
#ifndef CANHGAC_LOGS_LOGSTATE_H
#define CANHGAC_LOGS_LOGSTATE_H

#include <stddef.h>

#include "logs/follow.h"

struct cg_logstate;

int cg_logstate_open(const char *path, struct cg_logstate **out);
void cg_logstate_close(struct cg_logstate *s);

/* The saved position of `file` (its path as given), or CG_ENOENT. */
int cg_logstate_get_pos(struct cg_logstate *s, const char *file, struct cg_follow_pos *out);
/* The saved blob (cg_free it), or CG_ENOENT. At most CG_LOGSTATE_MAX_BLOB bytes. */
int cg_logstate_get_blob(struct cg_logstate *s, void **buf, size_t *len);
#define CG_LOGSTATE_MAX_BLOB (256u << 20)

/* Saves n positions and the blob (NULL: keep the saved one) atomically. */
int cg_logstate_save(struct cg_logstate *s, const char *const *files,
                     const struct cg_follow_pos *pos, size_t n, const void *blob, size_t blen);

#endif

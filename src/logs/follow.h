/* follow.h - follows a growing log file as `tail -F` does, for `canhgac logs watch`.
 *
 * A follower hands out complete lines (without the newline; CR before it removed) as they are
 * appended. Between polls it notices:
 *  - rotation: the path now names another file (rename + create, logrotate's default): the old
 *    file is read to its end first (its last line even without a newline), then the new one from
 *    its start;
 *  - truncation: the file is shorter than what was read (copytruncate): reading restarts at 0;
 *  - a file that is missing: nothing is read until it appears.
 * A line longer than CG_MAX_LOGLINE is cut there (the rest of it skipped, counted in `cut`).
 *
 * Its position (device, inode, offset, and a digest of the file's first bytes) can be saved and
 * given back after a restart: the follower then goes on where it stopped when the path still
 * names that file and its first bytes are unchanged, or, when the file was rotated meanwhile to
 * PATH.1 (same inode), reads the rest of PATH.1 before PATH. Otherwise it starts at the end of
 * the file when `from_start` is 0 (the default of `logs watch` on a first run) or at 0.
 *
 * The offset reported with each line is the offset just after it: saving it after the line is
 * handled means no line is lost or handled twice across a crash, as long as the caller saves
 * positions only for lines it has finished with.
 */
#ifndef CANHGAC_LOGS_FOLLOW_H
#define CANHGAC_LOGS_FOLLOW_H

#include <stddef.h>
#include <stdint.h>

struct cg_follow;

struct cg_follow_pos {
	uint64_t dev, ino;
	uint64_t offset;
	uint8_t head[32]; /* SHA-256 of the first min(size, CG_FOLLOW_HEAD) bytes at save time */
	uint32_t head_len;
	int valid;
};
#define CG_FOLLOW_HEAD 256

/* Called per complete line; a nonzero return stops the poll and is returned by it. */
typedef int (*cg_follow_line_fn)(void *arg, const char *line, size_t n);

/* Prepares to follow `path` (copied). `saved` may be NULL or invalid. Never fails on a missing
 * file. */
int cg_follow_new(struct cg_follow **out, const char *path, const struct cg_follow_pos *saved,
                  int from_start);
void cg_follow_free(struct cg_follow *f);

/* Reads what is new, calling fn per line. Returns 0, the callback's nonzero value, or a negative
 * code on a read error (the follower stays usable). *lines counts the lines handed out. */
int cg_follow_poll(struct cg_follow *f, cg_follow_line_fn fn, void *arg, uint64_t *lines);

/* The position after the last line handed out. */
void cg_follow_get_pos(const struct cg_follow *f, struct cg_follow_pos *out);

/* Lines cut at CG_MAX_LOGLINE, rotations and truncations seen so far. */
struct cg_follow_stats {
	uint64_t cut, rotations, truncations;
};
void cg_follow_get_stats(const struct cg_follow *f, struct cg_follow_stats *out);

#endif

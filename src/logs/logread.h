/* logread.h - reading log files line by line for programs (not core): plain or gzip (told by
 * the magic bytes, so rotated "auth.log.2.gz" and a gzip file without the suffix both work).
 *
 * Lines are returned without their LF and a CR before it. A line longer than CG_MAX_LOGLINE is
 * returned cut at that length with *cut set, and the rest of it is skipped: the reader never
 * loses the line boundaries. NUL bytes are data like any other (use the length). A last line
 * without a newline is returned too. A damaged gzip stream ends the file with CG_EPARSE after
 * the lines read so far. One reader is used by one thread at a time.
 */
#ifndef CANHGAC_LOGREAD_H
#define CANHGAC_LOGREAD_H

#include <stddef.h>
#include <stdint.h>

struct cg_logread;

/* Opens `path` for reading ("-" is standard input). Returns 0 and sets *out, or a CG_E code. */
int cg_logread_open(const char *path, struct cg_logread **out);
/* Reads from an open descriptor that the reader then owns (closes). */
int cg_logread_from_fd(int fd, struct cg_logread **out);
/* The next line: 1 and sets *line (valid until the next call), *n and *cut; 0 at the end of
 * the file; or a negative CG_E code (CG_EIO, CG_EPARSE for damaged gzip data). */
int cg_logread_next(struct cg_logread *lr, const char **line, size_t *n, int *cut);
/* 1 when the file is gzip-compressed. */
int cg_logread_is_gzip(const struct cg_logread *lr);
/* Bytes of (uncompressed) text consumed up to the end of the last line returned. */
uint64_t cg_logread_offset(const struct cg_logread *lr);
/* Closes the file and frees the reader; NULL is fine. */
void cg_logread_close(struct cg_logread *lr);

#endif

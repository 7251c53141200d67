/* logread.c - log files line by line (logread.h): plain or gzip through zlib, bounded lines,
 * CRLF stripped. Reads through the platform's file helpers, so it builds for Windows too. */
#include <string.h>
#include <zlib.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/fileio.h"
#include "canhgac/logrec.h"
#include "logs/logread.h"
#include "banned.h"

#define IN_SIZE (64u << 10)
#define BUF_SIZE (2u * CG_MAX_LOGLINE + (64u << 10)) /* holds a whole capped line and more */

struct cg_logread {
	int fd;
	int gz;    /* 1: gzip stream */
	int eof;   /* no more text will come */
	int err;   /* a read or inflate error to report once the buffer is drained */
	int skip;  /* dropping the rest of a line that was cut */
	int zinit; /* z was initialised */
	int zmid;  /* inside a gzip member: its end must come before the file's */
	z_stream z;
	unsigned char *in; /* compressed input (gzip only) */
	char *buf;         /* text; [start, end) not yet returned */
	size_t start, end;
	uint64_t offset;
};

/* Reads raw bytes into the input buffer of a gzip stream. */
static int fill_in(struct cg_logread *lr)
{
	int64_t got = cg_file_read(lr->fd, lr->in, IN_SIZE);
	if (got < 0)
		return (int)got;
	lr->z.next_in = lr->in;
	lr->z.avail_in = (uInt)got;
	return got == 0 ? 1 : 0;
}

/* Inflates into buf[end..cap); handles several gzip members one after another. Text inflated
 * before an error is kept. */
static int fill_gz(struct cg_logread *lr, size_t cap)
{
	int err = 0;
	lr->z.next_out = (Bytef *)lr->buf + lr->end;
	lr->z.avail_out = (uInt)(cap - lr->end);
	while (lr->z.avail_out > 0 && !err) {
		int rc;
		if (lr->z.avail_in == 0 && (rc = fill_in(lr)) != 0) {
			lr->eof = 1;
			if (rc < 0)
				err = rc;
			else if (lr->zmid)
				err = CG_EPARSE; /* a truncated file */
			break;
		}
		lr->zmid = 1;
		rc = inflate(&lr->z, Z_NO_FLUSH);
		if (rc == Z_STREAM_END) {
			lr->zmid = 0;
			if (inflateReset(&lr->z) != Z_OK)
				err = CG_EPARSE;
			continue; /* another member may follow (cat a.gz b.gz) */
		}
		if (rc != Z_OK && rc != Z_BUF_ERROR)
			err = CG_EPARSE;
		else if ((size_t)((char *)lr->z.next_out - lr->buf) > lr->end)
			break; /* some text came: let the caller look at it */
	}
	lr->end = (size_t)((char *)lr->z.next_out - lr->buf);
	return err;
}

/* Moves the unread text to the front of buf and reads more after it. */
static int fill(struct cg_logread *lr)
{
	int rc = 0;
	if (lr->start > 0) {
		memmove(lr->buf, lr->buf + lr->start, lr->end - lr->start);
		lr->end -= lr->start;
		lr->start = 0;
	}
	if (lr->eof || lr->end == BUF_SIZE)
		return 0;
	if (lr->gz)
		rc = fill_gz(lr, BUF_SIZE);
	else {
		int64_t got = cg_file_read(lr->fd, lr->buf + lr->end, BUF_SIZE - lr->end);
		if (got < 0)
			rc = (int)got;
		else if (got == 0)
			lr->eof = 1;
		else
			lr->end += (size_t)got;
	}
	if (rc) {
		lr->err = rc;
		lr->eof = 1;
	}
	return 0;
}

/* Starts a gzip stream when the first bytes are its magic. */
static int sniff(struct cg_logread *lr)
{
	int64_t got;
	do {
		got = cg_file_read(lr->fd, lr->buf + lr->end, 2 - lr->end);
		if (got < 0)
			return (int)got;
		lr->end += (size_t)got;
	} while (got > 0 && lr->end < 2);
	if (lr->end < 2 || (unsigned char)lr->buf[0] != 0x1f || (unsigned char)lr->buf[1] != 0x8b)
		return 0;
	lr->gz = 1;
	lr->in = cg_malloc(IN_SIZE);
	if (!lr->in)
		return CG_ENOMEM;
	memcpy(lr->in, lr->buf, 2);
	memset(&lr->z, 0, sizeof(lr->z));
	lr->z.next_in = lr->in;
	lr->z.avail_in = 2;
	if (inflateInit2(&lr->z, 15 + 16) != Z_OK)
		return CG_ENOMEM;
	lr->zinit = 1;
	lr->end = 0;
	return 0;
}

int cg_logread_from_fd(int fd, struct cg_logread **out)
{
	struct cg_logread *lr;
	int rc;
	*out = NULL;
	lr = cg_calloc(1, sizeof(*lr));
	if (!lr || !(lr->buf = cg_malloc(BUF_SIZE))) {
		cg_free(lr);
		cg_file_close(fd);
		return CG_ENOMEM;
	}
	lr->fd = fd;
	if ((rc = sniff(lr)) != 0) {
		cg_logread_close(lr);
		return rc;
	}
	*out = lr;
	return 0;
}

int cg_logread_open(const char *path, struct cg_logread **out)
{
	int fd;
	*out = NULL;
	if (!path)
		return CG_EINVAL;
	fd = strcmp(path, "-") == 0 ? 0 : cg_file_open_read(path);
	if (fd < 0)
		return fd;
	return cg_logread_from_fd(fd, out);
}

/* Returns the line [start, start+k) and consumes it with its terminator of t bytes. */
static void take(struct cg_logread *lr, const char **line, size_t *n, size_t k, size_t t)
{
	*line = lr->buf + lr->start;
	*n = k && lr->buf[lr->start + k - 1] == '\r' ? k - 1 : k;
	lr->start += k + t;
	lr->offset += k + t;
}

int cg_logread_next(struct cg_logread *lr, const char **line, size_t *n, int *cut)
{
	*cut = 0;
	for (;;) {
		char *s = lr->buf + lr->start;
		size_t avail = lr->end - lr->start;
		char *nl = avail ? memchr(s, '\n', avail) : NULL;
		if (lr->skip) { /* the tail of a cut line */
			size_t k = nl ? (size_t)(nl - s) + 1 : avail;
			lr->start += k, lr->offset += k;
			if (nl)
				lr->skip = 0;
			else if (lr->eof)
				return lr->err ? lr->err : 0;
			else
				fill(lr);
			continue;
		}
		if (nl && (size_t)(nl - s) <= CG_MAX_LOGLINE) {
			take(lr, line, n, (size_t)(nl - s), 1);
			return 1;
		}
		if (avail >= CG_MAX_LOGLINE) {
			*cut = 1;
			lr->skip = !(nl && (size_t)(nl - s) == CG_MAX_LOGLINE);
			take(lr, line, n, CG_MAX_LOGLINE, lr->skip ? 0 : 1);
			return 1;
		}
		if (lr->eof) {
			if (avail) {
				take(lr, line, n, avail, 0);
				return 1;
			}
			return lr->err ? lr->err : 0;
		}
		fill(lr);
	}
}

int cg_logread_is_gzip(const struct cg_logread *lr)
{
	return lr && lr->gz;
}

uint64_t cg_logread_offset(const struct cg_logread *lr)
{
	return lr ? lr->offset : 0;
}

void cg_logread_close(struct cg_logread *lr)
{
	if (!lr)
		return;
	if (lr->zinit)
		inflateEnd(&lr->z);
	if (lr->fd > 0)
		cg_file_close(lr->fd);
	cg_free(lr->in);
	cg_free(lr->buf);
	cg_free(lr);
}

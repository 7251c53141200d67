/* logrec.c - the decoded log record (logrec.h): field names and setters. */
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/logrec.h"
#include "banned.h"

_Static_assert(CG_LF_COUNT == 24, "names[] follows enum cg_logfield");
static const char *const names[CG_LF_COUNT] = {
    "host",  "program", "pid",     "msg",       "srcip",   "srcport", "user",   "srcuser",
    "group", "action",  "service", "method",    "url",     "status",  "bytes",  "referer",
    "ua",    "level",   "eventid", "logontype", "command", "tty",     "threat", "path"};

const char *cg_logfield_name(enum cg_logfield f)
{
	return (unsigned)f < CG_LF_COUNT ? names[f] : NULL;
}

int cg_logfield_parse(const char *name, size_t n, enum cg_logfield *out)
{
	for (int i = 0; i < CG_LF_COUNT; i++) {
		if (strlen(names[i]) == n && memcmp(names[i], name, n) == 0) {
			*out = (enum cg_logfield)i;
			return 0;
		}
	}
	return CG_ENOENT;
}

void cg_logrec_clear(struct cg_logrec *r)
{
	memset(r->f, 0, sizeof r->f);
	r->time = 0;
	r->time_ms = 0;
	r->has_time = 0;
	r->repeat = 1;
	r->format = NULL;
	r->decoder = NULL;
	r->scratch_used = 0;
}

void cg_logrec_set(struct cg_logrec *r, enum cg_logfield f, const char *p, size_t n)
{
	if ((unsigned)f >= CG_LF_COUNT)
		return;
	r->f[f].ptr = p;
	r->f[f].len = n;
}

int cg_logrec_setcopy(struct cg_logrec *r, enum cg_logfield f, const char *p, size_t n)
{
	if ((unsigned)f >= CG_LF_COUNT)
		return CG_EINVAL;
	if (n > sizeof r->scratch - r->scratch_used) {
		r->f[f].ptr = NULL;
		r->f[f].len = 0;
		return CG_ELIMIT;
	}
	char *dst = r->scratch + r->scratch_used;
	if (n)
		memcpy(dst, p, n);
	r->scratch_used += n;
	r->f[f].ptr = dst;
	r->f[f].len = n;
	return 0;
}

int cg_logrec_is(const struct cg_logrec *r, enum cg_logfield f, const char *s)
{
	if ((unsigned)f >= CG_LF_COUNT || !r->f[f].ptr)
		return 0;
	size_t n = strlen(s);
	return r->f[f].len == n && memcmp(r->f[f].ptr, s, n) == 0;
}

/* f2b.h - fail2ban filter files (filter.d/NAME.conf) loaded unchanged and run on log lines
 * (engine, no I/O).
 *
 * Loading follows fail2ban 1.0.2's configuration reader: [INCLUDES] before/after (relative to the
 * including file's folder), NAME.local read after NAME.conf, [DEFAULT], [Definition] and [Init]
 * sections, multi-line values, %(name)s and %(section/name)s interpolation, "known/" values,
 * fail2ban's recursive <tag> substitution (sshd's <mdre-<mode>>), and caller options that
 * override [Init] (mode=aggressive, maxlines=...). Files come through a loader callback, so the
 * engine does no I/O.
 *
 * Matching follows fail2ban's Filter.processLine / findFailure with fail2ban-regex's settings
 * (first failregex wins, pending multi-line failures ignored): the date is found with the
 * filter's datepattern (or fail2ban's default templates) and cut out of the line; ignoreregex,
 * prefregex (with <F-CONTENT>), failregex in order; maxlines buffering; the <F-MLFID>,
 * <F-NOFAIL>, <F-MLFFORGET> and <F-MLFGAINED> connection logic that sshd uses. Host names
 * (<HOST>'s dns branch, <DNS>) match but give no address, as fail2ban with usedns=no.
 *
 * Expressions are PCRE2 with JIT, in byte mode (not UTF), with match, depth and heap limits.
 * Differences from fail2ban are listed in docs/fail2ban.md.
 *
 * A filter is read-only after loading and may be shared by threads; each thread (each log
 * stream) uses its own state.
 */
#ifndef CANHGAC_F2B_H
#define CANHGAC_F2B_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/error.h"

struct cg_f2b_filter;
struct cg_f2b_state;

/* Reads one file for the loader. Returns 0 and sets *data (allocated with cg_malloc, the loader
 * takes ownership and frees it with cg_free) and *len, or CG_ENOENT when the file does not exist
 * (a missing .local or include is skipped, as fail2ban does), or another CG_E code. */
typedef int (*cg_f2b_read_fn)(void *ctx, const char *path, char **data, size_t *len);

/* One caller option: overrides the [Init] value of the same name ("mode", "maxlines", ...). */
struct cg_f2b_opt {
	const char *name;
	const char *value;
};

/* Loads the filter at `path` (a .conf; path.local, if any, is read after it). Options may be
 * NULL when nopts is 0. Returns 0 and sets *out (free with cg_f2b_filter_free), or CG_ENOENT,
 * CG_EPARSE (details in diags: unreadable option, bad regular expression, no failure-id group,
 * ...), CG_ELIMIT, CG_EUNSUPP or CG_ENOMEM. */
int cg_f2b_load(const char *path, cg_f2b_read_fn read, void *ctx, const struct cg_f2b_opt *opts,
                size_t nopts, struct cg_f2b_filter **out, struct cg_diags *diags);
void cg_f2b_filter_free(struct cg_f2b_filter *f);

/* What the filter holds after loading (for tools and tests). which: 0 failregex, 1 ignoreregex.
 * cg_f2b_regex returns the expression as written after interpolation, or NULL past the end. */
size_t cg_f2b_count(const struct cg_f2b_filter *f, int which);
const char *cg_f2b_regex(const struct cg_f2b_filter *f, int which, size_t i);
/* The value of an interpolated option of [Definition]: "prefregex", "datepattern", "maxlines",
 * "journalmatch", ... or NULL. */
const char *cg_f2b_option(const struct cg_f2b_filter *f, const char *name);
unsigned cg_f2b_maxlines(const struct cg_f2b_filter *f);

/* Per-stream state: the multi-line buffer, the connection (mlfid) cache, the last date
 * template, match data. Returns 0 or CG_ENOMEM. Free with cg_f2b_state_free. */
int cg_f2b_state_new(const struct cg_f2b_filter *f, struct cg_f2b_state **out);
void cg_f2b_state_free(struct cg_f2b_state *s);

enum cg_f2b_status {
	CG_F2B_MISSED = 0,  /* no failregex matched */
	CG_F2B_FAILURE = 1, /* a failure for `addr` */
	CG_F2B_IGNORED = 2  /* ignoreregex matched, or a NOFAIL match (not a failure) */
};

#define CG_F2B_ADDRLEN 128
#define CG_F2B_USERLEN 256

struct cg_f2b_result {
	enum cg_f2b_status status;
	int failregex;             /* index of the failregex that matched, -1 when none */
	int ignoreregex;           /* index of the ignoreregex that matched, -1 when none */
	int has_time;              /* 1 when the line's date was read */
	int64_t time;              /* UTC seconds, valid when has_time */
	char addr[CG_F2B_ADDRLEN]; /* FAILURE: canonical address ("1.2.3.4", "2001:db8::1",
	                              "10.0.0.0/24"), or the failure id as written */
	char user[CG_F2B_USERLEN]; /* <F-USER> (or <F-ALT_USER>) when captured, else "" */
};

/* Runs one line (without its newline) through the filter. now: UTC seconds, used for dates
 * without a year (the most recent such date, as fail2ban); tz: seconds east of UTC for dates
 * without a zone. Returns 0 and fills *res, or CG_ELIMIT when a PCRE2 limit stopped an
 * expression (the line then counts as missed and *res is still filled), or CG_ENOMEM. */
int cg_f2b_match(const struct cg_f2b_filter *f, struct cg_f2b_state *s, const char *line, size_t n,
                 int64_t now, int64_t tz, struct cg_f2b_result *res);

#endif

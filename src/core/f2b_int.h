/* f2b_int.h - internals shared by the fail2ban filter loader and matcher (f2b_*.c). */
#ifndef CANHGAC_F2B_INT_H
#define CANHGAC_F2B_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>

#include "canhgac/f2b.h"

/* A growable string, capped at CG_MAX_F2B_VALUE; always NUL-terminated once non-empty. */
struct f2b_sb {
	char *p;
	size_t n, cap;
};
int f2b_sb_add(struct f2b_sb *b, const char *s, size_t n);
void f2b_sb_free(struct f2b_sb *b);

/* The merged configuration: every (section, key, value) read, in order; "KNOWN/sec" sections
 * hold values that a later file overrode (fail2ban's known/ prefix). Keys are lower case. */
struct f2b_kv {
	char *sec, *key, *val;
};
struct f2b_conf {
	struct f2b_kv *v;
	size_t n, cap;
};
int f2b_conf_read(struct f2b_conf *c, const char *path, cg_f2b_read_fn rd, void *ctx,
                  struct cg_diags *d);
void f2b_conf_free(struct f2b_conf *c);
/* The raw value of key in sec (no fallback), or NULL. */
const char *f2b_conf_own(const struct f2b_conf *c, const char *sec, const char *key);
/* Interpolated value of key in sec (caller options, then sec, then DEFAULT), as fail2ban's
 * get_ex("sec", key): "other/key" names another section. *out is cg_malloc'ed. Returns 0,
 * CG_ENOENT (no such option), CG_EPARSE or CG_ELIMIT. */
int f2b_conf_get(const struct f2b_conf *c, const char *sec, const char *key,
                 const struct cg_f2b_opt *opts, size_t nopts, char **out);

/* One compiled expression with the group numbers the matcher reads (-1 when absent). */
enum f2b_grp {
	G_IP4,
	G_IP6,
	G_DNS,
	G_FID,
	G_CIDR,
	G_USER,
	G_ALTUSER,
	G_MLFID,
	G_NOFAIL,
	G_MLFFORGET,
	G_MLFGAINED,
	G_CONTENT,
	G_COUNT
};
struct f2b_rx {
	char *src; /* as written (after interpolation) */
	pcre2_code *code;
	int grp[G_COUNT];
	int anchored;      /* every match starts at the subject's start */
	uint8_t first[32]; /* bitmap of possible first bytes of a match; all ones when unknown */
	int has_first;
};
/* Translates fail2ban tags (<HOST>, <F-USER>...</F-USER>, <SKIPLINES>, ...) and Python-only
 * syntax into PCRE2 and compiles with JIT. Returns 0, CG_EPARSE (message in d) or CG_ENOMEM. */
int f2b_rx_compile(struct f2b_rx *r, const char *src, int multiline, struct cg_diags *d,
                   const char *source);
void f2b_rx_free(struct f2b_rx *r);

/* Date templates (datepattern or fail2ban's defaults). */
enum f2b_dkind { DK_PATTERN, DK_EPOCH, DK_LEPOCH, DK_TAI64N, DK_NONE };
struct f2b_dtpl {
	enum f2b_dkind kind;
	int line_begin;
	pcre2_code *code;
	int grp_epoch; /* group of the epoch value for DK_EPOCH/LEPOCH */
	int16_t g[16]; /* group numbers of the fields (F2B_DFIELDS order), -1 when absent */
};
/* The date fields a template may capture, in the order of f2b_dtpl.g. */
#define F2B_DFIELDS "y", "Y", "m", "b", "B", "d", "H", "I", "p", "M", "S", "j", "z", "Z"
struct f2b_dates {
	struct f2b_dtpl *t;
	size_t n, cap;
};
/* Builds the templates of a datepattern value (NULL: fail2ban's defaults). */
int f2b_dates_build(struct f2b_dates *ds, const char *pattern, struct cg_diags *d,
                    const char *source);
void f2b_dates_free(struct f2b_dates *ds);
/* Finds the date in line[0..n): returns the template index and sets the date span [*b, *e) and
 * *t (UTC seconds, *has_t 0 when the span is empty or unreadable), or -1 when none matched.
 * *last is the caller's last-template hint (updated). */
int f2b_dates_find(const struct f2b_dates *ds, pcre2_match_data *md, pcre2_match_context *mc,
                   const char *line, size_t n, int64_t now, int64_t tz, size_t *last, size_t *b,
                   size_t *e, int64_t *t, int *has_t);

struct cg_f2b_filter {
	struct f2b_conf conf;
	char *opt_names[6], *opt_vals[6];
	struct f2b_rx *fail, *ign;
	size_t nfail, nign;
	struct f2b_rx pref;
	int has_pref;
	unsigned maxlines;
	struct f2b_dates dates;
	uint32_t ovec_max;
};

#endif

/* logrules_int.h - what the files of the rule engine share (logrules.c: compile and evaluate;
 * logrules_parse.c: the rule file reader; logrules_tab.c: key tables and saved state). */
#ifndef CANHGAC_LOGRULES_INT_H
#define CANHGAC_LOGRULES_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "canhgac/ipset.h"
#include "canhgac/logrules.h"

enum cond_kind { C_EQ, C_REGEX, C_EXCEPT };

/* One match/regex/except line. */
struct cond {
	enum cond_kind kind;
	int negate;
	enum cg_logfield field;
	unsigned long line;
	char **vals; /* C_EQ: accepted values; C_EXCEPT: literal entries and "@list" names */
	size_t *lens;
	size_t nvals;
	char *pattern; /* C_REGEX */
	pcre2_code *re;
	/* C_EXCEPT, after compile: addresses and prefixes, and other values (hashed) */
	struct cg_ipset *ips;
	struct ktab *strs;
};

/* A named list: [list NAME]. */
struct rlist {
	char *name;
	char *source;
	unsigned long line;
	char **items;
	size_t n, cap;
};

struct rule {
	struct cg_rule_info info;
	char *id, *desc_vi, *desc_en, *source, *decoders_s, *formats_s, *keys_s, *after_id;
	char **decoders, **formats;
	size_t ndec, nfmt;
	struct cond *conds;
	size_t nconds;
	uint32_t count;
	int64_t window;   /* 0: not counting; CG_WINDOW_ALL */
	int64_t suppress; /* seconds; CG_WINDOW_ALL */
	int suppress_set;
	enum cg_logfield keys[CG_MAX_RULE_KEYS];
	size_t nkeys;
	int keys_set;
	size_t after; /* index of the referenced rule, when after_id */
	int has_fs;
	enum cg_logfield fs_field;
	int tracked; /* has a key table in the state */
	size_t ring; /* times kept per key (count when counting within a window) */
};

/* Rules whose decoder (or, when they name no decoder, format) is `name`. */
struct bucket {
	char *name;
	size_t *idx;
	size_t n;
};

struct cg_ruleset {
	struct rule **rules;
	size_t n, cap;
	struct rlist **lists;
	size_t nlists, listcap;
	int compiled;
	int no_jit;
	pcre2_match_context *mctx;
	struct bucket *dec, *fmt;
	size_t ndec, nfmt;
	size_t *any; /* rules that name neither, nor an action (below) */
	size_t nany;
	struct bucket *act; /* the others that name neither, by the values of their `match
	                       action` line */
	size_t nact;
};

/* Key tables: open addressing over entries allocated once per key. */
struct kentry {
	int64_t first, last, supp;
	uint64_t total;
	uint32_t n;               /* times held in t[] */
	uint32_t klen;            /* key bytes, after the ring */
	uint32_t kcap;            /* room for key bytes: KEY_SMALL, or klen for a longer key */
	struct kentry *next_free; /* on the table's free list */
	int64_t t[]; /* ascending; ring capacity given at creation; then the key bytes */
};

struct kslot {
	uint64_t h;
	struct kentry *e;
};

struct ktab {
	struct kslot *s;
	size_t mask; /* size - 1; size 0 when never used */
	size_t n;
	size_t ring;      /* ring capacity of every entry */
	size_t max;       /* cap on n */
	int64_t swept_at; /* log time of the last sweep of a full table */
	uint64_t seed;
	struct kentry *free; /* evicted entries of the small size, kept for reuse */
	size_t nfree;
};

struct cg_rulestate {
	const struct cg_ruleset *rs;
	struct ktab *tabs; /* one per rule (unused when the rule is not tracked) */
	struct ktab *seen; /* one per rule (first-seen values) */
	pcre2_match_data *md;
	int64_t clock; /* the latest time seen */
	struct cg_rulestats stats;
	const char *cache_dec; /* the last decoder pointer and its bucket */
	const struct bucket *cache_b;
	const char *cache_fmt; /* the same for the format */
	const struct bucket *cache_fb;
};

/* Sets up an empty table whose entries keep `ring` times, at most max entries. */
void cg_lr_tab_init(struct ktab *t, size_t ring, size_t max);
/* The hash of a key in table t. Each table has its own seed, taken from addresses (which
 * address-space randomisation makes hard to guess from outside): keys from log lines (user
 * names, URLs) cannot easily be chosen to collide. Not a cryptographic guarantee. */
uint64_t cg_lr_hash(const struct ktab *t, const void *p, size_t n);
static inline const char *kentry_key(const struct ktab *t, const struct kentry *e)
{
	return (const char *)(e->t + t->ring);
}
/* The entry of key k (hash h), or NULL. */
struct kentry *cg_lr_find(const struct ktab *t, uint64_t h, const char *k, size_t kn);
/* The entry of key k, created (all zero but the key) when absent (*created = 1). NULL with
 * *err CG_ELIMIT when the table is full, or CG_ENOMEM. Before the table grows, entries expired
 * at `now` for that window (cg_lr_expired) are freed and counted in *evicted. */
struct kentry *cg_lr_get(struct ktab *t, uint64_t h, const char *k, size_t kn, int *created,
                         int *err, int64_t window, int64_t now, uint64_t *evicted);
/* 1 when an entry is of no further use at `now` (its window passed and it is not suppressing). */
int cg_lr_expired(const struct kentry *e, int64_t window, int64_t now);
void cg_lr_tab_free(struct ktab *t);

void cg_lr_rule_free(struct rule *r);
void cg_lr_list_free(struct rlist *l);

#endif

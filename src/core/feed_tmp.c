/* feed_tmp.c - integrator: remove, use feed.c. A temporary copy of cg_feed_add_entry,
 * cg_feed_add_advisory and cg_feed_free so that the feedparse branch builds and tests before
 * the `store` branch (feed.c) lands. */
#include <stdint.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "feed_int.h"
#include "banned.h"

/* integrator: remove, use feed.c */
int cg_feed_add_entry(struct cg_feed *f, const struct cg_feed_entry *e)
{
	struct cg_feed_entry *n;
	size_t cnt = f->nentries;

	if (cnt >= CG_MAX_FEED_ENTRIES)
		return CG_ELIMIT;
	if (cnt == 0 || (cnt >= 16 && (cnt & (cnt - 1)) == 0)) {
		n = cg_realloc(f->entries, (cnt < 16 ? 16 : cnt * 2) * sizeof(*n));
		if (!n)
			return CG_ENOMEM;
		f->entries = n;
	}
	n = &f->entries[f->nentries];
	*n = *e;
	n->value = cg_strdup(e->value ? e->value : "");
	n->family = e->family ? cg_strdup(e->family) : NULL;
	n->extra = e->extra ? cg_strdup(e->extra) : NULL;
	if (!n->value || (e->family && !n->family) || (e->extra && !n->extra)) {
		cg_free(n->value);
		cg_free(n->family);
		cg_free(n->extra);
		return CG_ENOMEM;
	}
	f->nentries++;
	return CG_OK;
}

/* integrator: remove, use feed.c */
int cg_feed_add_advisory(struct cg_feed *f, struct cg_advisory *a)
{
	struct cg_advisory *n;
	size_t cnt = f->nadvisories;

	if (cnt >= CG_MAX_FEED_ADVISORIES)
		return CG_ELIMIT;
	if (cnt == 0 || (cnt >= 16 && (cnt & (cnt - 1)) == 0)) {
		n = cg_realloc(f->advisories, (cnt < 16 ? 16 : cnt * 2) * sizeof(*n));
		if (!n)
			return CG_ENOMEM;
		f->advisories = n;
	}
	f->advisories[cnt] = *a;
	f->nadvisories++;
	return CG_OK;
}

static void adv_clear(struct cg_advisory *a)
{
	cg_free(a->id);
	cg_free(a->aliases);
	cg_free(a->ecosystem);
	cg_free(a->package);
	cg_free(a->vendor);
	cg_free(a->product);
	for (size_t i = 0; i < a->nranges; i++) {
		cg_free(a->ranges[i].introduced);
		cg_free(a->ranges[i].fixed);
		cg_free(a->ranges[i].last_affected);
	}
	cg_free(a->ranges);
	for (size_t i = 0; i < a->nversions; i++)
		cg_free(a->versions[i]);
	cg_free(a->versions);
	cg_free(a->affected_text);
	cg_free(a->fixed_text);
	cg_free(a->title);
	cg_free(a->severity);
	cg_free(a->doc_no);
	cg_free(a->action);
}

/* integrator: remove, use feed.c */
void cg_feed_free(struct cg_feed *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nentries; i++) {
		cg_free(f->entries[i].value);
		cg_free(f->entries[i].family);
		cg_free(f->entries[i].extra);
	}
	cg_free(f->entries);
	for (size_t i = 0; i < f->nadvisories; i++)
		adv_clear(&f->advisories[i]);
	cg_free(f->advisories);
	cg_free(f->header_text);
	cg_free(f);
}

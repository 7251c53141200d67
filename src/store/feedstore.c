/* feedstore.c - the public feed store functions: argument checks, then the back end's table. */
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/event.h"
#include "canhgac/feedstore.h"
#include "canhgac/sys.h"
#include "feedstore_int.h"
#include "banned.h"

void cg_feedstore_close(struct cg_feedstore *s)
{
	if (s)
		s->ops->close(s);
}

static int valid_name(const char *s, size_t cap)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n >= cap || !cg_utf8_valid((const uint8_t *)s, n))
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

static int valid_sha256(const char *h)
{
	if (!h || strlen(h) != 64)
		return 0;
	for (size_t i = 0; i < 64; i++)
		if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'f')))
			return 0;
	return 1;
}

int cg_feedstore_import(struct cg_feedstore *s, const struct cg_feed *f, const char *list,
                        const char *source, const char *sha256, int64_t received,
                        struct cg_feed_record *rec)
{
	struct cg_feed_record tmp;
	int64_t now;

	if (!s || !f || !valid_name(list, sizeof(rec->list)) || !valid_sha256(sha256) ||
	    f->kind < CG_FEED_BOTNET || f->kind > CG_FEED_ADVISORY)
		return CG_EINVAL;
	if (!source)
		source = "";
	if (strlen(source) >= sizeof(tmp.source) ||
	    !cg_utf8_valid((const uint8_t *)source, strlen(source)))
		return CG_EINVAL;
	if ((f->nentries && !f->entries) || (f->nadvisories && !f->advisories))
		return CG_EINVAL;
	now = cg_now_ms() / 1000;
	if (received == CG_TIME_NONE)
		received = now;
	return s->ops->import(s, f, list, source, sha256, received, now, rec ? rec : &tmp);
}

int cg_feedstore_list(struct cg_feedstore *s, int all, struct cg_feed_record **out, size_t *n)
{
	if (!s || !out || !n)
		return CG_EINVAL;
	*out = NULL;
	*n = 0;
	return s->ops->list(s, all, out, n);
}

/* An id is all digits; anything else names a list. */
static int parse_id(const char *ref, int64_t *id)
{
	int64_t v = 0;
	if (!*ref || strlen(ref) > 18)
		return -1;
	for (const char *p = ref; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
	}
	*id = v;
	return 0;
}

int cg_feedstore_find(struct cg_feedstore *s, const char *ref, struct cg_feed_record *rec)
{
	int64_t id;
	if (!s || !ref || !rec)
		return CG_EINVAL;
	if (parse_id(ref, &id) == 0)
		return id > 0 ? s->ops->find_id(s, id, rec) : CG_ENOENT;
	if (!valid_name(ref, sizeof(rec->list)))
		return CG_ENOENT;
	return s->ops->find_list(s, ref, rec);
}

int cg_feedstore_remove(struct cg_feedstore *s, int64_t id)
{
	if (!s)
		return CG_EINVAL;
	if (id <= 0)
		return CG_ENOENT;
	return s->ops->remove(s, id);
}

int cg_feedstore_entries(struct cg_feedstore *s, int64_t id, cg_feed_entry_cb cb, void *arg)
{
	struct cg_feed_record rec;
	int rc;
	if (!s || !cb)
		return CG_EINVAL;
	if (id <= 0)
		return CG_ENOENT;
	rc = s->ops->find_id(s, id, &rec);
	return rc ? rc : s->ops->entries(s, &rec, cb, arg);
}

int cg_feedstore_advisories(struct cg_feedstore *s, int64_t id, cg_advisory_cb cb, void *arg)
{
	struct cg_feed_record rec;
	int rc;
	if (!s || !cb)
		return CG_EINVAL;
	if (id <= 0)
		return CG_ENOENT;
	rc = s->ops->find_id(s, id, &rec);
	return rc ? rc : s->ops->advisories(s, &rec, cb, arg);
}

/* The current feeds to walk: every current one of `kind` (0 = any), or of one list. The list
 * is read whole first, so callbacks may use the store. */
static int current_feeds(struct cg_feedstore *s, enum cg_feed_kind kind, const char *list,
                         struct cg_feed_record **out, size_t *n)
{
	struct cg_feed_record *v = NULL;
	size_t nv = 0, k = 0;
	int rc = s->ops->list(s, 0, &v, &nv);
	if (rc)
		return rc;
	for (size_t i = 0; i < nv; i++) {
		if ((kind && v[i].kind != kind) || (list && strcmp(v[i].list, list) != 0))
			continue;
		v[k++] = v[i];
	}
	/* oldest first, so that matching sees lists in the order they arrived */
	for (size_t i = 0; i < k / 2; i++) {
		struct cg_feed_record t = v[i];
		v[i] = v[k - 1 - i];
		v[k - 1 - i] = t;
	}
	*out = v;
	*n = k;
	return CG_OK;
}

int cg_feedstore_current_entries(struct cg_feedstore *s, enum cg_feed_kind kind, const char *list,
                                 cg_feed_entry_cb cb, void *arg)
{
	struct cg_feed_record *v = NULL;
	size_t n = 0;
	int rc;
	if (!s || !cb)
		return CG_EINVAL;
	rc = current_feeds(s, kind, list, &v, &n);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = s->ops->entries(s, &v[i], cb, arg);
	cg_free(v);
	return rc;
}

int cg_feedstore_current_advisories(struct cg_feedstore *s, cg_advisory_cb cb, void *arg)
{
	struct cg_feed_record *v = NULL;
	size_t n = 0;
	int rc;
	if (!s || !cb)
		return CG_EINVAL;
	rc = current_feeds(s, CG_FEED_ADVISORY, NULL, &v, &n);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = s->ops->advisories(s, &v[i], cb, arg);
	cg_free(v);
	return rc;
}

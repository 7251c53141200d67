/* webpage.c - what a baseline keeps of a page (title, text shingle sketch, domains) and the
 * similarity of two pages (webcheck.h). */
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "webcheck_int.h"
#include "banned.h"

#define SHINGLE 4

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Bottom-k sketch of the shingle hashes of the words. */
static int sketch(const struct cg_words *w, struct cg_web_page *p)
{
	size_t ns = w->n >= SHINGLE ? w->n - SHINGLE + 1 : (w->n ? 1 : 0), k = 0;
	uint64_t *h = ns ? cg_malloc(ns * sizeof(*h)) : NULL;

	if (ns && !h)
		return CG_ENOMEM;
	p->text_hash = CG_FNV_INIT;
	for (size_t i = 0; i < w->n; i++)
		p->text_hash = cg_fnv1a(p->text_hash, w->fold.p + w->v[i].fo,
		                        strlen(w->fold.p + w->v[i].fo) + 1);
	for (size_t i = 0; i < ns; i++) {
		uint64_t x = CG_FNV_INIT;
		for (size_t j = i; j < i + SHINGLE && j < w->n; j++)
			x = cg_fnv1a(x, w->fold.p + w->v[j].fo, strlen(w->fold.p + w->v[j].fo) + 1);
		h[i] = x;
	}
	if (ns)
		qsort(h, ns, sizeof(*h), cmp_u64);
	for (size_t i = 0; i < ns && k < CG_WEB_SKETCH; i++)
		if (!k || h[i] != p->sketch[k - 1])
			p->sketch[k++] = h[i];
	p->nsketch = k;
	p->words = w->n;
	cg_free(h);
	return CG_OK;
}

int cg_web_page_has_domain(const struct cg_web_page *p, const char *domain)
{
	const char *key = domain;
	return p->ndomains &&
	       bsearch(&key, p->domains, p->ndomains, sizeof(*p->domains), cmp_str) != NULL;
}

int cg_web_page_add_domain(struct cg_web_page *p, const char *domain)
{
	size_t i = 0;
	char **v, *s;
	if (cg_web_page_has_domain(p, domain))
		return CG_OK;
	if (p->ndomains >= CG_MAX_WEB_DOMAINS)
		return CG_ELIMIT;
	v = cg_realloc(p->domains, (p->ndomains + 1) * sizeof(*v));
	if (!v)
		return CG_ENOMEM;
	p->domains = v;
	if (!(s = cg_strdup(domain)))
		return CG_ENOMEM;
	while (i < p->ndomains && strcmp(v[i], domain) < 0)
		i++;
	memmove(v + i + 1, v + i, (p->ndomains - i) * sizeof(*v));
	v[i] = s;
	p->ndomains++;
	return CG_OK;
}

int cg_web_page_summary(const struct cg_html_doc *doc, struct cg_web_page *out)
{
	struct cg_words w;
	int rc;

	memset(out, 0, sizeof(*out));
	out->title = cg_strdup(doc->title ? doc->title : "");
	if (!out->title)
		return CG_ENOMEM;
	rc = cg_words_build(doc->text, doc->text_len, &w);
	if (rc == CG_OK)
		rc = sketch(&w, out);
	cg_words_free(&w);
	for (size_t i = 0; i < doc->nrefs && rc == CG_OK; i++) {
		char host[CG_MAX_DOMAIN + 1];
		if (cg_html_url_host(doc->refs[i].url, host, sizeof(host)))
			rc = cg_web_page_add_domain(out, host);
	}
	if (rc == CG_ELIMIT)
		rc = CG_OK; /* the first CG_MAX_WEB_DOMAINS domains are enough */
	if (rc)
		cg_web_page_clear(out);
	return rc;
}

void cg_web_page_clear(struct cg_web_page *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->ndomains; i++)
		cg_free(p->domains[i]);
	cg_free(p->domains);
	cg_free(p->title);
	memset(p, 0, sizeof(*p));
}

double cg_web_similarity(const struct cg_web_page *a, const struct cg_web_page *b)
{
	size_t i = 0, j = 0, k = 0, both = 0;
	size_t want = a->nsketch > b->nsketch ? a->nsketch : b->nsketch;

	if (!a->nsketch && !b->nsketch)
		return 1.0;
	if (!a->nsketch || !b->nsketch)
		return 0.0;
	if (want > CG_WEB_SKETCH)
		want = CG_WEB_SKETCH;
	/* the k smallest hashes of the union; those present in both estimate the Jaccard index */
	while (k < want && (i < a->nsketch || j < b->nsketch)) {
		if (j >= b->nsketch || (i < a->nsketch && a->sketch[i] < b->sketch[j])) {
			i++;
		} else if (i >= a->nsketch || b->sketch[j] < a->sketch[i]) {
			j++;
		} else {
			i++;
			j++;
			both++;
		}
		k++;
	}
	return k ? (double)both / (double)k : 1.0;
}

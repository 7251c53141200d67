/* alloc.c - allocation wrappers with a fault-injection hook for tests. */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "banned.h"

static atomic_long fail_after = -1;

void cg_alloc_fail_after(long n)
{
	atomic_store(&fail_after, n);
}

static int should_fail(void)
{
	long v = atomic_load(&fail_after);
	if (v < 0)
		return 0;
	/* Count down; the allocation that sees zero fails, and all later ones fail too until the
	 * test resets the hook, which is what a real exhausted heap looks like. */
	if (v == 0)
		return 1;
	atomic_fetch_sub(&fail_after, 1);
	return 0;
}

static cg_alloc_large_fn large_hook;

void cg_alloc_set_large_hook(cg_alloc_large_fn fn)
{
	large_hook = fn;
}

static void *large(void *p, size_t n)
{
	if (p && n >= CG_ALLOC_LARGE && large_hook)
		large_hook(p, n);
	return p;
}

void *cg_malloc(size_t n)
{
	if (should_fail())
		return NULL;
	return large(malloc(n ? n : 1), n);
}

void *cg_calloc(size_t count, size_t size)
{
	if (should_fail())
		return NULL;
	return calloc(count ? count : 1, size ? size : 1);
}

void *cg_realloc(void *p, size_t n)
{
	if (should_fail())
		return NULL;
	return large(realloc(p, n ? n : 1), n);
}

int cg_grow(void **p, size_t *cap, size_t need, size_t size, size_t max)
{
	size_t ncap;
	void *np;

	if (need <= *cap)
		return CG_OK;
	if (need > max)
		return CG_ELIMIT;
	ncap = *cap ? *cap : 8;
	while (ncap < need)
		ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
	if (ncap > max)
		ncap = max;
	if (size && ncap > SIZE_MAX / size)
		return CG_ENOMEM;
	np = cg_realloc(*p, ncap * size);
	if (!np)
		return CG_ENOMEM;
	*p = np;
	*cap = ncap;
	return CG_OK;
}

char *cg_strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *r = cg_malloc(len + 1);
	if (!r)
		return NULL;
	memcpy(r, s, len);
	r[len] = '\0';
	return r;
}

void *cg_memmem(const void *hay, size_t hn, const void *needle, size_t nn)
{
	const uint8_t *h = hay, *n = needle, *end;
	if (nn == 0)
		return (void *)hay;
	if (nn > hn)
		return NULL;
	end = h + (hn - nn) + 1;
	while (h < end) {
		const uint8_t *p = memchr(h, n[0], (size_t)(end - h));
		if (!p)
			return NULL;
		if (memcmp(p, n, nn) == 0)
			return (void *)p;
		h = p + 1;
	}
	return NULL;
}

void *cg_memrchr(const void *p, int c, size_t n)
{
	const uint8_t *b = p;
	while (n > 0) {
		if (b[--n] == (uint8_t)c)
			return (void *)(b + n);
	}
	return NULL;
}

char *cg_strdup(const char *s)
{
	size_t len = strlen(s);
	char *r = cg_malloc(len + 1);
	if (r)
		memcpy(r, s, len + 1);
	return r;
}

void cg_free(void *p)
{
	free(p);
}

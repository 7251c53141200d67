/* alloc.h - the one allocation hook of canhgac.
 *
 * All core and host code allocates through these wrappers. Tests can install a hook that fails
 * the Nth allocation to check that every error path releases what it took. The wrappers are
 * thread-safe; the hook itself must be set before threads start.
 */
#ifndef CANHGAC_ALLOC_H
#define CANHGAC_ALLOC_H

#include <stddef.h>

void *cg_malloc(size_t n);
void *cg_calloc(size_t count, size_t size);
void *cg_realloc(void *p, size_t n);
/* Grows an array of `size`-byte elements to at least `need` elements, doubling; checks overflow
 * and the cap `max` (elements). On failure *p is unchanged and CG_ENOMEM or CG_ELIMIT returned. */
int cg_grow(void **p, size_t *cap, size_t need, size_t size, size_t max);
char *cg_strdup(const char *s);
char *cg_strndup(const char *s, size_t n);
void cg_free(void *p);
/* The first occurrence of needle[0..nn) in hay[0..hn), or NULL (memmem, which not every C
 * library has). An empty needle is found at hay. */
void *cg_memmem(const void *hay, size_t hn, const void *needle, size_t nn);
/* The last byte c in p[0..n), or NULL (memrchr). */
void *cg_memrchr(const void *p, int c, size_t n);

/* Allocations of at least CG_ALLOC_LARGE bytes (a million-entry feed's arrays, whole files read
 * into memory) are passed to a hook that a program may install once at start, before threads:
 * the platform's cg_sys_large_alloc_hint asks the kernel to back them with huge pages, which
 * avoids one page fault per 4 KiB when they are first written. NULL (the default) does nothing.
 * Core stays free of OS calls: it only calls the hook. */
#define CG_ALLOC_LARGE (2u << 20)
typedef void (*cg_alloc_large_fn)(void *p, size_t n);
void cg_alloc_set_large_hook(cg_alloc_large_fn fn);

/* Test hook: when set, fail_after counts down on every allocation and the allocation that finds
 * it at zero fails (returns NULL). Negative disables. */
void cg_alloc_fail_after(long n);

#endif

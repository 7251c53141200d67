/* fuzz_f2b.c - fuzzes the fail2ban filter loader and matcher: the input is a filter file, a
 * line "====", then log lines run through the loaded filter. The filter may include
 * "inc.conf", which is the same text (include loops and depth caps are exercised). */
#include <stdint.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/f2b.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct src {
	const char *p;
	size_t n;
};

static int mem_read(void *ctx, const char *path, char **out, size_t *len)
{
	const struct src *s = ctx;
	if (strcmp(path, "/f/filter.d/x.conf") != 0 && strcmp(path, "/f/filter.d/inc.conf") != 0)
		return CG_ENOENT;
	*out = cg_malloc(s->n + 1);
	if (!*out)
		return CG_ENOMEM;
	memcpy(*out, s->p, s->n);
	(*out)[s->n] = 0;
	*len = s->n;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *sep = cg_memmem(p, size, "\n====\n", 6);
	struct src s = {p, sep ? (size_t)(sep - p) : size};
	struct cg_f2b_filter *f = NULL;
	struct cg_f2b_state *st = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_f2b_opt o = {"mode", "aggressive"};
	struct cg_f2b_result r;

	if (cg_f2b_load("/f/filter.d/x.conf", mem_read, &s, &o, size & 1, &f, &d) == 0 &&
	    cg_f2b_state_new(f, &st) == 0 && sep) {
		const char *l = sep + 6, *end = p + size;
		while (l < end) {
			const char *nl = memchr(l, '\n', (size_t)(end - l));
			size_t n = nl ? (size_t)(nl - l) : (size_t)(end - l);
			int rc = cg_f2b_match(f, st, l, n, 1795599672, 25200, &r);
			if (rc && rc != CG_ELIMIT && rc != CG_ENOMEM)
				__builtin_trap();
			if (r.status == CG_F2B_FAILURE && !r.addr[0])
				__builtin_trap();
			l += n + 1;
		}
	}
	cg_f2b_state_free(st);
	cg_f2b_filter_free(f);
	cg_diags_clear(&d);
	return 0;
}

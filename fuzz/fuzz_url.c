/* fuzz_url.c - fuzzes URL and domain normalisation and the IOC set built from the input's
 * lines: normalising is idempotent, and every URL or domain added is found again. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/iocset.h"
#include "canhgac/limits.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char a[CG_MAX_URL + 1], b[CG_MAX_URL + 1];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct cg_iocset *set;
	uint32_t out[4];
	size_t pos = 0;

	if (cg_url_normalize(s, size, a, sizeof(a)) == 0) {
		/* Normalising a normal form changes nothing. */
		if (cg_url_normalize(a, strlen(a), b, sizeof(b)) != 0 || strcmp(a, b) != 0)
			abort();
	}
	if (cg_domain_normalize(s, size, a, sizeof(a)) == 0) {
		if (cg_domain_normalize(a, strlen(a), b, sizeof(b)) != 0 || strcmp(a, b) != 0)
			abort();
	}
	if (cg_iocset_new(&set))
		return 0;
	while (pos < size) {
		const char *nl = memchr(s + pos, '\n', size - pos);
		size_t n = nl ? (size_t)(nl - s) - pos : size - pos;
		char line[CG_MAX_URL + 1];
		if (n < sizeof(line)) {
			memcpy(line, s + pos, n);
			line[n] = '\0';
			cg_iocset_add(set, CG_IOC_URL, line, (uint32_t)pos);
			cg_iocset_add(set, CG_IOC_DOMAIN, line, (uint32_t)pos);
			cg_iocset_add(set, CG_IOC_SHA1, line, (uint32_t)pos);
		}
		pos += n + 1;
	}
	cg_iocset_finish(set);
	pos = 0;
	while (pos < size) {
		const char *nl = memchr(s + pos, '\n', size - pos);
		size_t n = nl ? (size_t)(nl - s) - pos : size - pos;
		char line[CG_MAX_URL + 1];
		if (n < sizeof(line)) {
			memcpy(line, s + pos, n);
			line[n] = '\0';
			size_t k = strlen(line); /* the set was given the text up to a NUL */
			if (cg_url_normalize(line, k, a, sizeof(a)) == 0 &&
			    cg_iocset_lookup_url(set, line, k, out, 4) < 1)
				abort();
			if (cg_domain_normalize(line, k, a, sizeof(a)) == 0 &&
			    cg_iocset_lookup_domain(set, line, k, out, 4) < 1)
				abort();
		}
		pos += n + 1;
	}
	cg_iocset_free(set);
	return 0;
}

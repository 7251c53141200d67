/* fuzz_vercmp.c - fuzzes the version comparators: the first byte picks the scheme, the rest is
 * split at the first TAB into two versions. Aborts when an order law breaks: cmp(a,a) != 0,
 * cmp(a,b) != -cmp(b,a), a result outside -1..1, or when dpkg's fast path and full parser
 * disagree. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/vercmp.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *a, *b, *tab;
	size_t alen, blen;
	enum cg_ver_scheme s;
	struct cg_ver_msg why;
	struct cg_dpkg_version dv, dw;
	int ab, ba;

	if (size < 1)
		return 0;
	s = (enum cg_ver_scheme)(CG_VER_DPKG + data[0] % 5);
	a = (const char *)data + 1;
	tab = memchr(a, '\t', size - 1);
	alen = tab ? (size_t)(tab - a) : size - 1;
	b = tab ? tab + 1 : a + alen;
	blen = size - 1 - alen - (tab ? 1 : 0);

	ab = cg_vercmp_n(s, a, alen, b, blen);
	ba = cg_vercmp_n(s, b, blen, a, alen);
	if (ab < -1 || ab > 1 || ab != -ba)
		abort();
	if (cg_vercmp_n(s, a, alen, a, alen) != 0 || cg_vercmp_n(s, b, blen, b, blen) != 0)
		abort();
	if (s == CG_VER_RPM && cg_rpmvercmp(a, alen, b, blen) != -cg_rpmvercmp(b, blen, a, alen))
		abort();
	(void)cg_ver_check(s, a, alen, &why);
	(void)cg_ver_check(s, b, blen, &why);
	/* dpkg's one-pass fast path must agree with the full parser */
	(void)cg_dpkg_parse(a, alen, &dv, &why);
	(void)cg_dpkg_parse(b, blen, &dw, &why);
	if (cg_vercmp_dpkg(a, alen, b, blen) != cg_dpkg_compare(&dv, &dw))
		abort();
	return 0;
}

/* fuzz_ndb.c - libFuzzer target: the input as .ndb text is parsed and compiled with both body
 * signature back ends, which must then agree on a small fixed buffer and on the input itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/bodysig.h"
#include "canhgac/error.h"
#include "canhgac/ndb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct ids {
	unsigned v[64];
	size_t n;
};

static int collect(void *arg, unsigned id)
{
	struct ids *r = arg;
	if (r->n < 64)
		r->v[r->n++] = id;
	return 0;
}

static const uint8_t fixed[] = "MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
                               "\xb8\x00\x00\x00\x00\x00\x00\x00\x40\x00\x00\x00\x00\x00\x00\x00"
                               "%PDF-1.4 \x7f"
                               "ELF\xca\xfe\xba\xbe\x41\x42\x43\x44\x00\x11\x22\x33"
                               "\x4d\x5a\xaa\xbb\xcc\xdd\xee\xff\x00\x01\x02\x03\x04\x05\x06\x07";

static void scan(struct cg_bodysig_scan *sc, const uint8_t *p, size_t n, size_t chunk,
                 struct ids *r)
{
	r->n = 0;
	if (cg_bodysig_begin(sc, n))
		abort();
	for (size_t off = 0; off < n; off += chunk)
		if (cg_bodysig_feed(sc, p + off, n - off < chunk ? n - off : chunk))
			abort();
	if (cg_bodysig_end(sc, collect, r))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_bodysig_set *s[2] = {NULL, NULL};
	struct cg_bodysig_scan *sc[2] = {NULL, NULL};
	struct cg_diags d = CG_DIAGS_INIT;
	enum cg_bodysig_backend be[2] = {CG_BODYSIG_PORTABLE, CG_BODYSIG_HYPERSCAN};
	int nbe = 0;

	if (size > 4096)
		return 0;
	/* jumps and offsets of 4+ digits make Hyperscan compile for seconds (minutes under ASan):
	 * correct but useless for fuzzing */
	for (size_t i = 0, run = 0; i < size; i++) {
		run = data[i] >= '0' && data[i] <= '9' ? run + 1 : 0;
		if (run >= 4)
			return 0;
	}
	for (int k = 0; k < 2; k++) {
		if (cg_bodysig_set_new(&s[k]) ||
		    cg_bodysig_add_ndb(s[k], (const char *)data, size, "fuzz", &d, NULL, NULL))
			goto out;
		if (cg_bodysig_compile(s[k], be[k], &d) || cg_bodysig_scan_new(s[k], &sc[k]))
			break;
		nbe++;
	}
	for (int k = 0; k < nbe; k++)
		for (unsigned id = 0; id < cg_bodysig_count(s[k]); id++)
			if (!cg_bodysig_name(s[k], id))
				abort();
	/* compare only when neither back end refused a signature */
	if (nbe == 2 && cg_bodysig_active(s[0]) == cg_bodysig_count(s[0]) &&
	    cg_bodysig_active(s[1]) == cg_bodysig_count(s[1])) {
		struct ids a, b;
		scan(sc[0], fixed, sizeof(fixed) - 1, 5, &a);
		scan(sc[1], fixed, sizeof(fixed) - 1, 3, &b);
		if (a.n != b.n || memcmp(a.v, b.v, a.n * sizeof(a.v[0])))
			abort();
		scan(sc[0], data, size, 64, &a);
		scan(sc[1], data, size, 1, &b);
		if (a.n != b.n || memcmp(a.v, b.v, a.n * sizeof(a.v[0])))
			abort();
	} else if (nbe >= 1) {
		struct ids a;
		scan(sc[0], fixed, sizeof(fixed) - 1, 7, &a);
	}
out:
	for (int k = 0; k < 2; k++) {
		cg_bodysig_scan_free(sc[k]);
		cg_bodysig_set_free(s[k]);
	}
	cg_diags_clear(&d);
	return 0;
}

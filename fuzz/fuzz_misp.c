/* fuzz_misp.c - fuzzes MISP feed events (cg_feed_parse_misp); every entry found is read back. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/feed.h"
#include "core/feed_int.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_feed_parse_opts o = {CG_FEED_IOC, CG_FMT_AUTO, NULL, 1790000000, 25200};
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_feed *f = cg_calloc(1, sizeof(*f));
	size_t sum = 0;

	if (!f)
		return 0;
	f->kind = o.kind;
	if (cg_feed_parse_misp(data, size, "fuzz", &o, f, &d) == 0) {
		for (size_t i = 0; i < f->nentries; i++)
			sum += strlen(f->entries[i].value) + (f->entries[i].family ? 1 : 0);
		for (size_t i = 0; i < f->nadvisories; i++)
			sum += strlen(f->advisories[i].id);
	}
	(void)sum;
	cg_feed_free(f);
	cg_diags_clear(&d);
	return 0;
}

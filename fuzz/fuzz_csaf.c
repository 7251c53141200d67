/* fuzz_csaf.c - fuzzes the CSAF parser of Microsoft's security updates; every advisory found is
 * given to the Windows matcher for a fixed Windows 10 22H2 inventory. */
#include <stdint.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/feed.h"
#include "canhgac/wininv.h"
#include "canhgac/winvulns.h"
#include "core/feed_int.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_feed_parse_opts o = {CG_FEED_ADVISORY, CG_FMT_AUTO, NULL, 1790000000, 25200};
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_feed *f = cg_calloc(1, sizeof(*f));
	struct cg_wininv inv;
	struct cg_winvulns *v = NULL;

	if (!f)
		return 0;
	memset(&inv, 0, sizeof(inv));
	inv.product_name = (char *)"Windows 10 Pro";
	inv.build = 19045;
	inv.ubr = 3930;
	inv.major = 10;
	f->kind = o.kind;
	if (cg_feed_parse_csaf(data, size, "fuzz", &o, f, &d) == 0 &&
	    cg_winvulns_new(&inv, NULL, &v) == 0) {
		for (size_t i = 0; i < f->nadvisories; i++) {
			if (!f->advisories[i].id)
				__builtin_trap();
			if (cg_winvulns_add(v, &f->advisories[i]) != 0)
				break;
		}
		(void)cg_winvulns_finish(v);
	}
	cg_winvulns_free(v);
	cg_feed_free(f);
	cg_diags_clear(&d);
	return 0;
}

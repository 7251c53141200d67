/* fuzz_plain.c - fuzzes format sniffing and the plain-list parser; the first byte picks the kind
 * (botnet, ioc) and whether the format is sniffed or forced to plain. Every entry produced must
 * be a non-empty value of a known type. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/feed.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_feed_parse_opts o;
	struct cg_feed *f = NULL;

	if (size < 1)
		return 0;
	memset(&o, 0, sizeof(o));
	o.kind = (data[0] & 1) ? CG_FEED_IOC : CG_FEED_BOTNET;
	o.format = (data[0] & 2) ? CG_FMT_AUTO : CG_FMT_PLAIN;
	o.tz_offset = 25200;
	if (cg_feed_parse(data + 1, size - 1, "fuzz.txt", &o, &f, &d) == 0) {
		if (f->nentries == 0 || f->rows_bad > f->rows_total)
			abort();
		for (size_t i = 0; i < f->nentries; i++) {
			const struct cg_feed_entry *e = &f->entries[i];
			if (!e->value || !e->value[0] || e->type < CG_IOC_IP ||
			    e->type > CG_IOC_SHA256 || e->line == 0)
				abort();
		}
	}
	cg_feed_free(f);
	cg_diags_clear(&d);
	return 0;
}

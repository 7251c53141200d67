/* fuzz_feedtable.c - fuzzes the table reader and the table feed parser together: the input is
 * read by cg_table_read (CSV or XLSX), then parsed as a botnet list, an IOC list and an
 * advisory table; the first byte also picks a --columns mapping. */
#include <stdint.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/feed.h"
#include "canhgac/table.h"
#include "core/feed_int.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one(const struct cg_table *t, enum cg_feed_kind kind, const char *cols)
{
	struct cg_feed_parse_opts o = {kind, CG_FMT_TABLE, cols, 1790000000, 25200};
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_feed *f = cg_calloc(1, sizeof(*f));
	size_t sum = 0;

	if (!f)
		return;
	f->kind = kind;
	if (cg_feed_parse_table(t, "fuzz", &o, f, &d) == 0) {
		for (size_t i = 0; i < f->nentries; i++)
			sum += strlen(f->entries[i].value) + strlen(f->entries[i].where);
		for (size_t i = 0; i < f->nadvisories; i++)
			sum += strlen(f->advisories[i].id);
	}
	(void)sum;
	cg_feed_free(f);
	cg_diags_clear(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const cols[] = {NULL, "ip=1,family=2,time=3", "ip=B,port=C,time=-",
	                                   "value=A,type=B", "cve=1,due=2,cvss=3"};
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_table *t = NULL;

	if (size < 1)
		return 0;
	if (cg_table_read(data + 1, size - 1, "fuzz", &t, &d) == 0) {
		const char *c = cols[data[0] % 5];
		one(t, CG_FEED_BOTNET, c);
		one(t, CG_FEED_IOC, c);
		one(t, CG_FEED_ADVISORY, c);
	}
	cg_table_free(t);
	cg_diags_clear(&d);
	return 0;
}

/* fuzz_reply.c - fuzzes the reply reader of `feed merge-replies`: the input, after a first byte
 * that picks a file name to identify the unit by, is read as CSV or XLSX by the real readers,
 * read as a reply against a small units tree, then consolidated. */
#include <stdint.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/roundtrip.h"
#include "canhgac/table.h"
#include "canhgac/units.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char units_csv[] = "code,name,parent,ip\nSO,So,,\nT1,T1,SO,10.0.0.1\nT-2,T2,SO,"
                                "10.0.0.2 2001:db8::/64\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cg_units *u;
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_table *t = NULL;
	struct cg_reply *r = NULL;

	if (!u) {
		struct cg_table *ut = NULL;
		if (cg_table_read_csv((const uint8_t *)units_csv, sizeof(units_csv) - 1, "u.csv",
		                      &ut, NULL) ||
		    cg_units_parse(ut, "u.csv", CG_UNITS_TZ_VN, &u, NULL)) {
			cg_table_free(ut);
			return 0;
		}
		cg_table_free(ut);
	}
	if (size < 2 || size > (1u << 20))
		return 0;
	/* The whole input goes through the real readers (CSV or XLSX, sniffed). */
	if (cg_table_read(data + 1, size - 1, "fuzz", &t, NULL))
		return 0;
	if (cg_reply_read(t, "fuzz.csv", (data[0] & 2) ? "tra loi T-2 (1).xlsx" : NULL, u, &r,
	                  &d) == 0) {
		struct cg_rt_report rep;
		if (cg_rt_merge(u, NULL, NULL, &r, 1, &rep, &d) == 0)
			cg_rt_report_clear(&rep);
	}
	cg_reply_free(r);
	cg_table_free(t);
	cg_diags_clear(&d);
	return 0;
}

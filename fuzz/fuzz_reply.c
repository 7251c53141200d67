/* fuzz_reply.c - fuzzes the reply reader of `feed merge-replies`: the input is a returned reply
 * as CSV text (the first byte picks XLSX-style cell names and number cells), read against a
 * small units tree, then consolidated. */
#include <stdint.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/roundtrip.h"
#include "canhgac/table.h"
#include "canhgac/units.h"
#include "tests/unit/test_table_mini.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char units_csv[] = "code,name,parent,ip\nSO,So,,\nT1,T1,SO,10.0.0.1\nT-2,T2,SO,"
                                "10.0.0.2 2001:db8::/64\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cg_units *u;
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_table *t;
	struct cg_reply *r = NULL;

	if (!u) {
		struct cg_table *ut = mini_table(units_csv, 0, "u.csv");
		if (!ut || cg_units_parse(ut, "u.csv", CG_UNITS_TZ_VN, &u, NULL))
			return 0;
		mini_table_free(ut);
	}
	if (size < 2 || size > (1u << 20))
		return 0;
	t = mini_table((const char *)data + 1, size - 1, "Danh sách");
	if (!t)
		return 0;
	if (data[0] & 1)
		t->format = CG_TABLE_XLSX;
	if (cg_reply_read(t, "fuzz.csv", (data[0] & 2) ? "tra loi T-2 (1).xlsx" : NULL, u, &r,
	                  &d) == 0) {
		struct cg_rt_report rep;
		if (cg_rt_merge(u, NULL, NULL, &r, 1, &rep, &d) == 0)
			cg_rt_report_clear(&rep);
	}
	cg_reply_free(r);
	mini_table_free(t);
	cg_diags_clear(&d);
	return 0;
}

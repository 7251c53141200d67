/* fuzz_dpkgstatus.c - fuzzes the package inventory parsers: the first byte picks dpkg's status
 * format or rpm's query output; every package found must have its mandatory fields. */
#include <stdint.h>
#include <stdlib.h>

#include "canhgac/error.h"
#include "canhgac/pkginv.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_pkginv inv = CG_PKGINV_INIT;
	struct cg_diags d = CG_DIAGS_INIT;

	if (size < 1)
		return 0;
	if (data[0] & 1)
		cg_pkginv_parse_rpm_qa(&inv, (const char *)data + 1, size - 1, "fuzz", &d);
	else
		cg_pkginv_parse_dpkg_status(&inv, (const char *)data + 1, size - 1, "fuzz", &d);
	for (size_t i = 0; i < inv.n; i++)
		if (!inv.pkgs[i].name || !inv.pkgs[i].version || !inv.pkgs[i].source ||
		    !inv.pkgs[i].source_version || !inv.pkgs[i].status)
			abort();
	cg_pkginv_clear(&inv);
	cg_diags_clear(&d);
	return 0;
}

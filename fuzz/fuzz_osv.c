/* fuzz_osv.c - fuzzes the OSV parser, then matches what it found against a small inventory
 * with and without an ecosystem filter. */
#include <stdint.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/pkginv.h"
#include "canhgac/vulns.h"
#include "core/feed_int.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char status[] = "Package: libssl3\nStatus: install ok installed\nSource: openssl\n"
                             "Version: 3.0.11-1~deb12u2\n\nPackage: foo\nStatus: install ok "
                             "installed\nVersion: 1.2-3\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_feed f;
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_pkginv inv = CG_PKGINV_INIT;
	struct cg_vulns *v[2] = {NULL, NULL};

	memset(&f, 0, sizeof(f));
	f.kind = CG_FEED_ADVISORY;
	cg_feed_parse_osv(data, size, "fuzz", NULL, &f, &d);
	cg_pkginv_parse_dpkg_status(&inv, status, sizeof(status) - 1, "s", NULL);
	if (cg_vulns_new(&inv, "Debian:12", &v[0]) == 0 && cg_vulns_new(&inv, NULL, &v[1]) == 0)
		for (size_t i = 0; i < f.nadvisories; i++) {
			cg_vulns_check(v[0], &f.advisories[i]);
			cg_vulns_check(v[1], &f.advisories[i]);
		}
	cg_vulns_free(v[0]);
	cg_vulns_free(v[1]);
	cg_pkginv_clear(&inv);
	cg_feed_clear(&f);
	cg_diags_clear(&d);
	return 0;
}

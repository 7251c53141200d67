/* wininv.h - the inventory of one Windows PC that vulnerability matching needs, and its JSON
 * form (engine, no I/O). The Windows collector (`canhgac.exe inventory`) fills it from the
 * registry; `canhgac vulns --windows-inventory FILE.json` reads it on any system.
 *
 * JSON form (UTF-8, one object; unknown members are ignored, so later collectors may add more):
 *   {
 *     "schema": "canhgac.wininv/1",
 *     "hostname": "PC-LAB-01",
 *     "collected": "2024-02-20T08:00:00Z",
 *     "os": {
 *       "product_name": "Windows 10 Pro",     registry ProductName (Windows 11 says "Windows 10")
 *       "edition_id": "Professional",         registry EditionID
 *       "display_version": "22H2",            registry DisplayVersion (or ReleaseId)
 *       "version": "10.0",                    major.minor (optional: derived from the build)
 *       "build": 19045,                       CurrentBuildNumber
 *       "ubr": 3930,                          UBR (0 or absent when unknown, e.g. Windows 7)
 *       "arch": "x64"                         x64, x86 or arm64
 *     },
 *     "hotfixes": ["KB5034122", "KB5033372"]   installed updates
 *   }
 * Only os.product_name and os.build are required. KB numbers are normalised to "KB" + digits;
 * other strings in "hotfixes" are reported and skipped.
 */
#ifndef CANHGAC_WININV_H
#define CANHGAC_WININV_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/error.h"

#define CG_WININV_SCHEMA "canhgac.wininv/1"

struct cg_wininv {
	char *hostname;        /* or NULL */
	char *product_name;    /* never NULL after parsing */
	char *edition_id;      /* or NULL */
	char *display_version; /* or NULL */
	char *arch;            /* "x64", "x86", "arm64" (normalised), or NULL */
	unsigned major, minor; /* 10.0, 6.3, 6.1 */
	uint32_t build, ubr;
	int64_t collected; /* UTC seconds, CG_TIME_NONE when absent */
	char **kbs;        /* sorted, unique, "KB5034122" */
	size_t nkbs;
};

/* Parses the JSON form into *inv (zeroed first). Returns 0, CG_EPARSE (with diagnostics) when
 * required members are missing or malformed, CG_ELIMIT past CG_MAX_WININV_FILE or
 * CG_MAX_WININV_KBS. On error *inv holds nothing. */
int cg_wininv_parse_json(const uint8_t *buf, size_t len, const char *source, struct cg_wininv *inv,
                         struct cg_diags *d);
/* The JSON form, compact, allocated (free()); NULL on CG_ENOMEM. */
char *cg_wininv_to_json(const struct cg_wininv *inv);
/* Adds an installed update ("5034122", "KB5034122") keeping the list sorted and unique.
 * Returns 0, CG_EINVAL for text that is not a KB number, CG_ELIMIT, CG_ENOMEM. */
int cg_wininv_add_kb(struct cg_wininv *inv, const char *kb);
/* Whether the update is installed ("KB5034122"). */
int cg_wininv_has_kb(const struct cg_wininv *inv, const char *kb);
/* "10.0.19045.3930": major.minor.build.ubr. */
void cg_wininv_version(const struct cg_wininv *inv, char *out, size_t cap);
void cg_wininv_clear(struct cg_wininv *inv);

#endif

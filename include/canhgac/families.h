/* families.h - botnet and malware families mapped to the likely device and to remediation
 * steps in Vietnamese and English (engine, no I/O).
 *
 * The data file is data/families.csv (UTF-8, editable by the Department; docs/feeds.md). Its
 * first record is a header naming the columns, in any order:
 *   pattern         aliases separated by '|', e.g. "downadup|conficker|kido"; "*" for the
 *                   default row used when nothing else matches
 *   device          camera, router, windows, linux, nas or any
 *   device_vi, device_en           the likely device, in words
 *   remediation_vi, remediation_en what to do, concrete steps
 * Lines starting with '#' before or between records are comments. Fields may be quoted as in
 * RFC 4180 (quotes doubled inside; newlines allowed inside quotes).
 *
 * A family name as written in a list ("Conficker/downadup", "Win32/Sality.AT", "Mirai.B",
 * "CWMP") matches a row when one of the row's aliases stands in the name as whole words, both
 * folded (case and Vietnamese diacritics ignored, punctuation as spaces). The first matching
 * row in file order wins, so put specific rows before general ones.
 */
#ifndef CANHGAC_FAMILIES_H
#define CANHGAC_FAMILIES_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/error.h"

struct cg_family {
	const char *pattern;   /* as written */
	const char *device;    /* "camera", "router", "windows", "linux", "nas", "any" */
	const char *device_vi; /* "Camera IP / đầu ghi hình (DVR)" */
	const char *device_en;
	const char *fix_vi; /* remediation steps */
	const char *fix_en;
	uint32_t line; /* line of the data file where the row starts */
};

struct cg_families;

/* Parses the data file. Bad rows are reported ("source:line", reason) and left out; returns 0,
 * CG_EPARSE when the header is missing or no row is usable, CG_ELIMIT past CG_MAX_FAMILIES rows
 * or CG_MAX_FAMILIES_FILE bytes. *out is allocated on success (cg_families_free). */
int cg_families_parse(const uint8_t *buf, size_t len, const char *source, struct cg_families **out,
                      struct cg_diags *d);
void cg_families_free(struct cg_families *fs); /* accepts NULL */

/* The row for a family name: the first whose aliases match, else the default row ("*"), else
 * NULL. The result lives as long as fs. */
const struct cg_family *cg_families_lookup(const struct cg_families *fs, const char *name);

size_t cg_families_count(const struct cg_families *fs);
const struct cg_family *cg_families_get(const struct cg_families *fs, size_t i);

#endif

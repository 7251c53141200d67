/* xlsx_int.h - pieces of the XLSX reader shared by table_xlsx.c (zip, workbook, strings,
 * styles) and table_xlsx_sheet.c (worksheets, merged cells). */
#ifndef CANHGAC_XLSX_INT_H
#define CANHGAC_XLSX_INT_H

#include <expat.h>
#include <stddef.h>
#include <stdint.h>

#include "canhgac/error.h"
#include "table_int.h"

/* A hardened expat run: no DOCTYPE, no entities, depth capped, prefixes stripped. Handlers
 * get the struct cg_xml itself (embed it first in a larger state). */
struct cg_xml {
	XML_Parser p;
	int depth;
	int err; /* CG_E* that stopped the parse, 0 while fine */
	void (*start)(struct cg_xml *x, const char *name, const char **attrs);
	void (*end)(struct cg_xml *x, const char *name);
	void (*text)(struct cg_xml *x, const char *s, int len);
};

/* Parses buf with x's handlers; returns 0, x->err, or CG_EPARSE for malformed XML. */
int cg_xml_run(struct cg_xml *x, const char *buf, size_t len);
/* Stops the parse with code. */
void cg_xml_fail(struct cg_xml *x, int code);
/* The value of the attribute whose local name (after any prefix) is `name`, or NULL. */
const char *cg_xml_attr(const char **attrs, const char *name);

/* What a worksheet parse needs from the workbook. */
struct cg_xlsx {
	const char *src;
	struct cg_diags *d;
	struct cg_tbuild b;
	char **sst; /* shared strings, NFC */
	size_t nsst, sstcap;
	uint8_t *xf_date; /* per cellXfs index: 1 when a date format */
	size_t nxf, xfcap;
	char legacy[32];
};

/* Cell text from raw XML text: Excel's _xHHHH_ escapes undone, NFC, legacy repair. *out is
 * allocated or cg_table_empty. */
int cg_xlsx_text(struct cg_xlsx *X, const char *s, size_t n, char **out);

/* Parses one worksheet part into a new sheet named name. */
int cg_xlsx_sheet(struct cg_xlsx *X, const char *name, const char *xml, size_t len);

#endif

/* table.h - a spreadsheet as rows of text cells, read from CSV or XLSX bytes (engine, no I/O).
 *
 * Real spreadsheets sent by the authorities are messy: title rows above the header, merged
 * cells, several sheets, dates as text or as Excel serial numbers, decomposed Unicode, CSV saved
 * by Excel as Windows-1258 or UTF-16, headers typed in the legacy TCVN3 or VNI encodings. The
 * readers turn all of that into one shape: sheets of rows of NFC UTF-8 text cells, each row
 * carrying where it came from (CSV line, XLSX row), so that every later error can name
 * "file:line" or "sheet!cell". Interpreting the cells (which column is the IP) is not done here.
 *
 * Every size and count is capped (limits.h: CG_MAX_TABLE_*); hostile input gives CG_EPARSE or
 * CG_ELIMIT with diagnostics, never a crash.
 */
#ifndef CANHGAC_TABLE_H
#define CANHGAC_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/error.h"

enum cg_table_format { CG_TABLE_CSV = 1, CG_TABLE_XLSX = 2 };

/* Cell flags. */
enum {
	CG_CELL_NUMBER = 1u << 0, /* XLSX numeric cell; text is the number as stored ("45941.5") */
	CG_CELL_DATE = 1u << 1,   /* XLSX numeric cell whose style is a date/time format */
	CG_CELL_MERGED = 1u << 2, /* copied from the top-left cell of a merged range */
};

struct cg_cell {
	char *text;     /* NFC UTF-8, never NULL ("" when empty), trimmed of nothing */
	unsigned flags; /* CG_CELL_* */
};

struct cg_row {
	uint32_t line; /* CSV: 1-based line where the record starts; XLSX: 1-based row number */
	size_t ncells;
	struct cg_cell *cells; /* ncells cells; column i is cells[i] */
};

struct cg_sheet {
	char *name; /* XLSX sheet name; the source's base name for CSV */
	size_t nrows;
	struct cg_row *rows; /* only rows present in the source, in order */
};

struct cg_table {
	enum cg_table_format format;
	char encoding[32]; /* what the bytes were: "UTF-8", "UTF-8 BOM", "UTF-16LE", "UTF-16BE",
	                      "WINDOWS-1258", "TCVN3", "VNI", "XLSX" */
	char delimiter;    /* CSV: ',', ';', '\t' or '|' as detected; 0 for XLSX */
	size_t nsheets;
	struct cg_sheet *sheets;
};

/* Reads CSV or XLSX (sniffed from the bytes: a zip is XLSX). source names the input in
 * diagnostics. On success *out is allocated (cg_table_free). Diagnostics name "source:line" for
 * CSV and "source:sheet!A1" for XLSX. */
int cg_table_read(const uint8_t *buf, size_t len, const char *source, struct cg_table **out,
                  struct cg_diags *d);
int cg_table_read_csv(const uint8_t *buf, size_t len, const char *source, struct cg_table **out,
                      struct cg_diags *d);
int cg_table_read_xlsx(const uint8_t *buf, size_t len, const char *source, struct cg_table **out,
                       struct cg_diags *d);
void cg_table_free(struct cg_table *t);

/* Writes the spreadsheet name of a cell, e.g. col 1 (0-based), row 7 -> "B7". */
void cg_table_cellref(size_t col, uint32_t row, char out[16]);

/* Cell text, or "" when the row has no such column. */
const char *cg_table_cell(const struct cg_row *r, size_t col);

/* Converts an Excel serial date (1900 system, as stored in a CG_CELL_DATE cell: "46308.4576")
 * to seconds since 1970-01-01 as if the wall time were UTC; the fraction is the time of day,
 * rounded to the second. Excel's 1900 leap-year bug is honoured: serial 59 is 1900-02-28,
 * serial 60 the fictitious 1900-02-29 (CG_EPARSE), serial 61 1900-03-01. Serials below 1
 * (times without a date) and past 9999-12-31 give CG_EPARSE. */
int cg_table_excel_date(const char *text, int64_t *utc_seconds_as_if_utc);

/* Parses a date as people write it in Vietnamese lists: dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy,
 * dd.mm.yyyy, dd/mm/yy (20yy), each optionally followed by " HH:MM[:SS]"; "HH:MM[:SS]
 * dd/mm/yyyy"; ISO yyyy-mm-dd[(T| )HH:MM[:SS][.fff][Z|+hh:mm]]; dd/mm alone, the year taken
 * from year_hint. Leading and trailing blanks are ignored. *out is seconds since 1970-01-01 as
 * if the wall time were UTC (the caller applies the time zone). Returns 0 when the text had
 * no zone, 1 when it carried "Z" or an offset (then *out is true UTC already), CG_EPARSE when
 * it is not such a date or not a valid one (31/02/2026). */
int cg_table_parse_date(const char *text, int64_t year_hint, int64_t *out);

#endif

/* table_csv.c - the CSV reader: encoding detection, delimiter detection, RFC 4180 quotes with
 * Excel's leniency, ragged rows, and per-cell NFC and legacy (TCVN3/VNI) repair.
 *
 * Windows-1258 files are split into cells on their raw bytes (the delimiters, quotes and line
 * ends are ASCII in every encoding we read), so that each cell can be tried as TCVN3 or VNI
 * before it is decoded: once decoded and normalised, legacy bytes can no longer be recovered
 * exactly. */
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "canhgac/table.h"
#include "canhgac/text.h"
#include "table_int.h"
#include "text_int.h"
#include "banned.h"

struct csv {
	const uint8_t *p;
	size_t len, pos;
	uint32_t line; /* physical line at pos */
	char delim;
	int cp1258;     /* raw Windows-1258 bytes (else UTF-8) */
	size_t noquote; /* after an unterminated quote, quotes past here are plain characters */
	const char *src;
	struct cg_diags *d;
	struct cg_tbuild b;
	struct cg_sbuf field;
	char legacy[32]; /* legacy encoding found in some cell */
};

static const char delims[] = {',', ';', '\t', '|'};

/* Picks the delimiter whose per-line count (outside quotes) is most often the same non-zero
 * number over the first lines. Title lines with no delimiter do not disturb the vote. */
static char detect_delim(const uint8_t *p, size_t len)
{
	enum { LINES = 30, MAXC = 64 };
	unsigned counts[4][LINES] = {{0}};
	size_t i = 0, line = 0;
	int q = 0, best = 0;
	long bestscore = -1;

	for (; i < len && line < LINES; i++) {
		if (p[i] == '"')
			q = !q;
		else if (!q && p[i] == '\n')
			line++;
		for (int k = 0; k < 4 && !q; k++)
			if (p[i] == (uint8_t)delims[k] && counts[k][line] < 10000)
				counts[k][line]++;
	}
	for (int k = 0; k < 4; k++) {
		unsigned freq[MAXC + 1] = {0};
		for (size_t l = 0; l <= line && l < LINES; l++)
			if (counts[k][l])
				freq[counts[k][l] > MAXC ? MAXC : counts[k][l]]++;
		for (int c = 1; c <= MAXC; c++) {
			long score = (long)freq[c] * 1000 + c;
			if (freq[c] && score > bestscore) {
				bestscore = score;
				best = k;
			}
		}
	}
	return delims[best];
}

/* Turns the bytes of one field into the cell text. */
static int field_text(struct csv *c, char **out)
{
	const uint8_t *f = (const uint8_t *)(c->field.p ? c->field.p : "");
	size_t n = c->field.n;
	char enc[32] = "";
	char *fixed = NULL;
	int rc;

	*out = NULL;
	if (n == 0) {
		*out = cg_table_empty;
		return CG_OK;
	}
	if (c->cp1258) {
		struct cg_sbuf u = {0};
		rc = cg_text_legacy_bytes(f, n, &fixed, enc);
		if (rc == 1)
			goto legacy;
		if (rc == CG_OK)
			rc = cg_cp1258_to_utf8(f, n, &u);
		if (rc == CG_OK)
			rc = cg_text_nfc_valid(u.p ? u.p : "", u.n, out);
		cg_sbuf_free(&u);
		return rc;
	}
	rc = cg_text_nfc_valid((const char *)f, n, out);
	if (rc || !*out)
		return rc;
	for (size_t i = 0; i < n; i++) {
		if (f[i] >= 0x80) {
			rc = cg_text_legacy_fix(*out, strlen(*out), &fixed, enc);
			break;
		}
	}
	if (rc != 1)
		return rc;
	cg_free(*out);
legacy:
	*out = fixed;
	snprintf(c->legacy, sizeof(c->legacy), "%s", enc);
	return CG_OK;
}

static int end_field(struct csv *c, size_t col, uint32_t line)
{
	char *text;
	int rc;

	if (col >= CG_MAX_TABLE_COLS)
		return cg_diags_add(c->d, CG_ELIMIT, c->src, line, 0,
		                    CG_MSG("dòng có quá %d cột", "row has more than %d columns"),
		                    CG_MAX_TABLE_COLS);
	rc = field_text(c, &text);
	c->field.n = 0;
	if (rc)
		return rc;
	rc = cg_tb_cell(&c->b, col, text, 0);
	if (rc == CG_ELIMIT)
		return cg_diags_add(c->d, rc, c->src, line, 0,
		                    CG_MSG("bảng có quá nhiều ô", "table has too many cells"));
	return rc;
}

static int add_byte(struct csv *c, uint8_t ch, uint32_t line)
{
	if (ch == 0)
		return CG_OK; /* a NUL would cut the C string short */
	if (c->field.n >= CG_MAX_TABLE_CELL)
		return cg_diags_add(c->d, CG_ELIMIT, c->src, line, 0,
		                    CG_MSG("ô dài quá %lu byte", "cell longer than %lu bytes"),
		                    (unsigned long)CG_MAX_TABLE_CELL);
	return cg_sbuf_addc(&c->field, (char)ch);
}

/* Consumes a line end at pos if there is one (\n, \r\n or a lone \r). */
static int eol(struct csv *c)
{
	if (c->pos < c->len && c->p[c->pos] == '\n') {
		c->pos++;
		c->line++;
		return 1;
	}
	if (c->pos < c->len && c->p[c->pos] == '\r') {
		c->pos++;
		if (c->pos < c->len && c->p[c->pos] == '\n')
			c->pos++;
		c->line++;
		return 1;
	}
	return 0;
}

/* Reads a quoted field starting after its opening quote. When no closing quote follows, the
 * opening quote was a plain character: rewinds and returns 1. */
static int quoted(struct csv *c, size_t start, uint32_t line)
{
	uint32_t l0 = c->line;
	size_t n0 = c->field.n;
	int rc = CG_OK;

	while (c->pos < c->len && rc == CG_OK) {
		uint8_t ch = c->p[c->pos];
		if (ch == '"') {
			if (c->pos + 1 < c->len && c->p[c->pos + 1] == '"') {
				rc = add_byte(c, '"', line);
				c->pos += 2;
				continue;
			}
			c->pos++;
			return CG_OK; /* closed; what follows up to the delimiter is kept as is */
		}
		if (ch == '\n' ||
		    (ch == '\r' && !(c->pos + 1 < c->len && c->p[c->pos + 1] == '\n')))
			c->line++;
		rc = add_byte(c, ch, line);
		c->pos++;
	}
	if (rc)
		return rc;
	cg_diags_add(c->d, CG_EPARSE, c->src, line, 0,
	             CG_MSG("dấu ngoặc kép không được đóng; coi là ký tự thường",
	                    "unterminated quote; read as a plain character"));
	c->pos = start;
	c->line = l0;
	c->field.n = n0;
	c->noquote = start;
	return 1;
}

/* Reads one record into a new row; returns 1 when a row was read, 0 at the end. */
static int record(struct csv *c)
{
	uint32_t line;
	size_t col = 0;
	int rc;

	while (c->pos < c->len && eol(c))
		; /* blank lines */
	if (c->pos >= c->len)
		return 0;
	line = c->line;
	if ((rc = cg_tb_row(&c->b, line)) != CG_OK)
		return rc;
	for (;;) {
		int at_start = 1;
		while (c->pos < c->len) {
			uint8_t ch = c->p[c->pos];
			if (ch == (uint8_t)c->delim || ch == '\n' || ch == '\r')
				break;
			if (ch == '"' && at_start && c->pos >= c->noquote) {
				c->pos++;
				rc = quoted(c, c->pos, line);
				if (rc < 0)
					return rc;
				if (rc == 1)
					rc = add_byte(c, '"', line);
			} else {
				rc = add_byte(c, ch, line);
				c->pos++;
			}
			if (rc < 0)
				return rc;
			at_start = 0;
		}
		if ((rc = end_field(c, col++, line)) != CG_OK)
			return rc;
		if (c->pos < c->len && c->p[c->pos] == (uint8_t)c->delim) {
			c->pos++;
			continue;
		}
		eol(c);
		return 1;
	}
}

static const char *base_name(const char *s)
{
	const char *b = s;
	for (const char *p = s; *p; p++)
		if (*p == '/' || *p == '\\')
			b = p + 1;
	return b;
}

static int prepare(struct csv *c, const uint8_t *buf, size_t len, struct cg_sbuf *dec)
{
	char enc[32];
	size_t bom;
	int rc = CG_OK;

	switch (cg_text_sniff(buf, len, &bom, enc)) {
	case CG_ENC_UTF16LE:
	case CG_ENC_UTF16BE:
		rc = cg_utf16_to_utf8(buf + bom, len - bom, enc[6] == 'L', dec);
		c->p = (const uint8_t *)(dec->p ? dec->p : "");
		c->len = dec->n;
		break;
	case CG_ENC_CP1258:
		c->cp1258 = 1;
		/* fall through */
	default:
		c->p = buf + bom;
		c->len = len - bom;
		break;
	}
	snprintf(c->b.t->encoding, sizeof(c->b.t->encoding), "%s", enc);
	return rc;
}

int cg_table_read_csv(const uint8_t *buf, size_t len, const char *source, struct cg_table **out,
                      struct cg_diags *d)
{
	struct cg_sbuf dec = {0};
	struct csv c;
	int rc;

	if (!out || (!buf && len))
		return CG_EINVAL;
	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.src = source ? source : "?";
	c.d = d;
	c.line = 1;
	c.noquote = 0;
	c.field.max = CG_MAX_TABLE_CELL + 16;
	if (len > CG_MAX_TABLE_INPUT)
		return cg_diags_add(d, CG_ELIMIT, c.src, 0, 0,
		                    CG_MSG("tệp lớn quá %lu byte", "file larger than %lu bytes"),
		                    (unsigned long)CG_MAX_TABLE_INPUT);
	if ((rc = cg_tb_init(&c.b, CG_TABLE_CSV)) != CG_OK)
		return rc;
	rc = prepare(&c, buf ? buf : (const uint8_t *)"", len, &dec);
	if (rc == CG_OK)
		rc = cg_tb_sheet(&c.b, base_name(c.src));
	if (rc == CG_OK) {
		c.delim = detect_delim(c.p, c.len);
		c.b.t->delimiter = c.delim;
	}
	while (rc == CG_OK && (rc = record(&c)) == 1)
		rc = CG_OK;
	cg_sbuf_free(&c.field);
	cg_sbuf_free(&dec);
	if (rc < 0) {
		cg_tb_abort(&c.b);
		return rc;
	}
	if (c.legacy[0])
		snprintf(c.b.t->encoding, sizeof(c.b.t->encoding), "%s", c.legacy);
	*out = c.b.t;
	return CG_OK;
}

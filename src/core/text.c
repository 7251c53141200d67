/* text.c - encodings and Vietnamese text helpers: decoding unknown bytes to NFC UTF-8, NFC,
 * folding for header matching. The legacy TCVN3/VNI repair lives in text_legacy.c.
 *
 * Windows-1258 is decoded with our own table rather than iconv: it is 128 entries, it behaves
 * the same on every platform (mingw has no iconv in its C library) and the unit test checks it
 * against glibc's iconv byte by byte. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "canhgac/text.h"
#include "text_int.h"
#include "banned.h"

int cg_sbuf_add(struct cg_sbuf *b, const void *s, size_t n)
{
	size_t max = b->max ? b->max : CG_MAX_TABLE_INPUT * 3;
	int rc;

	if (n > max || b->n > max - n)
		return CG_ELIMIT;
	rc = cg_grow((void **)&b->p, &b->cap, b->n + n + 1, 1, max + 1);
	if (rc)
		return rc;
	if (n)
		memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
	return CG_OK;
}

int cg_sbuf_addc(struct cg_sbuf *b, char c)
{
	if (b->n + 1 < b->cap) {
		b->p[b->n++] = c;
		b->p[b->n] = '\0';
		return CG_OK;
	}
	return cg_sbuf_add(b, &c, 1);
}

int cg_sbuf_addcp(struct cg_sbuf *b, int32_t cp)
{
	uint8_t u[4];
	utf8proc_ssize_t n;

	if (cp >= 0 && cp < 0x80)
		return cg_sbuf_addc(b, (char)cp);
	if (!utf8proc_codepoint_valid(cp))
		cp = 0xFFFD;
	n = utf8proc_encode_char(cp, u);
	return cg_sbuf_add(b, u, (size_t)n);
}

char *cg_sbuf_take(struct cg_sbuf *b)
{
	char *p = b->p;
	if (!p)
		p = cg_strdup("");
	b->p = NULL;
	b->n = b->cap = 0;
	return p;
}

void cg_sbuf_free(struct cg_sbuf *b)
{
	cg_free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
}

/* Length of the UTF-8 sequence at s, 0 when invalid. */
static size_t utf8_seq(const uint8_t *s, size_t len, int32_t *cp)
{
	uint8_t c = s[0];
	size_t n, i;
	int32_t v, min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2, v = c & 0x1F, min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3, v = c & 0x0F, min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return n;
}

int cg_utf8_valid(const uint8_t *buf, size_t len)
{
	size_t i = 0;
	int32_t cp;

	while (i < len) {
		size_t n;
		if (buf[i] < 0x80) {
			i++;
			continue;
		}
		n = utf8_seq(buf + i, len - i, &cp);
		if (!n)
			return 0;
		i += n;
	}
	return 1;
}

size_t cg_utf8_next(const uint8_t *s, size_t len, int32_t *cp)
{
	size_t n = len ? utf8_seq(s, len, cp) : 0;
	if (!n) {
		*cp = 0xFFFD;
		return len ? 1 : 0;
	}
	return n;
}

/* UTF-16 without a BOM: most text here is ASCII, so one byte of each pair is zero. */
static int utf16_guess(const uint8_t *buf, size_t len)
{
	size_t n = len < 4096 ? len : 4096, zodd = 0, zeven = 0, i;

	n &= ~(size_t)1;
	if (n < 4)
		return 0;
	for (i = 0; i < n; i += 2) {
		zeven += buf[i] == 0;
		zodd += buf[i + 1] == 0;
	}
	if (zodd * 10 >= (n / 2) * 3 && zeven * 10 < (n / 2))
		return 1; /* little endian */
	if (zeven * 10 >= (n / 2) * 3 && zodd * 10 < (n / 2))
		return 2;
	return 0;
}

enum cg_text_enc cg_text_sniff(const uint8_t *buf, size_t len, size_t *bom, char *enc)
{
	static const char *names[] = {"",         "UTF-8",    "UTF-8 BOM",
	                              "UTF-16LE", "UTF-16BE", "WINDOWS-1258"};
	enum cg_text_enc e;
	int g;

	*bom = 0;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		e = CG_ENC_UTF8_BOM;
		*bom = 3;
	} else if (len >= 2 && buf[0] == 0xFF && buf[1] == 0xFE) {
		e = CG_ENC_UTF16LE;
		*bom = 2;
	} else if (len >= 2 && buf[0] == 0xFE && buf[1] == 0xFF) {
		e = CG_ENC_UTF16BE;
		*bom = 2;
	} else if ((g = utf16_guess(buf, len)) != 0) {
		e = g == 1 ? CG_ENC_UTF16LE : CG_ENC_UTF16BE;
	} else if (cg_utf8_valid(buf, len)) {
		e = CG_ENC_UTF8;
	} else {
		e = CG_ENC_CP1258;
	}
	if (enc)
		snprintf(enc, 32, "%s", names[e]);
	return e;
}

int cg_utf16_to_utf8(const uint8_t *buf, size_t len, int le, struct cg_sbuf *out)
{
	size_t i;
	int rc = CG_OK;

	for (i = 0; i + 1 < len && rc == CG_OK; i += 2) {
		int32_t u = le ? (buf[i] | buf[i + 1] << 8) : (buf[i] << 8 | buf[i + 1]);
		if (u >= 0xD800 && u <= 0xDBFF && i + 3 < len) {
			int32_t l =
			    le ? (buf[i + 2] | buf[i + 3] << 8) : (buf[i + 2] << 8 | buf[i + 3]);
			if (l >= 0xDC00 && l <= 0xDFFF) {
				u = 0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00);
				i += 2;
			}
		}
		rc = cg_sbuf_addcp(out, u);
	}
	if (rc == CG_OK && (len & 1))
		rc = cg_sbuf_addcp(out, 0xFFFD);
	return rc;
}

/* Windows-1258, bytes 0x80..0xFF; 0 marks an undefined byte. */
static const uint16_t cp1258_hi[128] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0,      0x2039,
    0x0152, 0,      0,      0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0,      0x203A, 0x0153, 0,      0,      0x0178, 0x00A0, 0x00A1, 0x00A2, 0x00A3,
    0x00A4, 0x00A5, 0x00A6, 0x00A7, 0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
    0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7, 0x00B8, 0x00B9, 0x00BA, 0x00BB,
    0x00BC, 0x00BD, 0x00BE, 0x00BF, 0x00C0, 0x00C1, 0x00C2, 0x0102, 0x00C4, 0x00C5, 0x00C6, 0x00C7,
    0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x0300, 0x00CD, 0x00CE, 0x00CF, 0x0110, 0x00D1, 0x0309, 0x00D3,
    0x00D4, 0x01A0, 0x00D6, 0x00D7, 0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x01AF, 0x0303, 0x00DF,
    0x00E0, 0x00E1, 0x00E2, 0x0103, 0x00E4, 0x00E5, 0x00E6, 0x00E7, 0x00E8, 0x00E9, 0x00EA, 0x00EB,
    0x0301, 0x00ED, 0x00EE, 0x00EF, 0x0111, 0x00F1, 0x0323, 0x00F3, 0x00F4, 0x01A1, 0x00F6, 0x00F7,
    0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x01B0, 0x20AB, 0x00FF,
};

int cg_cp1258_to_utf8(const uint8_t *buf, size_t len, struct cg_sbuf *out)
{
	size_t i;
	int rc = CG_OK;

	for (i = 0; i < len && rc == CG_OK; i++) {
		if (buf[i] < 0x80)
			rc = cg_sbuf_addc(out, (char)buf[i]);
		else
			rc = cg_sbuf_addcp(out, cp1258_hi[buf[i] - 0x80] ? cp1258_hi[buf[i] - 0x80]
			                                                 : 0xFFFD);
	}
	return rc;
}

int cg_cp1258_byte(int32_t cp)
{
	int i;
	if (cp >= 0 && cp < 0x80)
		return (int)cp;
	for (i = 0; i < 128; i++)
		if (cp1258_hi[i] && cp1258_hi[i] == cp)
			return 0x80 + i;
	return -1;
}

int cg_text_nfc_valid(const char *s, size_t len, char **out)
{
	utf8proc_uint8_t *dst = NULL;
	utf8proc_ssize_t n;
	size_t i;

	for (i = 0; i < len && (unsigned char)s[i] < 0x80; i++)
		;
	if (i == len) {
		*out = cg_strndup(s, len);
		return *out ? CG_OK : CG_ENOMEM;
	}
	if (len > ((size_t)1 << 30))
		return CG_ELIMIT;
	n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &dst,
	                 UTF8PROC_COMPOSE | UTF8PROC_STABLE);
	if (n < 0)
		return n == UTF8PROC_ERROR_NOMEM ? CG_ENOMEM : CG_EPARSE;
	/* Copy into our allocator so callers free with cg_free and tests can fail it. */
	*out = cg_malloc((size_t)n + 1);
	if (*out) {
		memcpy(*out, dst, (size_t)n);
		(*out)[n] = '\0';
	}
	free(dst);
	return *out ? CG_OK : CG_ENOMEM;
}

int cg_text_nfc(const char *s, size_t len, char **out)
{
	if (!s || !out)
		return CG_EINVAL;
	*out = NULL;
	if (!cg_utf8_valid((const uint8_t *)s, len))
		return CG_EPARSE;
	/* utf8proc_map would stop at an embedded NUL only with UTF8PROC_NULLTERM; we pass len. */
	return cg_text_nfc_valid(s, len, out);
}

int cg_text_decode(const uint8_t *buf, size_t len, char **out, size_t *out_len, char *enc)
{
	struct cg_sbuf b = {0};
	char encname[32];
	size_t bom;
	int rc;

	if (!buf && len)
		return CG_EINVAL;
	*out = NULL;
	if (len > CG_MAX_TABLE_INPUT)
		return CG_ELIMIT;
	switch (cg_text_sniff(buf, len, &bom, encname)) {
	case CG_ENC_UTF16LE:
		rc = cg_utf16_to_utf8(buf + bom, len - bom, 1, &b);
		break;
	case CG_ENC_UTF16BE:
		rc = cg_utf16_to_utf8(buf + bom, len - bom, 0, &b);
		break;
	case CG_ENC_CP1258:
		rc = cg_cp1258_to_utf8(buf, len, &b);
		break;
	default:
		rc = cg_sbuf_add(&b, buf + bom, len - bom);
		break;
	}
	if (rc == CG_OK)
		rc = cg_text_nfc_valid(b.p ? b.p : "", b.n, out);
	cg_sbuf_free(&b);
	if (rc)
		return rc;
	if (out_len)
		*out_len = strlen(*out);
	if (enc)
		snprintf(enc, 32, "%s", encname);
	return CG_OK;
}

/* Tone and vowel marks removed by folding; everything else of category M is removed too. */
static int fold_cp(int32_t cp)
{
	if (cp == 0x0111 || cp == 0x0110)
		return 'd';
	return (int)utf8proc_tolower(cp);
}

int cg_text_fold(const char *s, size_t len, char **out)
{
	utf8proc_uint8_t *dec = NULL;
	utf8proc_ssize_t n, i = 0;
	struct cg_sbuf b = {0};
	int rc = CG_OK, space = 0;

	if (!s || !out)
		return CG_EINVAL;
	*out = NULL;
	if (!cg_utf8_valid((const uint8_t *)s, len))
		return CG_EPARSE;
	if (len > ((size_t)1 << 30))
		return CG_ELIMIT;
	n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &dec,
	                 UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD |
	                     UTF8PROC_STABLE);
	if (n < 0)
		return n == UTF8PROC_ERROR_NOMEM ? CG_ENOMEM : CG_EPARSE;
	while (i < n && rc == CG_OK) {
		int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(dec + i, n - i, &cp);
		utf8proc_category_t cat;
		if (k <= 0)
			break;
		i += k;
		cat = utf8proc_category(cp);
		if (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME)
			continue;
		if ((cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
		    (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO)) {
			if (space && b.n)
				rc = cg_sbuf_addc(&b, ' ');
			space = 0;
			if (rc == CG_OK)
				rc = cg_sbuf_addcp(&b, fold_cp(cp));
		} else {
			space = 1;
		}
	}
	free(dec);
	if (rc == CG_OK) {
		*out = cg_sbuf_take(&b);
		rc = *out ? CG_OK : CG_ENOMEM;
	}
	cg_sbuf_free(&b);
	return rc;
}

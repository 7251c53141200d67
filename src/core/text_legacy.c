/* text_legacy.c - repairs Vietnamese typed in the legacy font encodings TCVN3 (TCVN 5712 "ABC",
 * fonts .VnTime...) and VNI (fonts VNI-Times...), which reach us read as Windows-1258 or
 * Latin-1: "Tªn botnet" or "Teân botnet" for "Tên botnet".
 *
 * Conversion is conservative: text is converted only when it is not plausible Vietnamese as it
 * stands and the TCVN3 or VNI reading of its bytes is. Plausible means every word that has a
 * non-ASCII letter is a Vietnamese syllable (initial consonant, a known vowel nucleus, a final
 * consonant, at most one tone) and no Latin-1 symbol (§ « ª ¨ ...) is left over. */
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "canhgac/text.h"
#include "text_int.h"
#include "banned.h"

/* TCVN3: bytes 0xA1..0xFE; 0 = not a TCVN3 letter. Capitals with tones are typed with the
 * same codes in the "H" fonts (.VnTimeH), so they decode as small letters. */
static const uint16_t tcvn3[94] = {
    /* A1 */ 0x0102,
    0x00C2,
    0x00CA,
    0x00D4,
    0x01A0,
    0x01AF,
    0x0110,
    0x0103,
    0x00E2,
    0x00EA,
    /* AB */ 0x00F4,
    0x01A1,
    0x01B0,
    0x0111,
    0,
    0,
    0,
    0,
    0,
    0,
    /* B5 */ 0x00E0,
    0x1EA3,
    0x00E3,
    0x00E1,
    0x1EA1,
    0,
    0x1EB1,
    0x1EB3,
    0x1EB5,
    0x1EAF,
    /* BF */ 0,
    0,
    0,
    0,
    0,
    0,
    0,
    0x1EB7,
    0x1EA7,
    0x1EA9,
    /* C9 */ 0x1EAB,
    0x1EA5,
    0x1EAD,
    0x00E8,
    0,
    0x1EBB,
    0x1EBD,
    0x00E9,
    0x1EB9,
    0x1EC1,
    /* D3 */ 0x1EC3,
    0x1EC5,
    0x1EBF,
    0x1EC7,
    0x00EC,
    0x1EC9,
    0,
    0,
    0,
    0x0129,
    /* DD */ 0x00ED,
    0x1ECB,
    0x00F2,
    0,
    0x1ECF,
    0x00F5,
    0x00F3,
    0x1ECD,
    0x1ED3,
    0x1ED5,
    /* E7 */ 0x1ED7,
    0x1ED1,
    0x1ED9,
    0x1EDD,
    0x1EDF,
    0x1EE1,
    0x1EDB,
    0x1EE3,
    0x00F9,
    0,
    /* F1 */ 0x1EE7,
    0x0169,
    0x00FA,
    0x1EE5,
    0x1EEB,
    0x1EED,
    0x1EEF,
    0x1EE9,
    0x1EF1,
    0x1EF3,
    /* FB */ 0x1EF7,
    0x1EF9,
    0x00FD,
    0x1EF5,
};

static int tcvn3_decode(const uint8_t *b, size_t n, struct cg_sbuf *o)
{
	size_t i;
	int rc = CG_OK, hi = 0;

	for (i = 0; i < n && rc == CG_OK; i++) {
		if (b[i] < 0x80) {
			rc = cg_sbuf_addc(o, (char)b[i]);
			continue;
		}
		if (b[i] < 0xA1 || b[i] > 0xFE || !tcvn3[b[i] - 0xA1])
			return 0;
		rc = cg_sbuf_addcp(o, tcvn3[b[i] - 0xA1]);
		hi = 1;
	}
	return rc ? rc : hi;
}

/* VNI: a base letter followed by one mark byte, plus a few single-byte letters. */
enum { M_CIRC = 1, M_BREVE = 2 };
static const int32_t tone_cp[6] = {0, 0x0300, 0x0301, 0x0309, 0x0303, 0x0323};

struct vni_mark {
	uint8_t lower, upper, mod, tone; /* tone: 1 grave, 2 acute, 3 hook, 4 tilde, 5 dot */
};
static const struct vni_mark vni_marks[] = {
    {0xF9, 0xD9, 0, 2},       {0xF8, 0xD8, 0, 1},       {0xFB, 0xDB, 0, 3},
    {0xF5, 0xD5, 0, 4},       {0xEF, 0xCF, 0, 5},       {0xE2, 0xC2, M_CIRC, 0},
    {0xEA, 0xCA, M_BREVE, 0}, {0xE1, 0xC1, M_CIRC, 2},  {0xE0, 0xC0, M_CIRC, 1},
    {0xE5, 0xC5, M_CIRC, 3},  {0xE3, 0xC3, M_CIRC, 4},  {0xE4, 0xC4, M_CIRC, 5},
    {0xE9, 0xC9, M_BREVE, 2}, {0xE8, 0xC8, M_BREVE, 1}, {0xFA, 0xDA, M_BREVE, 3},
    {0xFC, 0xDC, M_BREVE, 4}, {0xEB, 0xCB, M_BREVE, 5},
};

struct vni_single {
	uint8_t lower, upper;
	uint16_t cp_lower, cp_upper;
	uint8_t vowel; /* takes a tone mark after it (ơ, ư) */
};
static const struct vni_single vni_singles[] = {
    {0xF4, 0xD4, 0x01A1, 0x01A0, 1}, {0xF6, 0xD6, 0x01B0, 0x01AF, 1},
    {0xF1, 0xD1, 0x0111, 0x0110, 0}, {0xEC, 0xCC, 0x00EC, 0x00CC, 0},
    {0xED, 0xCD, 0x00ED, 0x00CD, 0}, {0xE6, 0xC6, 0x1EC9, 0x1EC8, 0},
    {0xF3, 0xD3, 0x0129, 0x0128, 0}, {0xF2, 0xD2, 0x1ECB, 0x1ECA, 0},
    {0xEE, 0xCE, 0x1EF5, 0x1EF4, 0},
};

static const struct vni_mark *vni_mark_of(uint8_t c)
{
	for (size_t i = 0; i < sizeof(vni_marks) / sizeof(vni_marks[0]); i++)
		if (vni_marks[i].lower == c || vni_marks[i].upper == c)
			return &vni_marks[i];
	return NULL;
}

static int vni_single_of(uint8_t c, int32_t *cp, int *vowel)
{
	for (size_t i = 0; i < sizeof(vni_singles) / sizeof(vni_singles[0]); i++) {
		if (vni_singles[i].lower == c || vni_singles[i].upper == c) {
			*cp = c == vni_singles[i].lower ? vni_singles[i].cp_lower
			                                : vni_singles[i].cp_upper;
			*vowel = vni_singles[i].vowel;
			return 1;
		}
	}
	return 0;
}

/* Returns 1 when decoded, 0 when the bytes are not VNI, or an error. base: the letter a mark
 * may follow ('a', 'e', 'o', 'i', 'u', 'y' lower-cased, 'P' for ơ/ư), 0 when none. */
static int vni_decode(const uint8_t *b, size_t n, struct cg_sbuf *o)
{
	const struct vni_mark *m;
	int rc = CG_OK, hi = 0, base = 0, vowel;
	int32_t cp;
	size_t i;

	for (i = 0; i < n && rc == CG_OK; i++) {
		uint8_t c = b[i];
		if (c < 0x80) {
			int l = c | 0x20;
			base =
			    (l == 'a' || l == 'e' || l == 'o' || l == 'i' || l == 'u' || l == 'y')
			        ? l
			        : 0;
			rc = cg_sbuf_addc(o, (char)c);
			continue;
		}
		hi = 1;
		if (vni_single_of(c, &cp, &vowel)) {
			base = vowel ? 'P' : 0;
			rc = cg_sbuf_addcp(o, cp);
			continue;
		}
		m = vni_mark_of(c);
		if (!m || !base ||
		    (m->mod == M_CIRC && base != 'a' && base != 'e' && base != 'o') ||
		    (m->mod == M_BREVE && base != 'a'))
			return 0;
		if (m->mod)
			rc = cg_sbuf_addcp(o, m->mod == M_CIRC ? 0x0302 : 0x0306);
		if (rc == CG_OK && m->tone)
			rc = cg_sbuf_addcp(o, tone_cp[m->tone]);
		base = 0;
	}
	return rc ? rc : hi;
}

/* Vowel nuclei of Vietnamese syllables, toneless, coded one byte per letter:
 * A = â, W = ă, E = ê, O = ô, P = ơ, U = ư. */
static const char *const nuclei[] = {
    "a",   "W",   "A",   "e",   "E",   "i",   "o",   "O",   "P",   "u",   "U",   "y",   "ai", "ao",
    "au",  "ay",  "Au",  "Ay",  "eo",  "Eu",  "ia",  "iE",  "iu",  "oa",  "oW",  "oe",  "oi", "Oi",
    "Pi",  "ua",  "uA",  "uE",  "ui",  "uO",  "uP",  "uy",  "Ua",  "Ui",  "UP",  "Uu",  "yE", "oo",
    "iEu", "yEu", "oai", "oay", "oeo", "uAy", "uOi", "UPi", "UPu", "uya", "uyE", "uyu",
};
static const char *const initials[] = {"ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu",
                                       "th",  "tr", "b",  "c",  "d",  "D",  "g",  "h",  "k",
                                       "l",   "m",  "n",  "p",  "r",  "s",  "t",  "v",  "x"};
static const char *const finals[] = {"ch", "ng", "nh", "c", "m", "n", "p", "t"};

static int is_nucleus(const char *w, size_t n)
{
	for (size_t i = 0; i < sizeof(nuclei) / sizeof(nuclei[0]); i++)
		if (strlen(nuclei[i]) == n && memcmp(nuclei[i], w, n) == 0)
			return 1;
	return 0;
}

static int nucleus_with_final(const char *w, size_t n)
{
	if (is_nucleus(w, n))
		return 1;
	for (size_t f = 0; f < sizeof(finals) / sizeof(finals[0]); f++) {
		size_t fl = strlen(finals[f]);
		if (fl < n && memcmp(w + n - fl, finals[f], fl) == 0 && is_nucleus(w, n - fl))
			return 1;
	}
	return 0;
}

static int syllable_ok(const char *w, size_t n)
{
	if (nucleus_with_final(w, n))
		return 1;
	for (size_t i = 0; i < sizeof(initials) / sizeof(initials[0]); i++) {
		size_t il = strlen(initials[i]);
		if (il < n && memcmp(w, initials[i], il) == 0 && nucleus_with_final(w + il, n - il))
			return 1;
	}
	return 0;
}

/* Codes one letter (lower case) into *code and counts its tone; 0 when it is not a letter of
 * the Vietnamese alphabet. */
static int code_letter(int32_t cp, char *code, int *tones)
{
	utf8proc_int32_t d[4];
	int last = 0, mod = 0;
	utf8proc_ssize_t n, i;
	int32_t base;

	if (cp == 0x0111) {
		*code = 'D';
		return 1;
	}
	n = utf8proc_decompose_char(cp, d, 4, UTF8PROC_DECOMPOSE, &last);
	if (n < 1 || n > 4 || d[0] < 'a' || d[0] > 'z')
		return 0;
	base = d[0];
	for (i = 1; i < n; i++) {
		if (d[i] == 0x0302 || d[i] == 0x0306 || d[i] == 0x031B) {
			if (mod)
				return 0;
			mod = d[i];
		} else if (d[i] == 0x0300 || d[i] == 0x0301 || d[i] == 0x0303 || d[i] == 0x0309 ||
		           d[i] == 0x0323) {
			if (!strchr("aeiouy", base))
				return 0;
			(*tones)++;
		} else {
			return 0;
		}
	}
	if (base == 'f' || base == 'j' || base == 'w' || base == 'z')
		return 0;
	*code = (char)base;
	if (mod == 0x0302 && (base == 'a' || base == 'e' || base == 'o'))
		*code = (char)(base == 'a' ? 'A' : base == 'e' ? 'E' : 'O');
	else if (mod == 0x0306 && base == 'a')
		*code = 'W';
	else if (mod == 0x031B && (base == 'o' || base == 'u'))
		*code = (char)(base == 'o' ? 'P' : 'U');
	else if (mod)
		return 0;
	return 1;
}

/* Checks one word (letters only). Returns 1 valid syllable, 0 ASCII-only, -1 invalid. */
static int word_check(const uint8_t *s, size_t n)
{
	char w[16];
	size_t i = 0, k = 0;
	int tones = 0, nonascii = 0;

	while (i < n) {
		int32_t cp;
		i += cg_utf8_next(s + i, n - i, &cp);
		nonascii |= cp >= 0x80;
		if (k >= sizeof(w) || !code_letter((int32_t)utf8proc_tolower(cp), &w[k], &tones))
			k = sizeof(w) + 1;
		else
			k++;
	}
	if (!nonascii)
		return 0;
	if (k > sizeof(w) || tones > 1)
		return -1;
	return syllable_ok(w, k) ? 1 : -1;
}

static int is_letter(int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);
	if (cp >= 0xA1 && cp <= 0xBF)
		return 0; /* Latin-1 symbols, even ª º µ: TCVN3 letters in disguise */
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
	       (c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME);
}

/* Counts valid non-ASCII words; -1 when something is not Vietnamese. */
static int vi_score(const char *s, size_t len)
{
	const uint8_t *u = (const uint8_t *)s;
	size_t i = 0, start = 0;
	int good = 0, in = 0;

	while (i <= len) {
		int32_t cp = 0;
		size_t k = i < len ? cg_utf8_next(u + i, len - i, &cp) : 1;
		int letter = i < len && is_letter(cp);
		if (letter && !in) {
			start = i;
			in = 1;
		} else if (!letter && in) {
			int r = word_check(u + start, i - start);
			if (r < 0)
				return -1;
			good += r;
			in = 0;
		}
		if (!letter && ((cp >= 0xA1 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
		                (cp >= 0x80 && cp < 0xA0) || cp == 0xFFFD))
			return -1;
		i += k;
	}
	return good;
}

int cg_text_plausible_vi(const char *s, size_t len)
{
	return vi_score(s, len) > 0;
}

/* Decodes b with one legacy decoder; returns the score of the result (> 0 plausible) and the
 * NFC text in *out, 0 when not plausible, or an error. */
static int try_decode(int (*dec)(const uint8_t *, size_t, struct cg_sbuf *), const uint8_t *b,
                      size_t n, char **out)
{
	struct cg_sbuf sb = {0};
	int rc = dec(b, n, &sb), score = 0;

	*out = NULL;
	if (rc == 1) {
		rc = cg_text_nfc_valid(sb.p ? sb.p : "", sb.n, out);
		if (rc == CG_OK) {
			score = vi_score(*out, strlen(*out));
			if (score <= 0) {
				cg_free(*out);
				*out = NULL;
				score = 0;
			}
		}
	}
	cg_sbuf_free(&sb);
	return rc < 0 ? rc : score;
}

/* Picks the plausible reading of b; ties between TCVN3 and VNI are left alone. */
static int pick(const uint8_t *b, size_t n, char **out, char *enc)
{
	char *t = NULL, *v = NULL;
	int st = try_decode(tcvn3_decode, b, n, &t), sv;

	if (st < 0)
		return st;
	sv = try_decode(vni_decode, b, n, &v);
	if (sv < 0) {
		cg_free(t);
		return sv;
	}
	if (st > sv || (st && sv == st && strcmp(t, v) == 0)) {
		*out = t;
		cg_free(v);
		snprintf(enc, 32, "TCVN3");
		return 1;
	}
	if (sv > st) {
		*out = v;
		cg_free(t);
		snprintf(enc, 32, "VNI");
		return 1;
	}
	cg_free(t);
	cg_free(v);
	return 0;
}

int cg_text_legacy_bytes(const uint8_t *b, size_t len, char **out, char *enc)
{
	struct cg_sbuf sb = {0};
	char *orig = NULL;
	int rc;

	*out = NULL;
	if (len > CG_MAX_TABLE_CELL)
		return 0;
	rc = cg_cp1258_to_utf8(b, len, &sb);
	if (rc == CG_OK)
		rc = cg_text_nfc_valid(sb.p ? sb.p : "", sb.n, &orig);
	cg_sbuf_free(&sb);
	if (rc)
		return rc;
	rc = vi_score(orig, strlen(orig)) > 0 ? 0 : pick(b, len, out, enc);
	cg_free(orig);
	return rc;
}

/* The bytes a legacy program stored, as Latin-1 (mode 0) or Windows-1258 (mode 1) would have
 * shown them. Windows-1258 readers leave tone marks as combining characters that NFC may have
 * composed with the letter before them, so composed letters are split again. */
static int to_bytes(const char *s, size_t len, int mode, struct cg_sbuf *o)
{
	const uint8_t *u = (const uint8_t *)s;
	size_t i = 0;
	int rc = CG_OK;

	while (i < len && rc == CG_OK) {
		int32_t cp;
		int byte;
		i += cg_utf8_next(u + i, len - i, &cp);
		byte = mode == 0 ? (cp < 0x100 ? (int)cp : -1) : cg_cp1258_byte(cp);
		if (byte < 0 && mode == 1) {
			utf8proc_int32_t d[4];
			int last = 0;
			utf8proc_ssize_t n =
			    utf8proc_decompose_char(cp, d, 4, UTF8PROC_DECOMPOSE, &last);
			for (utf8proc_ssize_t k = 0; k < n && k < 4 && rc == CG_OK; k++) {
				if ((byte = cg_cp1258_byte(d[k])) < 0)
					return 0;
				rc = cg_sbuf_addc(o, (char)byte);
			}
			if (n < 1)
				return 0;
			continue;
		}
		if (byte < 0)
			return 0;
		rc = cg_sbuf_addc(o, (char)byte);
	}
	return rc ? rc : 1;
}

int cg_text_legacy_fix(const char *s, size_t len, char **out, char *enc)
{
	int rc = 0;

	if (!s || !out || !enc)
		return CG_EINVAL;
	*out = NULL;
	if (len > CG_MAX_TABLE_CELL || !cg_utf8_valid((const uint8_t *)s, len))
		return 0;
	if (vi_score(s, len) > 0)
		return 0;
	for (int mode = 0; mode < 2 && rc == 0; mode++) {
		struct cg_sbuf sb = {0};
		rc = to_bytes(s, len, mode, &sb);
		if (rc == 1 && sb.n)
			rc = pick((const uint8_t *)sb.p, sb.n, out, enc);
		else if (rc == 1)
			rc = 0;
		cg_sbuf_free(&sb);
	}
	return rc;
}

/* text_int.h - pieces of the text helpers shared inside src/core (text.c, text_legacy.c and the
 * table readers): a growable byte buffer, encoding sniffing and the single-byte decoders. */
#ifndef CANHGAC_TEXT_INT_H
#define CANHGAC_TEXT_INT_H

#include <stddef.h>
#include <stdint.h>

/* A growable NUL-terminated byte buffer capped at `max` bytes (CG_ELIMIT past it). */
struct cg_sbuf {
	char *p;
	size_t n, cap, max;
};

int cg_sbuf_add(struct cg_sbuf *b, const void *s, size_t n);
int cg_sbuf_addc(struct cg_sbuf *b, char c);
/* Appends code point cp as UTF-8 (U+FFFD when cp is not a scalar value). */
int cg_sbuf_addcp(struct cg_sbuf *b, int32_t cp);
/* Returns the text (never NULL on success, "" when empty) and resets the buffer. */
char *cg_sbuf_take(struct cg_sbuf *b);
void cg_sbuf_free(struct cg_sbuf *b);

enum cg_text_enc {
	CG_ENC_UTF8 = 1,
	CG_ENC_UTF8_BOM,
	CG_ENC_UTF16LE,
	CG_ENC_UTF16BE,
	CG_ENC_CP1258,
};

/* Decides what the bytes are (see cg_text_decode) and how many leading BOM bytes to skip;
 * enc (>= 32 bytes) receives the name. */
enum cg_text_enc cg_text_sniff(const uint8_t *buf, size_t len, size_t *bom, char *enc);

/* 1 when buf is valid UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF). */
int cg_utf8_valid(const uint8_t *buf, size_t len);
/* Decodes one UTF-8 sequence at s (valid UTF-8 assumed, else returns 1 byte as U+FFFD). */
size_t cg_utf8_next(const uint8_t *s, size_t len, int32_t *cp);

/* Appends UTF-16 (le != 0: little endian) as UTF-8; unpaired surrogates become U+FFFD. */
int cg_utf16_to_utf8(const uint8_t *buf, size_t len, int le, struct cg_sbuf *out);
/* Appends Windows-1258 bytes as UTF-8 (not normalised); undefined bytes become U+FFFD. */
int cg_cp1258_to_utf8(const uint8_t *buf, size_t len, struct cg_sbuf *out);
/* The Windows-1258 byte of a code point, or -1. */
int cg_cp1258_byte(int32_t cp);

/* NFC of UTF-8 text that is known valid; ASCII is copied without calling utf8proc. */
int cg_text_nfc_valid(const char *s, size_t len, char **out);

/* Legacy check on raw single-byte text (a CSV cell saved by a program using TCVN3 or VNI
 * fonts): returns 1 with *out (NFC UTF-8) and enc set when the bytes read as TCVN3 or VNI are
 * plausible Vietnamese while the bytes read as Windows-1258 are not; 0 otherwise. */
int cg_text_legacy_bytes(const uint8_t *b, size_t len, char **out, char *enc);

/* 1 when the NFC UTF-8 text has at least one non-ASCII word and all such words are
 * Vietnamese syllables, with no stray Latin-1 symbols. */
int cg_text_plausible_vi(const char *s, size_t len);

#endif

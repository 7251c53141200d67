/* text.h - text encodings and Vietnamese text helpers (engine, no I/O).
 *
 * Vietnamese text arrives in many forms: UTF-8 with or without a BOM, UTF-16, Windows-1258
 * (base letters plus combining tone marks), the legacy font encodings TCVN3 (ABC) and VNI, and
 * Unicode in decomposed form (NFD). Everything inside canhgac is UTF-8 in NFC.
 */
#ifndef CANHGAC_TEXT_H
#define CANHGAC_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Decodes bytes of unknown encoding to NFC UTF-8: a BOM decides first (UTF-8, UTF-16LE/BE);
 * then UTF-16 without BOM is recognised by its zero bytes; valid UTF-8 stays UTF-8; otherwise
 * Windows-1258. *out is allocated and NUL-terminated; enc (>= 32 bytes) receives the name of
 * what was found ("UTF-8", "UTF-8 BOM", "UTF-16LE", "UTF-16BE", "WINDOWS-1258"). */
int cg_text_decode(const uint8_t *buf, size_t len, char **out, size_t *out_len, char *enc);

/* Returns the NFC form of UTF-8 text (allocated); invalid UTF-8 gives CG_EPARSE. */
int cg_text_nfc(const char *s, size_t len, char **out);

/* When UTF-8 text looks like TCVN3 or VNI text that was read as Windows-1258/Latin-1 (as legacy
 * headers do), converts it to proper NFC Vietnamese: returns 1 and *out (allocated), and the
 * encoding name ("TCVN3" or "VNI") in enc; 0 when the text does not look legacy. */
int cg_text_legacy_fix(const char *s, size_t len, char **out, char *enc);

/* Folds text for matching headers and names: NFC, lower case, Vietnamese diacritics removed,
 * đ -> d, runs of spaces/punctuation -> one space, trimmed. "Tên Botnet / Mã độc" ->
 * "ten botnet ma doc". *out is allocated. */
int cg_text_fold(const char *s, size_t len, char **out);

#endif

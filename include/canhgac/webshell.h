/* webshell.h - web-shell markers: a data file of patterns (data/webshell-markers.txt, editable
 * in DATA_DIR) and a matcher over a file's bytes (core: no I/O).
 *
 * The data file is a list of blocks, one per marker:
 *
 *     # a comment
 *     [php.eval_base64]
 *     severity = high
 *     literal = base64_decode
 *     regex = (?i)\beval\s*\(\s*@?\s*base64_decode\s*\(
 *     vi = Thực thi mã ẩn trong base64
 *     en = Runs code hidden in base64
 *
 * `literal` (required, 2 to CG_MAX_WS_LITERAL bytes) is matched without regard to ASCII case by
 * a fast prefilter over the whole buffer; only when it occurs is `regex` (optional, PCRE2,
 * compiled with JIT when available) run to confirm, under match and depth limits so that a
 * hostile file cannot stall the matcher. Without a regex the literal alone is the marker. Ids
 * are unique: letters, digits and ._- only. A compiled set is read-only and may be shared by
 * threads.
 */
#ifndef CANHGAC_WEBSHELL_H
#define CANHGAC_WEBSHELL_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/error.h"
#include "canhgac/event.h"

struct cg_webshell;

struct cg_wsmark {
	const char *id;
	enum cg_severity severity;
	const char *literal;
	const char *regex; /* NULL when the literal alone decides */
	const char *desc_vi, *desc_en;
	unsigned long line; /* of its [id] line in the data file */
};

/* Parses and compiles a markers file of len bytes (source names it in diagnostics). Every
 * problem is a diagnostic; the first one makes the whole file fail (CG_EPARSE), since a silently
 * dropped marker would be a blind spot. *out is freed with cg_webshell_free. */
int cg_webshell_parse(const void *buf, size_t len, const char *source, struct cg_webshell **out,
                      struct cg_diags *d);
void cg_webshell_free(struct cg_webshell *ws);

size_t cg_webshell_count(const struct cg_webshell *ws);
const struct cg_wsmark *cg_webshell_get(const struct cg_webshell *ws, size_t i);
/* The index of the marker with this id, or -1. */
long cg_webshell_find(const struct cg_webshell *ws, const char *id);

/* Calls cb(arg, i) once for each marker i found in buf[0..len), in the order of the file. A
 * non-zero return from cb stops and is returned. A regex that hits its limits counts as no
 * match. Returns 0, cb's value, or CG_ENOMEM. */
int cg_webshell_match(const struct cg_webshell *ws, const void *buf, size_t len,
                      int (*cb)(void *arg, size_t i), void *arg);

/* Server-script extensions run by web servers (.php .phtml .php5 .phar .jsp .jspx .aspx .asp
 * .ashx .asmx .cer .shtml ...), matched without regard to case on the base name of path[0..len).
 * Returns CG_WS_SCRIPT when the last extension is one, CG_WS_DOUBLE_EXT when an earlier one is
 * (x.php.jpg: Apache's AddHandler runs it), else 0. */
enum { CG_WS_SCRIPT = 1, CG_WS_DOUBLE_EXT = 2 };
int cg_webshell_script_ext(const char *path, size_t len);

/* 1 when path[0..len) is in a web root by default: /var/www and below, or a path with a
 * component htdocs, public_html or wwwroot (any case; '/' and '\' both separate). */
int cg_webshell_default_webroot(const char *path, size_t len);

#endif

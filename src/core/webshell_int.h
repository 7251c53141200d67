/* webshell_int.h - the compiled web-shell marker set, shared by webshell.c (parsing) and
 * webshell_match.c (prefilter and matching). */
#ifndef CANHGAC_WEBSHELL_INT_H
#define CANHGAC_WEBSHELL_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdint.h>

#include "canhgac/webshell.h"

struct ws_mark {
	struct cg_wsmark pub;
	pcre2_code *code; /* NULL without a regex */
};

/* The prefilter keys each literal by its first two bytes folded to lower case: a bitmap says
 * which keys exist, and order[start[k] .. start[k+1]) lists the markers with key k. */
struct cg_webshell {
	struct ws_mark *v;
	size_t n, cap;
	uint8_t keys[65536 / 8];
	uint32_t *start; /* 65537 entries */
	uint32_t *order; /* n entries */
	pcre2_match_context *mctx;
};

/* Builds the prefilter and the match context of a parsed set. */
int cg_ws_build_prefilter(struct cg_webshell *ws);

#endif

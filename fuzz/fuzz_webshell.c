/* fuzz_webshell.c - fuzzes the web-shell markers file parser and the matcher: the input up to
 * its first NUL byte is a markers file, the rest a file's content to search (without a NUL, the
 * whole input is both); the content is also tried as a path for the extension and web-root
 * rules. */
#include <stdint.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/webshell.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int check_hit(void *arg, size_t i)
{
	const struct cg_webshell *ws = arg;
	const struct cg_wsmark *m = cg_webshell_get(ws, i);
	if (!m || !m->id || !m->literal || !m->desc_vi || !m->desc_en)
		__builtin_trap();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_webshell *ws = NULL;
	const uint8_t *nul = memchr(data, 0, size);
	size_t mlen = nul ? (size_t)(nul - data) : size;
	const uint8_t *content = nul ? nul + 1 : data;
	size_t clen = nul ? size - mlen - 1 : size;
	int ext;

	if (cg_webshell_parse(data, mlen, "fuzz", &ws, &d) == 0) {
		if (cg_webshell_count(ws) == 0 || d.n != 0)
			__builtin_trap();
		for (size_t i = 0; i < cg_webshell_count(ws); i++)
			if (cg_webshell_find(ws, cg_webshell_get(ws, i)->id) != (long)i)
				__builtin_trap();
		(void)cg_webshell_match(ws, content, clen, check_hit, ws);
	} else if (ws) {
		__builtin_trap();
	}
	ext = cg_webshell_script_ext((const char *)content, clen < 4096 ? clen : 4096);
	if (ext != 0 && ext != CG_WS_SCRIPT && ext != CG_WS_DOUBLE_EXT)
		__builtin_trap();
	(void)cg_webshell_default_webroot((const char *)content, clen < 4096 ? clen : 4096);
	cg_webshell_free(ws);
	cg_diags_clear(&d);
	return 0;
}

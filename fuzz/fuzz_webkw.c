/* fuzz_webkw.c - fuzzes the website checks' keywords data file reader (webcheck.h); the keywords
 * read are then matched against a fixed page, so that odd keywords (empty words, marks only,
 * very long aliases) go through the matcher too. */
#include <stdint.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/event.h"
#include "canhgac/html.h"
#include "canhgac/webcheck.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char page[] = "<title>Hacked by X</title><p>Chơi nổ hũ, nha cai uy tin, tài xỉu "
                           "nohu88</p><div style=display:none><a href=https://kubet.example/>"
                           "casino</a></div>";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_web_keywords *kw = NULL;
	struct cg_html_doc *doc = NULL;
	struct cg_web_findings f = {0};

	if (cg_web_keywords_parse(data, size, "fuzz", &kw, &d) == 0) {
		if (!cg_web_keywords_count(kw))
			__builtin_trap();
		if (cg_html_parse((const uint8_t *)page, sizeof(page) - 1, &doc) != 0)
			__builtin_trap();
		cg_web_analyze(kw, doc, "https://thpt-a.edu.vn/", NULL, 0.3, &f);
		for (size_t i = 0; i < f.n; i++)
			if (!cg_utf8_valid((const uint8_t *)f.v[i].what_en, strlen(f.v[i].what_en)))
				__builtin_trap();
	}
	cg_web_findings_clear(&f);
	cg_html_free(doc);
	cg_web_keywords_free(kw);
	cg_diags_clear(&d);
	return 0;
}

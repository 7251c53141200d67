/* fuzz_html.c - fuzzes the HTML scanner and the website check engine: the input is a page,
 * checked alone, against the baseline of a fixed school page, and against that page as the
 * crawler's view. The text, the runs and every finding's evidence must stay consistent. */
#include <stdint.h>
#include <string.h>

#include "canhgac/event.h"
#include "canhgac/html.h"
#include "canhgac/webcheck.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char kw_csv[] = "keyword,category\nnổ hũ,gambling\nnhà cái|nha cai uy tin,gambling\n"
                             "bet,gambling\nkubet,gambling\nhacked by,defacement\n";
static const char school[] = "<title>Trường THPT A</title><p>Lịch thi học kỳ một của nhà trường "
                             "đã được công bố trên bảng tin</p><a href=https://moet.gov.vn/>Bộ</a>";

static void check_doc(const struct cg_html_doc *d)
{
	uint32_t last = 0;
	if (!cg_utf8_valid((const uint8_t *)d->text, d->text_len) || strlen(d->text) != d->text_len)
		__builtin_trap();
	for (size_t i = 0; i < d->nsegs; i++) {
		if (d->segs[i].text_off < last || d->segs[i].text_off > d->text_len)
			__builtin_trap();
		last = d->segs[i].text_off;
	}
	for (size_t i = 0; i < d->nrefs; i++)
		if (!d->refs[i].url || !d->refs[i].text)
			__builtin_trap();
}

static void check_findings(const struct cg_web_findings *f)
{
	for (size_t i = 0; i < f->n; i++) {
		const struct cg_web_finding *x = &f->v[i];
		if (!cg_utf8_valid((const uint8_t *)x->snippet, strlen(x->snippet)) ||
		    !x->what_en[0] || !x->what_vi[0])
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cg_web_keywords *kw;
	struct cg_html_doc *d = NULL, *ref = NULL;
	struct cg_web_findings f = {0};
	struct cg_web_page bl, pg;

	if (!kw && cg_web_keywords_parse((const uint8_t *)kw_csv, sizeof(kw_csv) - 1, "kw", &kw,
	                                 NULL) != 0)
		__builtin_trap();
	if (cg_html_parse(data, size, &d) != 0)
		return 0;
	check_doc(d);
	if (cg_html_parse((const uint8_t *)school, sizeof(school) - 1, &ref) != 0 ||
	    cg_web_page_summary(ref, &bl) != 0)
		__builtin_trap();
	if (cg_web_page_summary(d, &pg) == 0) {
		double s = cg_web_similarity(&bl, &pg);
		if (s < 0 || s > 1)
			__builtin_trap();
		cg_web_page_clear(&pg);
	}
	cg_web_analyze(kw, d, "https://thpt-a.edu.vn/", NULL, 0.3, &f);
	cg_web_analyze(kw, d, "https://thpt-a.edu.vn/", &bl, 0.3, &f);
	cg_web_cloaking(kw, ref, d, "https://thpt-a.edu.vn/", &f);
	check_findings(&f);
	cg_web_findings_clear(&f);
	cg_web_page_clear(&bl);
	cg_html_free(ref);
	cg_html_free(d);
	return 0;
}

/* enrolltok_stub.c - stands in for cg_enroll_token_decode (auth.h) until src/core/enrolltok.c
 * lands (another branch); meson builds this file only while that one is missing. It decodes
 * nothing: enrolment says the token cannot be read yet. */
#include "canhgac/auth.h"
#include "banned.h"

int cg_enroll_token_decode(const char *s, struct cg_enroll_token *t, struct cg_diags *d)
{
	(void)s;
	(void)t;
	return cg_diags_add(
	    d, CG_EUNSUPP, "token", 0, 0,
	    "bản dựng này chưa đọc được mã đăng ký (thiếu src/core/enrolltok.c)",
	    "this build cannot read enrolment tokens yet (src/core/enrolltok.c missing)");
}

/* test_yarars.c - the libyara wrapper: matching, compile errors with line numbers, refused
 * includes, modules, the shared rule folder, timeouts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <cmocka.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "canhgac/yarars.h"

struct hits {
	char names[32][128];
	int n;
};

static int collect(void *arg, const char *rule, const char *ns)
{
	struct hits *h = arg;
	if (h->n < 32)
		snprintf(h->names[h->n++], 128, "%s%s%s", ns ? ns : "", ns ? ":" : "", rule);
	return 0;
}

static int has(const struct hits *h, const char *name)
{
	for (int i = 0; i < h->n; i++)
		if (strcmp(h->names[i], name) == 0)
			return 1;
	return 0;
}

static struct cg_yarars *build(const char *src)
{
	struct cg_yarars *r = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	assert_int_equal(cg_yarars_new(&r), 0);
	assert_int_equal(cg_yarars_add_source(r, src, strlen(src), "t.yar", &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(cg_yarars_compile(r), 0);
	return r;
}

static void simple_match(void **state)
{
	static const char src[] =
	    "rule hello { strings: $a = \"hello\" condition: $a }\n"
	    "private rule p { condition: filesize > 0 }\n"
	    "rule world { strings: $b = { 77 6F ?? 6C 64 } condition: $b and p }\n";
	struct cg_yarars *r = build(src);
	struct hits h = {.n = 0};
	(void)state;
	assert_int_equal(cg_yarars_count(r), 3);
	assert_int_equal(cg_yarars_scan(r, (const uint8_t *)"say hello world", 15, 5, collect, &h),
	                 0);
	assert_int_equal(h.n, 2);
	assert_true(has(&h, "hello"));
	assert_true(has(&h, "world"));
	h.n = 0;
	assert_int_equal(cg_yarars_scan(r, (const uint8_t *)"nothing", 7, 5, collect, &h), 0);
	assert_int_equal(h.n, 0);
	assert_int_equal(cg_yarars_scan(r, NULL, 0, 0, collect, &h), 0);
	cg_yarars_free(r);
	cg_yarars_free(NULL);
}

static int stop_now(void *arg, const char *rule, const char *ns)
{
	(void)ns;
	(void)rule;
	++*(int *)arg;
	return 42;
}

static void callback_stops(void **state)
{
	struct cg_yarars *r = build("rule a { condition: true }\nrule b { condition: true }\n");
	int calls = 0;
	(void)state;
	assert_int_equal(cg_yarars_scan(r, (const uint8_t *)"x", 1, 5, stop_now, &calls), 42);
	assert_int_equal(calls, 1);
	cg_yarars_free(r);
}

static void compile_errors_have_lines(void **state)
{
	static const char bad[] = "rule ok1 { condition: true }\n"
	                          "\n"
	                          "rule broken { strings: $a = \"x\" condition: $b }\n";
	static const char good[] = "rule ok2 { condition: filesize == 3 }\n";
	struct cg_yarars *r = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	struct hits h = {.n = 0};
	(void)state;
	assert_int_equal(cg_yarars_new(&r), 0);
	assert_int_equal(cg_yarars_add_source(r, good, strlen(good), "good.yar", &d), 0);
	assert_int_equal(cg_yarars_add_source(r, bad, strlen(bad), "bad.yar", &d), CG_EPARSE);
	assert_true(d.n >= 1);
	assert_string_equal(d.v[0].source, "bad.yar");
	assert_int_equal(d.v[0].line, 3);
	assert_non_null(strstr(d.v[0].msg_en, "$b"));
	/* a syntax error too */
	assert_int_equal(cg_yarars_add_source(r, "rule x {\n condition:\n\n }", 24, "syn.yar", &d),
	                 CG_EPARSE);
	assert_string_equal(d.v[d.n - 1].source, "syn.yar");
	assert_int_equal(d.v[d.n - 1].line, 4);
	/* the earlier good source survives the refused ones */
	assert_int_equal(cg_yarars_compile(r), 0);
	assert_int_equal(cg_yarars_count(r), 1);
	assert_int_equal(cg_yarars_scan(r, (const uint8_t *)"abc", 3, 5, collect, &h), 0);
	assert_int_equal(h.n, 1);
	assert_true(has(&h, "ok2"));
	assert_int_equal(cg_yarars_add_source(r, good, strlen(good), "late.yar", &d), CG_EINVAL);
	assert_int_equal(cg_yarars_compile(r), CG_EINVAL);
	cg_diags_clear(&d);
	cg_yarars_free(r);
}

static void include_refused(void **state)
{
	static const char src[] = "include \"/etc/hostname\"\nrule a { condition: true }\n";
	struct cg_yarars *r = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	(void)state;
	assert_int_equal(cg_yarars_new(&r), 0);
	assert_int_equal(cg_yarars_add_source(r, src, strlen(src), "inc.yar", &d), CG_EPARSE);
	assert_true(d.n >= 1);
	assert_int_equal(d.v[0].line, 1);
	assert_int_equal(cg_yarars_compile(r), 0);
	assert_int_equal(cg_yarars_count(r), 0);
	/* a NUL byte inside a source is refused rather than silently truncating it */
	assert_int_equal(cg_yarars_add_source(r, "a\0b", 3, "nul.yar", &d), CG_EINVAL);
	cg_diags_clear(&d);
	cg_yarars_free(r);
}

static void modules(void **state)
{
	static const char src[] =
	    "import \"hash\"\nimport \"math\"\nimport \"pe\"\nimport \"elf\"\n"
	    "rule md5 { condition: hash.md5(0, filesize) == "
	    "\"900150983cd24fb0d6963f7d28e17f72\" }\n"
	    "rule ent { condition: math.entropy(0, filesize) < 2.0 }\n"
	    "rule notpe { condition: not pe.is_pe }\n"
	    "rule noelf { condition: not defined elf.type }\n";
	struct cg_yarars *r = build(src);
	struct hits h = {.n = 0};
	(void)state;
	assert_int_equal(cg_yarars_scan(r, (const uint8_t *)"abc", 3, 5, collect, &h), 0);
	assert_int_equal(h.n, 4);
	h.n = 0;
	assert_int_equal(cg_yarars_scan(r, (const uint8_t *)"abd", 3, 5, collect, &h), 0);
	assert_false(has(&h, "md5"));
	cg_yarars_free(r);
}

static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;
	*len = 0;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* The EICAR test file is kept base64-encoded so the repository itself does not trip scanners. */
static size_t b64dec(const char *in, uint8_t *out)
{
	static const char *al = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t acc = 0;
	int bits = 0;
	size_t n = 0;
	for (; *in && *in != '='; in++) {
		acc = acc << 6 | (uint32_t)(strchr(al, *in) - al);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (uint8_t)(acc >> bits);
		}
	}
	return n;
}

/* ../shared/data/yara-rules: every file compiles, in order, sharing private rules. */
static void shared_rules(void **state)
{
	const char *dir = "/work/shared/data/yara-rules";
	char *names[256];
	int nn = 0;
	DIR *dd = opendir(dir);
	struct dirent *e;
	struct cg_yarars *r = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	struct hits h = {.n = 0};
	uint8_t eicar[80];
	size_t neicar = b64dec("WDVPIVAlQEFQWzRcUFpYNTQoUF4pN0NDKTd9JEVJQ0FSLVNUQU5EQVJELUFOVElWSV"
	                       "JVUy1URVNULUZJTEUhJEgrSCo=",
	                       eicar);
	(void)state;
	if (!dd) {
		fprintf(stderr, "SKIP: %s missing; shared YARA rules not tested\n", dir);
		skip();
	}
	while ((e = readdir(dd)) && nn < 256) {
		size_t l = strlen(e->d_name);
		if (l > 4 && strcmp(e->d_name + l - 4, ".yar") == 0)
			names[nn++] = strdup(e->d_name);
	}
	closedir(dd);
	qsort(names, (size_t)nn, sizeof(names[0]), cmpstr);
	assert_true(nn > 0);
	assert_int_equal(cg_yarars_new(&r), 0);
	for (int i = 0; i < nn; i++) {
		char path[512];
		size_t len;
		char *src;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		src = slurp(path, &len);
		assert_non_null(src);
		if (cg_yarars_add_source(r, src, len, names[i], &d) != 0)
			fail_msg("%s: line %lu: %s", names[i], d.v[0].line, d.v[0].msg_en);
		free(src);
		free(names[i]);
	}
	assert_int_equal(cg_yarars_compile(r), 0);
	assert_true(cg_yarars_count(r) >= 20);
	assert_int_equal(neicar, 68);
	assert_int_equal(cg_yarars_scan(r, eicar, neicar, 5, collect, &h), 0);
	assert_true(h.n >= 1);
	cg_diags_clear(&d);
	cg_yarars_free(r);
}

/* A rule whose condition cannot finish in a second on 64 KiB is stopped by the time bound. */
static void timeout(void **state)
{
	static const char src[] =
	    "rule slow { condition: for all i in (0..filesize - 1) : "
	    "( for all j in (0..filesize - 1) : ( uint8(i) + uint8(j) < 1000 ) ) }\n";
	struct cg_yarars *r = build(src);
	uint8_t *buf = cg_calloc(1, 65536);
	struct hits h = {.n = 0};
	(void)state;
	assert_non_null(buf);
	assert_int_equal(cg_yarars_scan(r, buf, 65536, 1, collect, &h), CG_ETIMEOUT);
	assert_int_equal(h.n, 0);
	/* small input: finishes and matches */
	assert_int_equal(cg_yarars_scan(r, buf, 100, 5, collect, &h), 0);
	assert_int_equal(h.n, 1);
	cg_free(buf);
	cg_yarars_free(r);
}

static void init_refcount(void **state)
{
	(void)state;
	assert_int_equal(cg_yara_init(), 0);
	assert_int_equal(cg_yara_init(), 0);
	cg_yara_fini();
	{
		struct cg_yarars *r = build("rule a { condition: true }");
		cg_yarars_free(r);
	}
	cg_yara_fini();
	cg_yara_fini(); /* extra fini is harmless */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(simple_match),
	    cmocka_unit_test(callback_stops),
	    cmocka_unit_test(compile_errors_have_lines),
	    cmocka_unit_test(include_refused),
	    cmocka_unit_test(modules),
	    cmocka_unit_test(shared_rules),
	    cmocka_unit_test(timeout),
	    cmocka_unit_test(init_refcount),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_dpkg.c - the dpkg packaged-file guard: md5sums parsing, a fake admindir, the real one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "canhgac/dpkg.h"
#include "canhgac/error.h"

static const uint8_t md5_hello[16] = {0xb1, 0x94, 0x6a, 0xc9, 0x24, 0x92, 0xd2, 0x34,
                                      0x7c, 0x62, 0x35, 0xb4, 0xd2, 0x61, 0x11, 0x84};

static void parse_line_cases(void **state)
{
	uint8_t md5[16];
	const char *p;
	size_t n;
	(void)state;
	const char *good = "b1946ac92492d2347c6235b4d2611184  usr/bin/hello world";
	assert_int_equal(cg_dpkg_parse_line(good, strlen(good), md5, &p, &n), 0);
	assert_memory_equal(md5, md5_hello, 16);
	assert_int_equal(n, strlen("usr/bin/hello world"));
	assert_memory_equal(p, "usr/bin/hello world", n);
	const char *upper = "B1946AC92492D2347C6235B4D2611184 *bin/x\r";
	assert_int_equal(cg_dpkg_parse_line(upper, strlen(upper), md5, &p, &n), 0);
	assert_memory_equal(md5, md5_hello, 16);
	assert_int_equal(n, 5);
	const char *bad[] = {"",
	                     "b1946ac92492d2347c6235b4d2611184",
	                     "b1946ac92492d2347c6235b4d2611184  ",
	                     "g1946ac92492d2347c6235b4d2611184  x",
	                     "b1946ac92492d2347c6235b4d261118  x",
	                     "b1946ac92492d2347c6235b4d2611184x y"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(cg_dpkg_parse_line(bad[i], strlen(bad[i]), md5, &p, &n),
		                 CG_EPARSE);
	/* an embedded NUL in the path is refused */
	const char nul[] = "b1946ac92492d2347c6235b4d2611184  a\0b";
	assert_int_equal(cg_dpkg_parse_line(nul, sizeof(nul) - 1, md5, &p, &n), CG_EPARSE);
}

static int count_cb(void *arg, const uint8_t md5[16], const char *path, size_t len)
{
	(void)md5;
	(void)path;
	(void)len;
	(*(int *)arg)++;
	return 0;
}

static void parse_buffer_reports_bad_lines(void **state)
{
	struct cg_diags d = CG_DIAGS_INIT;
	int n = 0;
	(void)state;
	const char buf[] = "b1946ac92492d2347c6235b4d2611184  a\n"
	                   "junk\n"
	                   "\n"
	                   "591785b794601e212b260e25925636fd  b"; /* no final newline */
	assert_int_equal(cg_dpkg_parse_md5sums(buf, sizeof(buf) - 1, "t.md5sums", count_cb, &n, &d),
	                 0);
	assert_int_equal(n, 2);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].line, 2);
	assert_string_equal(d.v[0].source, "t.md5sums");
	assert_non_null(strstr(d.v[0].msg_vi, "sai định dạng"));
	assert_non_null(strstr(d.v[0].msg_en, "malformed"));
	cg_diags_clear(&d);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void fake_admindir(void **state)
{
	char dir[] = "/tmp/cgdpkg.XXXXXX", p[256], pkg[64];
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_dpkg *g;
	uint8_t md5[16];
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/info", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/info/hello.md5sums", dir);
	write_text(p, "b1946ac92492d2347c6235b4d2611184  usr/bin/hello\n"
	              "this line is bad\n"
	              "591785b794601e212b260e25925636fd  bin/dup\n");
	snprintf(p, sizeof(p), "%s/info/libworld:amd64.md5sums", dir);
	write_text(p, "591785b794601e212b260e25925636fd  lib/x86_64-linux-gnu/libworld.so.1\n"
	              "b1946ac92492d2347c6235b4d2611184  usr/bin/dup\n"
	              "b1946ac92492d2347c6235b4d2611184  etc/world.conf\n");
	snprintf(p, sizeof(p), "%s/info/other.list", dir);
	write_text(p, "/usr/bin/not-an-md5sums-file\n");

	assert_int_equal(cg_dpkg_open(dir, &g), 0);
	assert_int_equal(cg_dpkg_load(g, &d), 0);
	assert_int_equal(d.n, 1); /* the bad line, reported and skipped */
	assert_int_equal(d.v[0].line, 2);
	assert_string_equal(d.v[0].source, "hello.md5sums");
	assert_int_equal(cg_dpkg_lookup(g, "/usr/bin/hello", pkg, sizeof(pkg), md5), 1);
	assert_string_equal(pkg, "hello");
	assert_memory_equal(md5, md5_hello, 16);
	/* merged /usr, both directions; ":amd64" stripped */
	assert_int_equal(cg_dpkg_lookup(g, "/bin/hello", pkg, sizeof(pkg), NULL), 1);
	assert_string_equal(pkg, "hello");
	assert_int_equal(
	    cg_dpkg_lookup(g, "/usr/lib/x86_64-linux-gnu/libworld.so.1", pkg, sizeof(pkg), NULL),
	    1);
	assert_string_equal(pkg, "libworld");
	assert_int_equal(cg_dpkg_lookup(g, "/lib/x86_64-linux-gnu/libworld.so.1", pkg, 4, NULL), 1);
	assert_string_equal(pkg, "lib"); /* truncated to pkgcap */
	/* an exact entry wins over its merged-/usr alias */
	assert_int_equal(cg_dpkg_lookup(g, "/usr/bin/dup", pkg, sizeof(pkg), NULL), 1);
	assert_string_equal(pkg, "libworld");
	assert_int_equal(cg_dpkg_lookup(g, "/bin/dup", pkg, sizeof(pkg), NULL), 1);
	assert_string_equal(pkg, "hello");
	/* /etc is not merged; /usr/etc is not /etc */
	assert_int_equal(cg_dpkg_lookup(g, "/etc/world.conf", NULL, 0, NULL), 1);
	assert_int_equal(cg_dpkg_lookup(g, "/usr/etc/world.conf", NULL, 0, NULL), 0);
	assert_int_equal(cg_dpkg_lookup(g, "/usr/bin/not-an-md5sums-file", NULL, 0, NULL), 0);
	assert_int_equal(cg_dpkg_lookup(g, "/usr/bin/hell", NULL, 0, NULL), 0);
	assert_int_equal(cg_dpkg_lookup(g, "relative", NULL, 0, NULL), CG_EINVAL);
	cg_dpkg_close(g);
	cg_dpkg_close(NULL);
	cg_diags_clear(&d);

	/* a missing admindir: nothing is packaged */
	snprintf(p, sizeof(p), "%s/nonexistent", dir);
	assert_int_equal(cg_dpkg_open(p, &g), 0);
	assert_int_equal(cg_dpkg_lookup(g, "/usr/bin/hello", NULL, 0, NULL), 0);
	cg_dpkg_close(g);
	snprintf(p, sizeof(p), "rm -rf -- '%s'", dir);
	assert_int_equal(system(p), 0);
}

static void md5_of_file(const char *path, uint8_t out[16])
{
	uint8_t buf[65536];
	size_t n;
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	assert_non_null(m);
	EVP_DigestInit_ex(m, EVP_md5(), NULL);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		EVP_DigestUpdate(m, buf, n);
	EVP_DigestFinal_ex(m, out, NULL);
	EVP_MD_CTX_free(m);
	fclose(f);
}

static void real_admindir(void **state)
{
	struct cg_dpkg *g;
	char pkg[64];
	uint8_t md5[16], real[16];
	(void)state;
	if (access("/var/lib/dpkg/info/dpkg.md5sums", R_OK) != 0)
		skip();
	assert_int_equal(cg_dpkg_open(NULL, &g), 0);
	assert_int_equal(cg_dpkg_lookup(g, "/usr/bin/dpkg", pkg, sizeof(pkg), md5), 1);
	assert_string_equal(pkg, "dpkg");
	md5_of_file("/usr/bin/dpkg", real);
	assert_memory_equal(md5, real, 16);
	/* dpkg lists its systemd units under lib/; merged /usr finds them under /usr/lib too */
	assert_int_equal(cg_dpkg_lookup(g, "/usr/lib/systemd/system/dpkg-db-backup.timer", pkg,
	                                sizeof(pkg), NULL),
	                 1);
	assert_string_equal(pkg, "dpkg");
	assert_int_equal(cg_dpkg_lookup(g, "/tmp/surely-not-packaged", NULL, 0, NULL), 0);
	cg_dpkg_close(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parse_line_cases),
	    cmocka_unit_test(parse_buffer_reports_bad_lines),
	    cmocka_unit_test(fake_admindir),
	    cmocka_unit_test(real_admindir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_pkginv.c - the package inventory: a Debian status excerpt with the cases that matter
 * (source packages with and without version, binNMUs, held and half-removed packages,
 * continuation lines, CRLF), rpm's query output, caps, allocation failures, and this machine's
 * own /var/lib/dpkg/status cross-checked with a line count. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "canhgac/pkginv.h"

static const char status[] =
    "Package: libssl3\n"
    "Status: install ok installed\n"
    "Priority: optional\n"
    "Section: libs\n"
    "Architecture: amd64\n"
    "Multi-Arch: same\n"
    "Source: openssl\n"
    "Version: 3.0.11-1~deb12u2\n"
    "Depends: libc6 (>= 2.34)\n"
    "Description: Secure Sockets Layer toolkit - shared libraries\n"
    " This package is part of the OpenSSL project's implementation of the SSL and TLS\n"
    " .\n"
    " Package: not-a-field\n"
    "\n"
    "Package: libc6\n"
    "Status: hold ok installed\n"
    "Architecture: i386\n"
    "Source: glibc\n"
    "Version: 2.36-9+deb12u4\n"
    "\n"
    "Package: old-thing\n"
    "Status: deinstall ok config-files\n"
    "Version: 1.0-1\n"
    "\n"
    "Package: libfoo1\n"
    "Status: install ok installed\n"
    "Architecture: amd64\n"
    "Source: foo (1.2-3)\n"
    "Version: 1.2-3+b1\n"
    "\n"
    "Package: broken\n"
    "Status: install ok installed\n"
    "\n"
    "Package: halfway\r\n"
    "status: install reinstreq half-configured\r\n"
    "VERSION: 1:2.0-1\r\n"
    "\r\n"
    "Package: badsrc\n"
    "Status: install ok installed\n"
    "Version: 1.0-1\n"
    "Source: badsrc (1.0\n"
    "\n"
    "Status: install ok installed\n"
    "Version: 1.0\n";

static void dpkg_status(void **state)
{
	struct cg_pkginv inv = CG_PKGINV_INIT;
	struct cg_diags d = CG_DIAGS_INIT;
	(void)state;
	assert_int_equal(
	    cg_pkginv_parse_dpkg_status(&inv, status, sizeof(status) - 1, "status", &d), 0);
	assert_int_equal(inv.n, 4);
	assert_string_equal(inv.pkgs[0].name, "libssl3");
	assert_string_equal(inv.pkgs[0].source, "openssl");
	assert_string_equal(inv.pkgs[0].source_version, "3.0.11-1~deb12u2");
	assert_string_equal(inv.pkgs[0].arch, "amd64");
	assert_string_equal(inv.pkgs[0].status, "installed");
	assert_int_equal(inv.pkgs[0].scheme, CG_VER_DPKG);
	assert_string_equal(inv.pkgs[1].name, "libc6");
	assert_string_equal(inv.pkgs[1].source, "glibc");
	assert_string_equal(inv.pkgs[2].name, "libfoo1");
	assert_string_equal(inv.pkgs[2].version, "1.2-3+b1");
	assert_string_equal(inv.pkgs[2].source, "foo");
	assert_string_equal(inv.pkgs[2].source_version, "1.2-3");
	assert_string_equal(inv.pkgs[3].name, "halfway");
	assert_string_equal(inv.pkgs[3].source, "halfway");
	assert_string_equal(inv.pkgs[3].version, "1:2.0-1");
	assert_string_equal(inv.pkgs[3].status, "half-configured");
	assert_null(inv.pkgs[3].arch);
	/* broken (no Version), badsrc, and the stanza without Package are reported with lines */
	assert_int_equal(d.n, 3);
	assert_int_equal(d.v[0].line, 31);
	assert_non_null(strstr(d.v[0].msg_en, "broken"));
	assert_non_null(strstr(d.v[1].msg_en, "Source"));
	assert_non_null(strstr(d.v[2].msg_en, "Package"));
	cg_pkginv_clear(&inv);
	cg_pkginv_clear(&inv);
	cg_diags_clear(&d);
}

static void rpm_qa(void **state)
{
	static const char qa[] = "openssl-libs\t1:3.0.7-24.el9\topenssl-3.0.7-24.el9.src.rpm\n"
	                         "bash\t(none):5.1.8-6.el9_1\tbash-5.1.8-6.el9_1.src.rpm\n"
	                         "gpg-pubkey\t(none):fd431d51-4ae0493b\t(none)\n"
	                         "bad line\n"
	                         "\n"
	                         "python3-libs\t3.9.18-3.el9\tpython3.9-3.9.18-3.el9.src.rpm";
	struct cg_pkginv inv = CG_PKGINV_INIT;
	struct cg_diags d = CG_DIAGS_INIT;
	(void)state;
	assert_int_equal(cg_pkginv_parse_rpm_qa(&inv, qa, sizeof(qa) - 1, "rpm", &d), 0);
	assert_int_equal(inv.n, 4);
	assert_string_equal(inv.pkgs[0].source, "openssl");
	assert_string_equal(inv.pkgs[0].version, "1:3.0.7-24.el9");
	assert_string_equal(inv.pkgs[1].version, "5.1.8-6.el9_1");
	assert_string_equal(inv.pkgs[2].source, "gpg-pubkey");
	assert_string_equal(inv.pkgs[3].source, "python3.9");
	assert_int_equal(inv.pkgs[3].scheme, CG_VER_RPM);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].line, 4);
	cg_pkginv_clear(&inv);
	cg_diags_clear(&d);
}

static void caps_and_hostile(void **state)
{
	struct cg_pkginv inv = CG_PKGINV_INIT;
	struct cg_diags d = CG_DIAGS_INIT;
	const char stanza[] = "Package: p\nStatus: install ok installed\nVersion: 1\n\n";
	size_t n = CG_MAX_INV_PKGS + 1, sl = sizeof(stanza) - 1;
	char *big = malloc(n * sl), *longv;
	(void)state;
	assert_non_null(big);
	for (size_t i = 0; i < n; i++)
		memcpy(big + i * sl, stanza, sl);
	assert_int_equal(cg_pkginv_parse_dpkg_status(&inv, big, n * sl, "big", &d), CG_ELIMIT);
	assert_int_equal(inv.n, CG_MAX_INV_PKGS);
	cg_pkginv_clear(&inv);
	free(big);
	/* an over-long version and control characters are refused */
	longv = malloc(CG_MAX_VERSION + 100);
	assert_non_null(longv);
	n = (size_t)snprintf(longv, CG_MAX_VERSION + 100,
	                     "Package: x\nStatus: install ok installed\nVersion: ");
	memset(longv + n, '1', CG_MAX_VERSION + 10);
	assert_int_equal(cg_pkginv_parse_dpkg_status(&inv, longv, n + CG_MAX_VERSION + 10, "l", &d),
	                 0);
	assert_int_equal(inv.n, 0);
	free(longv);
	assert_int_equal(
	    cg_pkginv_parse_dpkg_status(
	        &inv, "Package: a\x01\nStatus: install ok installed\nVersion: 1\n", 51, "c", &d),
	    0);
	assert_int_equal(inv.n, 0);
	assert_int_equal(cg_pkginv_parse_dpkg_status(&inv, "", 0, "e", NULL), 0);
	cg_diags_clear(&d);
}

static void alloc_failures(void **state)
{
	(void)state;
	for (long k = 0; k < 40; k++) {
		struct cg_pkginv inv = CG_PKGINV_INIT;
		int rc;
		cg_alloc_fail_after(k);
		rc = cg_pkginv_parse_dpkg_status(&inv, status, sizeof(status) - 1, "s", NULL);
		cg_alloc_fail_after(-1);
		assert_true(rc == 0 || rc == CG_ENOMEM);
		cg_pkginv_clear(&inv);
	}
}

/* This machine's dpkg database: the parser must find exactly the stanzas whose Status says
 * the files are on disk, counted here independently. */
static void real_status(void **state)
{
	FILE *f = fopen("/var/lib/dpkg/status", "r");
	char *buf, line[8192];
	size_t len, want = 0;
	struct cg_pkginv inv = CG_PKGINV_INIT;
	struct cg_diags d = CG_DIAGS_INIT;
	(void)state;
	if (!f) {
		fprintf(stderr, "SKIP: /var/lib/dpkg/status missing (not a Debian host)\n");
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		const char *w = strrchr(line, ' ');
		if (strncmp(line, "Status: ", 8) == 0 && w &&
		    (strcmp(w, " installed\n") == 0 || strcmp(w, " half-configured\n") == 0 ||
		     strcmp(w, " unpacked\n") == 0 || strcmp(w, " half-installed\n") == 0 ||
		     strncmp(w, " triggers-", 10) == 0))
			want++;
	}
	len = (size_t)ftell(f);
	rewind(f);
	buf = malloc(len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, len, f), len);
	fclose(f);
	assert_int_equal(cg_pkginv_parse_dpkg_status(&inv, buf, len, "status", &d), 0);
	assert_int_equal(d.n, 0);
	assert_true(want > 50);
	assert_int_equal(inv.n, want);
	for (size_t i = 0; i < inv.n; i++)
		if (strcmp(inv.pkgs[i].name, "dpkg") == 0)
			assert_string_equal(inv.pkgs[i].source, "dpkg");
	cg_pkginv_clear(&inv);
	free(buf);
}

/* Packages given field by field (an inventory an agent reported to the server). */
static void add_fields(void **state)
{
	(void)state;
	struct cg_pkginv inv = CG_PKGINV_INIT;
	assert_int_equal(cg_pkginv_add(&inv, CG_VER_DPKG, "libssl3", "amd64", "3.0.11-1~deb12u2",
	                               "openssl", "3.0.11-1~deb12u2"),
	                 0);
	assert_int_equal(cg_pkginv_add(&inv, CG_VER_DPKG, "zlib1g", NULL, "1:1.2.13", NULL, ""), 0);
	assert_int_equal(inv.n, 2);
	assert_string_equal(inv.pkgs[0].source, "openssl");
	assert_string_equal(inv.pkgs[1].source, "zlib1g"); /* defaults to the name and version */
	assert_string_equal(inv.pkgs[1].source_version, "1:1.2.13");
	assert_null(inv.pkgs[1].arch);
	/* hostile or missing values are refused, the inventory is unchanged */
	assert_int_equal(cg_pkginv_add(&inv, CG_VER_DPKG, "a\nb", NULL, "1", NULL, NULL),
	                 CG_EINVAL);
	assert_int_equal(cg_pkginv_add(&inv, CG_VER_DPKG, "x", NULL, NULL, NULL, NULL), CG_EINVAL);
	assert_int_equal(cg_pkginv_add(&inv, CG_VER_DPKG, "", NULL, "1", NULL, NULL), CG_EINVAL);
	assert_int_equal(cg_pkginv_add(NULL, CG_VER_DPKG, "x", NULL, "1", NULL, NULL), CG_EINVAL);
	assert_int_equal(inv.n, 2);
	cg_pkginv_clear(&inv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(dpkg_status),      cmocka_unit_test(rpm_qa),
	    cmocka_unit_test(caps_and_hostile), cmocka_unit_test(alloc_failures),
	    cmocka_unit_test(real_status),      cmocka_unit_test(add_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_ipextract.c - addresses in log lines: the data-driven cases of tests/cases/ipextract (one
 * file per log format), real sshd logs from ../shared/data/loghub checked against a plain
 * tokenizer, and hostile inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "canhgac/ipextract.h"
#include "canhgac/limits.h"

static size_t unescape(const char *s, char *out, size_t cap)
{
	size_t n = 0;
	while (*s && n < cap) {
		unsigned v;
		if (s[0] == '\\' && s[1] == 't') {
			out[n++] = '\t';
			s += 2;
		} else if (s[0] == '\\' && s[1] == 'x' && sscanf(s + 2, "%2x", &v) == 1) {
			out[n++] = (char)v;
			s += 4;
		} else {
			out[n++] = *s++;
		}
	}
	return n;
}

/* The canonical addresses found, space-separated; checks each offset points at its text. */
static void extract_text(const char *line, size_t n, char *out, size_t cap)
{
	struct cg_ipx x[CG_MAX_ADDRS_PER_LINE];
	size_t k = cg_ipextract(line, n, x, CG_MAX_ADDRS_PER_LINE), o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < k; i++) {
		char t[CG_IP_STRLEN];
		struct cg_ip back;
		assert_true(x[i].off + x[i].len <= n);
		assert_int_equal(cg_ip_parse(line + x[i].off, x[i].len, &back), 0);
		assert_int_equal(cg_ip_cmp(&back, &x[i].ip), 0);
		cg_ip_format(&x[i].ip, t, sizeof(t));
		o += (size_t)snprintf(out + o, cap - o, "%s%s", i ? " " : "", t);
		assert_true(o < cap);
	}
}

static int run_case(const char *path)
{
	FILE *f = fopen(path, "r");
	static char line[1 << 16], raw[1 << 16], got[4096];
	size_t rn = 0;
	int have = 0, checked = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "line:", 5) == 0) {
			rn = unescape(line[5] == ' ' ? line + 6 : line + 5, raw, sizeof(raw));
			have = 1;
		} else if (strncmp(line, "want:", 5) == 0) {
			const char *want = line[5] == ' ' ? line + 6 : line + 5;
			assert_true(have);
			extract_text(raw, rn, got, sizeof(got));
			if (strcmp(got, want) != 0)
				fail_msg("%s: line '%.*s'\n  got:  '%s'\n  want: '%s'", path,
				         (int)rn, raw, got, want);
			have = 0;
			checked++;
		}
	}
	fclose(f);
	assert_true(checked > 0);
	return checked;
}

static void cases(void **state)
{
	const char *src = getenv("CANHGAC_SRCDIR");
	char dir[4096];
	struct dirent *e;
	DIR *d;
	int files = 0, lines = 0;
	(void)state;
	snprintf(dir, sizeof(dir), "%s/tests/cases/ipextract", src ? src : ".");
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d))) {
		char p[8192];
		size_t l = strlen(e->d_name);
		if (l < 6 || strcmp(e->d_name + l - 5, ".case") != 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		lines += run_case(p);
		files++;
	}
	closedir(d);
	assert_true(files >= 12);
	assert_true(lines >= 40);
}

/* Reference for plain IPv4 logs: maximal runs of [0-9.] standing between non-word bytes, that
 * have four dot-separated decimal parts 0-255 without leading zeros. */
static void reference(const char *s, size_t n, char *out, size_t cap)
{
	size_t i = 0, o = 0;
	out[0] = '\0';
	while (i < n) {
		size_t j = i;
		int parts = 1, ok = 1;
		unsigned v = 0, digits = 0;
		char lead = 0;
		while (j < n && ((s[j] >= '0' && s[j] <= '9') || s[j] == '.'))
			j++;
		if (j == i) {
			i++;
			continue;
		}
		if ((i > 0 && (isalnum((unsigned char)s[i - 1]) || s[i - 1] == '_')) ||
		    (j < n && (isalnum((unsigned char)s[j]) || s[j] == '_')))
			ok = 0;
		for (size_t k = i; k <= j && ok; k++) {
			if (k == j || s[k] == '.') {
				if (digits == 0 || digits > 3 || v > 255 ||
				    (lead == '0' && digits > 1))
					ok = 0;
				if (k < j)
					parts++;
				v = digits = 0;
				continue;
			}
			if (digits == 0)
				lead = s[k];
			v = v * 10 + (unsigned)(s[k] - '0');
			digits++;
		}
		if (ok && parts == 4)
			o += (size_t)snprintf(out + o, cap - o, "%s%.*s", o ? " " : "",
			                      (int)(j - i), s + i);
		i = j;
	}
}

static void loghub(void **state)
{
	static const char *const files[] = {"OpenSSH_2k.log", "Linux_2k.log", "Apache_2k.log"};
	const char *src = getenv("CANHGAC_SRCDIR");
	char dir[4096], line[8192], got[4096], want[4096];
	struct stat st;
	size_t with_addr = 0;
	(void)state;
	/* ../shared next to the source tree (or next to the worktrees' folder) */
	snprintf(dir, sizeof(dir), "%s/../shared/data/loghub", src ? src : ".");
	if (stat(dir, &st) != 0)
		snprintf(dir, sizeof(dir), "%s/../../shared/data/loghub", src ? src : ".");
	if (stat(dir, &st) != 0) {
		fprintf(stderr, "SKIP: %s missing; real logs not tested\n", dir);
		skip();
		return;
	}
	for (size_t fi = 0; fi < sizeof(files) / sizeof(files[0]); fi++) {
		char p[8192];
		FILE *f;
		snprintf(p, sizeof(p), "%s/%s", dir, files[fi]);
		f = fopen(p, "r");
		assert_non_null(f);
		while (fgets(line, sizeof(line), f)) {
			size_t n = strcspn(line, "\n");
			extract_text(line, n, got, sizeof(got));
			reference(line, n, want, sizeof(want));
			if (strcmp(got, want) != 0)
				fail_msg("%s: '%.*s'\n got '%s' want '%s'", files[fi], (int)n, line,
				         got, want);
			with_addr += want[0] != '\0';
		}
		fclose(f);
	}
	assert_true(with_addr > 1500);
}

/* cg_ipextract_line over a block of lines gives, line by line, what cg_ipextract gives. */
static void check_block(const char *b, size_t n)
{
	struct cg_ipx x[CG_MAX_ADDRS_PER_LINE], y[CG_MAX_ADDRS_PER_LINE];
	size_t pos = 0;
	while (pos < n) {
		const char *nl = memchr(b + pos, '\n', n - pos);
		size_t want_len = nl ? (size_t)(nl - b) - pos : n - pos, ll = 0;
		size_t k = cg_ipextract_line(b + pos, n - pos, x, CG_MAX_ADDRS_PER_LINE, &ll);
		size_t k2 = cg_ipextract(b + pos, want_len, y, CG_MAX_ADDRS_PER_LINE);
		assert_int_equal(ll, want_len);
		assert_int_equal(k, k2);
		for (size_t i = 0; i < k; i++) {
			assert_int_equal(x[i].off, y[i].off);
			assert_int_equal(x[i].len, y[i].len);
			assert_int_equal(cg_ip_cmp(&x[i].ip, &y[i].ip), 0);
		}
		pos += want_len + 1;
	}
}

static void line_blocks(void **state)
{
	static char b[3 << 20];
	size_t n = 0;
	const char *const lines[] = {
	    "SRC=1.2.3.4 DST=2001:db8::1",
	    "",
	    "x\r",
	    "a 10.0.0.1:80->10.0.0.2:443 52:54:00:12:34:56:52:54:00:ab:cd:ef:08:00 5.6.7.8",
	    "1.2.3.4",
	    "::1",
	    "ts:12:00:00:1.2.3.4 [2001:db8::2]:443 fe80::1%eth0",
	};
	(void)state;
	for (int rep = 0; rep < 200; rep++)
		for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
			size_t l = strlen(lines[i]);
			memcpy(b + n, lines[i], l);
			n += l;
			/* lines of every length around the 64-byte windows */
			for (int pad = 0; pad < rep % 70; pad++)
				b[n++] = pad % 2 ? ' ' : '9';
			b[n++] = '\n';
		}
	check_block(b, n);
	check_block(b, n - 1); /* no final newline */
	/* a line longer than CG_MAX_MATCH_LINE, then a short one */
	memset(b, 'a', sizeof(b));
	memcpy(b + 10, " 1.2.3.4 ", 9);
	memcpy(b + (2 << 20), " 5.6.7.8 ", 9);
	b[(2 << 20) + 100] = '\n';
	memcpy(b + (2 << 20) + 101, "9.9.9.9\n", 8);
	check_block(b, (2 << 20) + 109);
	/* more addresses than the cap, the line end still found */
	for (n = 0; n < 8 * 100; n += 8)
		memcpy(b + n, "1.2.3.4 ", 8);
	memcpy(b + n, "\n1.1.1.1\n", 10);
	check_block(b, n + 10);
}

static void hostile(void **state)
{
	static char big[CG_MAX_MATCH_LINE + 4096];
	struct cg_ipx x[CG_MAX_ADDRS_PER_LINE];
	size_t k;
	(void)state;
	/* more addresses than the cap */
	for (size_t i = 0; i + 8 < sizeof(big); i += 8)
		memcpy(big + i, "1.2.3.4 ", 8);
	k = cg_ipextract(big, 8 * 1000, x, CG_MAX_ADDRS_PER_LINE);
	assert_int_equal(k, CG_MAX_ADDRS_PER_LINE);
	/* an address past CG_MAX_MATCH_LINE is not seen */
	memset(big, ' ', sizeof(big));
	memcpy(big + CG_MAX_MATCH_LINE + 10, "1.2.3.4", 7);
	assert_int_equal(cg_ipextract(big, sizeof(big), x, CG_MAX_ADDRS_PER_LINE), 0);
	memcpy(big + CG_MAX_MATCH_LINE - 8, "1.2.3.4", 7);
	assert_int_equal(cg_ipextract(big, sizeof(big), x, CG_MAX_ADDRS_PER_LINE), 1);
	/* a long colon/hex run and a long dotted run */
	for (size_t i = 0; i < 100000; i++)
		big[i] = ":1a."[i % 4];
	(void)cg_ipextract(big, 100000, x, CG_MAX_ADDRS_PER_LINE);
	/* an address cut by the end of the buffer */
	assert_int_equal(cg_ipextract("x 1.2.3.4", 8, x, 4), 0);
	assert_int_equal(cg_ipextract("x 2001:db8::1", 12, x, 4), 1);
	assert_int_equal(cg_ipextract("", 0, x, 4), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(cases),
	    cmocka_unit_test(loghub),
	    cmocka_unit_test(line_blocks),
	    cmocka_unit_test(hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_f2b.c - fail2ban filter files held in memory: tags, interpolation and includes,
 * datepattern forms, multi-line buffering, the connection (mlfid) rules and PCRE2 limits.
 * Expected times come from libc's timegm. The same filters against fail2ban itself are in
 * tests/integration/test_f2b.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>
#ifdef _WIN32
#define timegm _mkgmtime /* the Windows C runtime's name for it */
#endif

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/f2b.h"

struct mfile {
	const char *path, *text;
};

static const struct mfile *files;

static int mem_read(void *ctx, const char *path, char **data, size_t *len)
{
	(void)ctx;
	for (const struct mfile *f = files; f && f->path; f++)
		if (strcmp(f->path, path) == 0) {
			*len = strlen(f->text);
			*data = cg_malloc(*len + 1);
			if (!*data)
				return CG_ENOMEM;
			memcpy(*data, f->text, *len + 1);
			return 0;
		}
	return CG_ENOENT;
}

static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return (int64_t)timegm(&tm);
}

#define NOW utc(2026, 12, 2, 12, 0, 0)

static struct cg_f2b_filter *load(const struct mfile *fs, const char *path,
                                  const struct cg_f2b_opt *o, size_t no)
{
	struct cg_f2b_filter *f = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	files = fs;
	int rc = cg_f2b_load(path, mem_read, NULL, o, no, &f, &d);
	if (rc)
		fail_msg("load %s: %d %s", path, rc, d.n ? d.v[0].msg_en : "");
	cg_diags_clear(&d);
	return f;
}

static struct cg_f2b_result run1(struct cg_f2b_filter *f, struct cg_f2b_state *s, const char *line)
{
	struct cg_f2b_result r;
	assert_int_equal(cg_f2b_match(f, s, line, strlen(line), NOW, 0, &r), 0);
	return r;
}

static void test_tags(void **st)
{
	(void)st;
	static const struct mfile fs[] = {
	    {"/f/t.conf", "[Definition]\n"
	                  "failregex = ^\\s*Auth fail for <F-USER>\\S+</F-USER> from <HOST>$\n"
	                  "            ^v6 from <ADDR> port \\d+$\n"
	                  "            ^net <SUBNET>$\n"
	                  "            ^id <F-ID>\\S+</F-ID> bad$\n"
	                  "            ^alt ruser=<F-ALT_USER>\\S*</F-ALT_USER> rhost=<HOST>\\s*$\n"
	                  "ignoreregex = from 192\\.0\\.2\\.9$\n"},
	    {NULL, NULL}};
	struct cg_f2b_filter *f = load(fs, "/f/t.conf", NULL, 0);
	struct cg_f2b_state *s;
	assert_int_equal(cg_f2b_state_new(f, &s), 0);
	assert_int_equal(cg_f2b_count(f, 0), 5);
	struct cg_f2b_result r = run1(f, s, "2024-01-02 03:04:05 Auth fail for bob from 1.2.3.4");
	assert_int_equal(r.status, CG_F2B_FAILURE);
	assert_string_equal(r.addr, "1.2.3.4");
	assert_string_equal(r.user, "bob");
	assert_int_equal(r.failregex, 0);
	assert_true(r.has_time);
	assert_int_equal(r.time, utc(2024, 1, 2, 3, 4, 5));
	r = run1(f, s, "Auth fail for bob from ::ffff:10.0.0.1");
	assert_string_equal(r.addr, "10.0.0.1");
	assert_false(r.has_time);
	r = run1(f, s, "v6 from [2001:DB8:0:0::1] port 22");
	assert_string_equal(r.addr, "2001:db8::1");
	assert_int_equal(r.failregex, 1);
	r = run1(f, s, "net 10.1.2.3/24");
	assert_string_equal(r.addr, "10.1.2.0/24");
	r = run1(f, s, "id session-42 bad");
	assert_string_equal(r.addr, "session-42");
	r = run1(f, s, "alt ruser=carol rhost=5.6.7.8 ");
	assert_string_equal(r.user, "carol");
	/* a host name matches <HOST> but gives no address (usedns=no) */
	r = run1(f, s, "Auth fail for bob from host.example.com");
	assert_int_equal(r.status, CG_F2B_MISSED);
	assert_int_equal(r.failregex, 0);
	r = run1(f, s, "Auth fail for bob from 192.0.2.9");
	assert_int_equal(r.status, CG_F2B_IGNORED);
	assert_int_equal(r.ignoreregex, 0);
	r = run1(f, s, "nothing here");
	assert_int_equal(r.status, CG_F2B_MISSED);
	cg_f2b_state_free(s);
	cg_f2b_filter_free(f);
}

static void test_interpolation_includes(void **st)
{
	(void)st;
	static const struct mfile fs[] = {
	    {"/etc/f/filter.d/common.conf",
	     "[INCLUDES]\nafter = common.local\n[DEFAULT]\n_daemon = \\S*\n"
	     "__prefix = \\s*\\S+ <_daemon>\\[\\d+\\]:\\s+ ; inline comment\n"
	     "[lt_x]\nword = fail%%?ed\n"},
	    {"/etc/f/filter.d/common.local", "[DEFAULT]\n_daemon = sshd\n"},
	    {"/etc/f/filter.d/x.conf", "[INCLUDES]\nbefore = common.conf\n\n[Definition]\n"
	                               "# a comment\n"
	                               "cmn = ^%(__prefix)s%(lt_x/word)s\n"
	                               "failregex = %(cmn)s (?:<mdre-<mode>>) from <HOST>$\n"
	                               "mdre-normal = password\n"
	                               "mdre-extra = password|key\n"
	                               "maxlines = 1\n"
	                               "[Init]\nmode = normal\n"},
	    {"/etc/f/filter.d/x.local",
	     "[Definition]\nfailregex = %(known/failregex)s\n"
	     "            ^%(__prefix)sextra <F-USER>\\w+</F-USER> from <HOST>$\n"},
	    {NULL, NULL}};
	struct cg_f2b_filter *f = load(fs, "/etc/f/filter.d/x.conf", NULL, 0);
	assert_int_equal(cg_f2b_count(f, 0), 2);
	assert_string_equal(cg_f2b_regex(f, 0, 0),
	                    "^\\s*\\S+ sshd\\[\\d+\\]:\\s+fail%?ed (?:password) from <HOST>$");
	struct cg_f2b_state *s;
	assert_int_equal(cg_f2b_state_new(f, &s), 0);
	struct cg_f2b_result r =
	    run1(f, s, "Dec 10 06:55:46 h sshd[1]: failed password from 1.1.1.1");
	assert_int_equal(r.status, CG_F2B_FAILURE);
	assert_int_equal(r.time, utc(2026, 12, 10, 6, 55, 46) - 365 * 86400);
	r = run1(f, s, "Dec 10 06:55:46 h sshd[1]: failed key from 1.1.1.1");
	assert_int_equal(r.status, CG_F2B_MISSED);
	r = run1(f, s, "Nov 30 06:55:46 h sshd[1]: extra eve from 2.2.2.2");
	assert_string_equal(r.user, "eve");
	assert_int_equal(r.time, utc(2026, 11, 30, 6, 55, 46));
	r = run1(f, s, "Dec 10 06:55:46 h cron[1]: failed password from 1.1.1.1");
	assert_int_equal(r.status, CG_F2B_MISSED);
	cg_f2b_state_free(s);
	cg_f2b_filter_free(f);
	/* the caller's mode overrides [Init] */
	struct cg_f2b_opt o = {"mode", "extra"};
	f = load(fs, "/etc/f/filter.d/x.conf", &o, 1);
	assert_string_equal(cg_f2b_regex(f, 0, 0),
	                    "^\\s*\\S+ sshd\\[\\d+\\]:\\s+fail%?ed (?:password|key) from <HOST>$");
	cg_f2b_filter_free(f);
}

static void test_errors(void **st)
{
	(void)st;
	static const struct mfile fs[] = {
	    {"/a.conf", "[Definition]\nfailregex = ^no id$\n"},
	    {"/b.conf", "[Definition]\nfailregex = ^(<HOST>\n"},
	    {"/c.conf", "[Definition]\nfailregex = <self>\nself = x<self>\n"},
	    {"/d.conf", "[Definition]\nfailregex = %(missing)s <HOST>\n"},
	    {"/e.conf", "no section = 1\n"},
	    {"/g.conf", "[INCLUDES]\nbefore = g.conf\n[Definition]\nfailregex = <HOST>\n"},
	    {NULL, NULL}};
	const char *paths[] = {"/a.conf", "/b.conf", "/c.conf",   "/d.conf",
	                       "/e.conf", "/g.conf", "/none.conf"};
	files = fs;
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct cg_f2b_filter *f = NULL;
		struct cg_diags d = CG_DIAGS_INIT;
		int rc = cg_f2b_load(paths[i], mem_read, NULL, NULL, 0, &f, &d);
		if (rc == 0)
			fail_msg("%s loaded", paths[i]);
		assert_null(f);
		cg_diags_clear(&d);
	}
}

static int64_t date_of(const char *pattern, const char *line, const char *tail)
{
	char text[512];
	struct mfile fs[2] = {{"/d.conf", text}, {NULL, NULL}};
	snprintf(text, sizeof(text), "[Definition]\nfailregex = ^%s<HOST>$\n%s%s\n", tail,
	         pattern ? "datepattern = " : "", pattern ? pattern : "");
	struct cg_f2b_filter *f = load(fs, "/d.conf", NULL, 0);
	struct cg_f2b_state *s;
	assert_int_equal(cg_f2b_state_new(f, &s), 0);
	struct cg_f2b_result r = run1(f, s, line);
	if (r.status != CG_F2B_FAILURE)
		fail_msg("%s: no failure in %s", pattern ? pattern : "(default)", line);
	int64_t t = r.has_time ? r.time : -1;
	cg_f2b_state_free(s);
	cg_f2b_filter_free(f);
	return t;
}

static void test_dates(void **st)
{
	(void)st;
	int64_t t = utc(2024, 3, 5, 7, 8, 9);
	assert_int_equal(date_of("^%%Y-%%m-%%d %%H:%%M:%%S", "2024-03-05 07:08:09 1.2.3.4", " "),
	                 t);
	assert_int_equal(date_of(NULL, "2024-03-05T07:08:09.123+07:00 1.2.3.4", " "), t - 7 * 3600);
	assert_int_equal(date_of(NULL, "[05/Mar/2024:07:08:09 +0000] 1.2.3.4", "\\[\\] "), t);
	assert_int_equal(date_of("{^LN-BEG}", "Tue Mar 05 07:08:09 2024 1.2.3.4", " "), t);
	assert_int_equal(date_of("EPOCH", "1709622489 1.2.3.4", " "), t);
	assert_int_equal(date_of("LEPOCH", "1709622489123 1.2.3.4", " "), t);
	/* fail2ban reads the TAI64N label as is (TAI is 10 s ahead of UTC here) */
	assert_int_equal(date_of("TAI64N", "@4000000065e6c4e30000000a 1.2.3.4", " "), t + 10);
	assert_int_equal(
	    date_of("^<\\d+>\\d+\\s+{DATE}", "<13>1 2024-03-05T07:08:09Z 1.2.3.4", " "), t);
	assert_int_equal(
	    date_of("%%d/%%b/%%ExY %%I:%%M:%%S %%p", "x 05/mar/2024 07:08:09 PM 1.2.3.4", "x  "),
	    t + 12 * 3600);
	assert_int_equal(date_of("^%%Y%%m%%d %%H%%M%%S %%z", "20240305 070809 -0130 1.2.3.4", " "),
	                 t + 90 * 60);
	assert_int_equal(date_of("^%%y-%%j %%H:%%M:%%S", "24-065 07:08:09 1.2.3.4", " "), t);
	/* no year: the most recent such date not more than a day ahead of "now" */
	assert_int_equal(date_of(NULL, "Dec 03 07:08:09 1.2.3.4", " "), utc(2026, 12, 3, 7, 8, 9));
	assert_int_equal(date_of(NULL, "Dec 04 07:08:09 1.2.3.4", " "), utc(2025, 12, 4, 7, 8, 9));
	/* no date at all: the line still matches, without a time */
	assert_int_equal(date_of("^%%Y-%%m-%%d", "1.2.3.4", ""), -1);
	/* an impossible date is cut but gives no time */
	assert_int_equal(date_of("^%%Y-%%m-%%d", "2024-02-30 1.2.3.4", " "), -1);
}

/* sshd's connection rules in small: a NOFAIL line is remembered per connection id and becomes a
 * failure only if a real failure follows; MLFGAINED (a login) resets; MLFFORGET ends. */
static void test_mlfid(void **st)
{
	(void)st;
	static const struct mfile fs[] = {
	    {"/s.conf",
	     "[Definition]\n"
	     "prefregex = ^<F-MLFID>\\S+ sshd\\[\\d+\\]: </F-MLFID><F-CONTENT>.+</F-CONTENT>$\n"
	     "failregex = ^<F-NOFAIL>pam failure</F-NOFAIL> rhost=<HOST> "
	     "user=<F-USER>\\S+</F-USER>$\n"
	     "            ^Failed password for <F-USER>\\S+</F-USER> from <HOST>$\n"
	     "            ^Too many failures$\n"
	     "            ^<F-MLFFORGET><F-MLFGAINED>Accepted</F-MLFGAINED></F-MLFFORGET> for "
	     "<F-USER>\\S+</F-USER> from <HOST>$\n"
	     "            ^<F-NOFAIL><F-MLFFORGET>Disconnected</F-MLFFORGET></F-NOFAIL> from "
	     "<HOST>$\n"},
	    {NULL, NULL}};
	struct cg_f2b_filter *f = load(fs, "/s.conf", NULL, 0);
	struct cg_f2b_state *s;
	assert_int_equal(cg_f2b_state_new(f, &s), 0);
	assert_int_equal(run1(f, s, "h sshd[1]: pam failure rhost=1.1.1.1 user=root").status,
	                 CG_F2B_IGNORED);
	struct cg_f2b_result r = run1(f, s, "h sshd[1]: Failed password for root from 1.1.1.1");
	assert_int_equal(r.status, CG_F2B_FAILURE);
	/* no address on the line: taken from the connection */
	r = run1(f, s, "h sshd[1]: Too many failures");
	assert_int_equal(r.status, CG_F2B_FAILURE);
	assert_string_equal(r.addr, "1.1.1.1");
	assert_int_equal(run1(f, s, "h sshd[1]: Disconnected from 1.1.1.1").status, CG_F2B_IGNORED);
	/* forgotten: the next "Too many" on that id has no address (pending, missed) */
	assert_int_equal(run1(f, s, "h sshd[1]: Too many failures").status, CG_F2B_MISSED);
	/* pending, then the address shows: the failure counts */
	r = run1(f, s, "h sshd[1]: pam failure rhost=3.3.3.3 user=x");
	assert_int_equal(r.status, CG_F2B_FAILURE);
	assert_string_equal(r.addr, "3.3.3.3");
	/* a login resets the pending NOFAIL of its connection */
	assert_int_equal(run1(f, s, "h sshd[2]: pam failure rhost=2.2.2.2 user=bob").status,
	                 CG_F2B_IGNORED);
	assert_int_equal(run1(f, s, "h sshd[2]: Accepted for bob from 2.2.2.2").status,
	                 CG_F2B_IGNORED);
	/* two users tried on one connection: the NOFAIL line counts */
	assert_int_equal(run1(f, s, "h sshd[3]: pam failure rhost=4.4.4.4 user=a").status,
	                 CG_F2B_IGNORED);
	assert_int_equal(run1(f, s, "h sshd[3]: pam failure rhost=4.4.4.4 user=b").status,
	                 CG_F2B_FAILURE);
	cg_f2b_state_free(s);
	cg_f2b_filter_free(f);
}

static void test_multiline(void **st)
{
	(void)st;
	static const struct mfile fs[] = {
	    {"/m.conf",
	     "[Definition]\n"
	     "failregex = ^conn (?P<c>\\d+) from <HOST>\\n(?:.*\\n)*?conn (?P=c) login failed$\n"
	     "[Init]\nmaxlines = 3\n"},
	    {NULL, NULL}};
	struct cg_f2b_filter *f = load(fs, "/m.conf", NULL, 0);
	assert_int_equal(cg_f2b_maxlines(f), 3);
	struct cg_f2b_state *s;
	assert_int_equal(cg_f2b_state_new(f, &s), 0);
	assert_int_equal(run1(f, s, "conn 7 from 9.9.9.9").status, CG_F2B_MISSED);
	assert_int_equal(run1(f, s, "noise").status, CG_F2B_MISSED);
	struct cg_f2b_result r = run1(f, s, "conn 7 login failed");
	assert_int_equal(r.status, CG_F2B_FAILURE);
	assert_string_equal(r.addr, "9.9.9.9");
	/* the matched lines left the buffer; too far apart (more than maxlines) is no match */
	assert_int_equal(run1(f, s, "conn 7 login failed").status, CG_F2B_MISSED);
	run1(f, s, "conn 8 from 8.8.8.8");
	run1(f, s, "a");
	run1(f, s, "b");
	assert_int_equal(run1(f, s, "conn 8 login failed").status, CG_F2B_MISSED);
	cg_f2b_state_free(s);
	cg_f2b_filter_free(f);
}

static void test_limits(void **st)
{
	(void)st;
	static const struct mfile fs[] = {
	    {"/l.conf", "[Definition]\nfailregex = ^(?:a|a)+(?:b|b)+(?:a|a)+\\d <HOST>$\n"},
	    {NULL, NULL}};
	char line[4096];
	struct cg_f2b_result r;
	struct cg_f2b_filter *f = load(fs, "/l.conf", NULL, 0);
	struct cg_f2b_state *s;
	assert_int_equal(cg_f2b_state_new(f, &s), 0);
	memset(line, 'a', 60);
	memset(line + 60, 'b', 60);
	memset(line + 120, 'a', 60);
	memcpy(line + 180, "!", 2);
	int rc = cg_f2b_match(f, s, line, strlen(line), NOW, 0, &r);
	assert_true(rc == CG_ELIMIT || rc == 0);
	assert_int_equal(r.status, CG_F2B_MISSED);
	cg_f2b_state_free(s);
	cg_f2b_filter_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tags),   cmocka_unit_test(test_interpolation_includes),
	    cmocka_unit_test(test_errors), cmocka_unit_test(test_dates),
	    cmocka_unit_test(test_mlfid),  cmocka_unit_test(test_multiline),
	    cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

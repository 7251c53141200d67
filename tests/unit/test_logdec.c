/* test_logdec.c - the log decoders on real-looking lines of every outer format and inner
 * decoder: each case names the fields it expects ("srcip=1.2.3.4 user=root action=auth_fail",
 * "-srcip" for a field that must be absent). Times are checked against libc's timegm. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "canhgac/error.h"
#include "canhgac/logdec.h"
#include "canhgac/logrec.h"

#define VN 25200

static struct cg_logrec rec;

static int64_t civil(int y, int mo, int d, int h, int mi, int s, int64_t tz)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return (int64_t)timegm(&tm) - tz;
}

static int64_t now_2026(void)
{
	return civil(2026, 11, 25, 13, 0, 0, 0);
}

/* Decodes line (auto format) and checks "name=value" / "-name" expectations separated by
 * '|' (values may hold spaces). "format=" and "decoder=" check the record's names. */
static void expect_fmt(const char *format, const char *line, const char *want)
{
	struct cg_logdec_opts o = {now_2026(), VN, format};
	char buf[2048];
	int rc = cg_logdec_line(&o, line, strlen(line), &rec);
	if (rc != 0)
		fail_msg("not decoded (%d): %s", rc, line);
	snprintf(buf, sizeof(buf), "%s", want);
	for (char *tok = buf, *next; tok && *tok; tok = next) {
		char *eq, *bar = strchr(tok, '|');
		next = bar ? bar + 1 : NULL;
		if (bar)
			*bar = 0;
		enum cg_logfield f;
		if (tok[0] == '-') {
			if (cg_logfield_parse(tok + 1, strlen(tok + 1), &f))
				fail_msg("bad field %s", tok);
			if (rec.f[f].ptr)
				fail_msg("%s should be absent, is '%.*s' in: %s", tok + 1,
				         (int)rec.f[f].len, rec.f[f].ptr, line);
			continue;
		}
		eq = strchr(tok, '=');
		assert_non_null(eq);
		*eq = 0;
		const char *v = eq + 1;
		if (strcmp(tok, "format") == 0) {
			assert_non_null(rec.format);
			assert_string_equal(rec.format, v);
			continue;
		}
		if (strcmp(tok, "decoder") == 0) {
			if (!rec.decoder)
				fail_msg("no decoder for: %s", line);
			assert_string_equal(rec.decoder, v);
			continue;
		}
		if (cg_logfield_parse(tok, strlen(tok), &f))
			fail_msg("bad field %s", tok);
		if (!cg_logrec_is(&rec, f, v))
			fail_msg("%s: want '%s', got '%.*s' in: %s", tok, v, (int)rec.f[f].len,
			         rec.f[f].ptr ? rec.f[f].ptr : "(absent)", line);
	}
}

static void expect(const char *line, const char *want)
{
	expect_fmt(NULL, line, want);
}

static void test_syslog_headers(void **state)
{
	(void)state;
	expect(
	    "Oct 22 17:41:00 web01 sshd[1234]: Server listening on 0.0.0.0 port 22.",
	    "format=syslog|host=web01|program=sshd|pid=1234|msg=Server listening on 0.0.0.0 port "
	    "22.");
	assert_int_equal(rec.time, civil(2026, 10, 22, 17, 41, 0, VN));
	/* the latest such date not more than a day after now: December is last year */
	expect("Dec  3 01:02:03 h cron[1]: x", "host=h|program=cron|msg=x");
	assert_int_equal(rec.time, civil(2025, 12, 3, 1, 2, 3, VN));
	expect("<38>Oct 22 17:41:00 h sshd[7]: x", "host=h|pid=7");
	expect("Oct 22 2025 17:41:00 asa01 sshd[9]: y", "host=asa01|msg=y");
	assert_int_equal(rec.time, civil(2025, 10, 22, 17, 41, 0, VN));
	expect("2026-10-22T17:41:00.123456+07:00 web01 sudo: pam_unix(sudo:session): session "
	       "closed for user root",
	       "host=web01|program=sudo|-pid|user=root|decoder=pam");
	assert_int_equal(rec.time, civil(2026, 10, 22, 17, 41, 0, VN));
	assert_int_equal(rec.time_ms, 123);
	expect("2026-10-22T10:41:00Z web01 kernel: [  1.0] x", "program=kernel");
	assert_int_equal(rec.time, civil(2026, 10, 22, 10, 41, 0, 0));
	expect("<34>1 2026-10-22T17:41:00.003Z mymachine.example.com su - ID47 - 'su root' failed "
	       "for lonvick on /dev/pts/8",
	       "host=mymachine.example.com|program=su|-pid|msg='su root' failed for lonvick on "
	       "/dev/pts/8");
	assert_int_equal(rec.time, civil(2026, 10, 22, 17, 41, 0, 0));
	expect("<165>1 2026-10-22T22:14:15.003+07:00 h evntslog 123 ID47 [exampleSDID@32473 "
	       "iut=\"3\" eventSource=\"App]\"] An application event",
	       "program=evntslog|pid=123|msg=An application event");
	/* no host written by the sender */
	expect("Oct 22 17:41:00 sshd[5]: Accepted publickey for bob from 10.0.0.9 port 2 ssh2",
	       "-host|program=sshd|user=bob|action=auth_success");
	/* Linux_2k.log oddities */
	expect("Jun 19 04:09:11 combo syslogd 1.4.1: restart.", "host=combo|program=syslogd");
	expect("Jul 10 12:00:00 combo -- MARK --", "host=combo");
}

static void test_not_decoded(void **state)
{
	struct cg_logdec_opts o = {now_2026(), 0, NULL};
	const char *bad[] = {"",
	                     "hello world",
	                     "Oct 22 17:41 h x",
	                     "<999>Oct 22 17:41:00 h x",
	                     "Foo 22 17:41:00 h x",
	                     "2026-13-22T17:41:00Z h x"};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(cg_logdec_line(&o, bad[i], strlen(bad[i]), &rec), CG_ENOENT);
		assert_true(rec.f[CG_LF_MSG].ptr == bad[i]);
		assert_int_equal(rec.f[CG_LF_MSG].len, strlen(bad[i]));
		assert_null(rec.f[CG_LF_SRCIP].ptr);
		assert_int_equal(rec.has_time, 0);
	}
	o.format = "nonsense";
	assert_int_equal(cg_logdec_line(&o, "x", 1, &rec), CG_EINVAL);
	assert_int_equal(cg_logdec_line(NULL, "x", 1, &rec), CG_EINVAL);
	o.format = NULL;
	assert_int_equal(cg_logdec_line(&o, NULL, 3, &rec), CG_EINVAL);
	assert_true(cg_logdec_format_known("syslog"));
	assert_false(cg_logdec_format_known("sys"));
	assert_string_equal(cg_logdec_formats()[0], "syslog");
}

static void test_sshd(void **state)
{
	(void)state;
	expect("Dec 10 06:55:48 LabSZ sshd[24200]: Failed password for invalid user webmaster from "
	       "173.234.31.186 port 38926 ssh2",
	       "decoder=sshd|service=ssh|action=auth_fail|user=webmaster|srcip=173.234.31.186|"
	       "srcport=38926");
	expect("Nov  1 00:20:32 bastion sshd[57820]: Failed password for bob from 2001:db8::7 port "
	       "26784 ssh2",
	       "action=auth_fail|user=bob|srcip=2001:db8::7|srcport=26784");
	/* a user name that holds " from " cannot move the blame */
	expect("Nov  1 00:20:32 b sshd[1]: Failed password for invalid user x from 6.6.6.6 from "
	       "5.5.5.5 port 22 ssh2",
	       "user=x from 6.6.6.6|srcip=5.5.5.5|action=auth_fail");
	expect("Dec 10 08:24:40 LabSZ sshd[24363]: Failed none for invalid user 0 from "
	       "5.188.10.180 port 49811 ssh2",
	       "user=0|srcip=5.188.10.180|-action");
	expect("Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186",
	       "action=invalid_user|user=webmaster|srcip=173.234.31.186|-srcport");
	expect("Nov  1 00:00:01 b sshd[3]: Invalid user  from 1.2.3.4 port 5",
	       "action=invalid_user|-user|srcip=1.2.3.4|srcport=5");
	expect("Dec 10 06:55:46 LabSZ sshd[24200]: input_userauth_request: invalid user webmaster "
	       "[preauth]",
	       "user=webmaster|-srcip|-action");
	expect("Nov  1 00:00:01 b sshd[3]: error: maximum authentication attempts exceeded for "
	       "invalid user admin from 198.51.100.4 port 4242 ssh2 [preauth]",
	       "action=auth_maxtries|user=admin|srcip=198.51.100.4|srcport=4242");
	expect("Nov  1 00:37:20 bastion sshd[60866]: Accepted password for heidi from 10.94.149.35 "
	       "port 59535 ssh2",
	       "action=auth_success|user=heidi|srcip=10.94.149.35");
	expect("Nov  1 00:37:20 b sshd[6]: Accepted publickey for git from 10.0.0.1 port 5 ssh2: "
	       "RSA SHA256:abc",
	       "action=auth_success|user=git|srcip=10.0.0.1|srcport=5");
	expect("Dec 10 06:55:46 LabSZ sshd[24200]: pam_unix(sshd:auth): authentication failure; "
	       "logname= uid=0 euid=0 tty=ssh ruser= rhost=173.234.31.186  user=root",
	       "decoder=pam|service=ssh|srcip=173.234.31.186|user=root|-action");
	expect("Dec 10 06:55:46 LabSZ sshd[24200]: pam_unix(sshd:auth): check pass; user unknown",
	       "decoder=pam|-action");
	expect("Dec 10 07:13:56 LabSZ sshd[24227]: PAM 5 more authentication failures; logname= "
	       "uid=0 euid=0 tty=ssh ruser= rhost=5.36.59.76  user=root",
	       "srcip=5.36.59.76|user=root|-action");
	expect("Nov  1 00:20:35 b sshd[5]: Connection closed by authenticating user bob "
	       "223.107.186.238 port 26784 [preauth]",
	       "user=bob|srcip=223.107.186.238|srcport=26784|-action");
	expect("Nov  1 00:07:50 b sshd[5]: Connection closed by 36.236.51.156 port 37565",
	       "-user|srcip=36.236.51.156|srcport=37565");
	expect("Dec 10 06:55:48 LabSZ sshd[24200]: Connection closed by 173.234.31.186 [preauth]",
	       "srcip=173.234.31.186");
	expect("Nov  1 00:00:01 b sshd[3]: Disconnected from invalid user oracle 203.0.113.9 port "
	       "1234 [preauth]",
	       "user=oracle|srcip=203.0.113.9|-action");
	expect("Nov  1 00:00:01 b sshd[3]: Disconnecting authenticating user root 203.0.113.9 port "
	       "1234: Too many authentication failures [preauth]",
	       "user=root|srcip=203.0.113.9|srcport=1234");
	expect("Dec 10 07:07:45 LabSZ sshd[24206]: Received disconnect from 52.80.34.196: 11: Bye "
	       "Bye [preauth]",
	       "srcip=52.80.34.196");
	expect("Dec 10 07:08:28 LabSZ sshd[24208]: reverse mapping checking getaddrinfo for "
	       "ns.marryaldkfaczcz.com [173.234.31.186] failed - POSSIBLE BREAK-IN ATTEMPT!",
	       "srcip=173.234.31.186");
	expect("Dec 10 07:08:28 LabSZ sshd[1]: Did not receive identification string from "
	       "103.79.141.133",
	       "srcip=103.79.141.133");
	expect("Dec 10 07:13:56 LabSZ sshd[24227]: message repeated 5 times: [ Failed password for "
	       "root from 5.36.59.76 port 42393 ssh2]",
	       "action=auth_fail|user=root|srcip=5.36.59.76");
	expect("Dec 10 07:13:56 h sshd-session[2]: Failed password for root from 1.2.3.4 port 42 "
	       "ssh2",
	       "decoder=sshd|action=auth_fail");
	/* Linux_2k.log's old PAM tag */
	expect(
	    "Jun 15 02:04:59 combo sshd(pam_unix)[20882]: authentication failure; logname= uid=0 "
	    "euid=0 tty=NODEVssh ruser= rhost=220-135-151-1.hinet-ip.hinet.net  user=root",
	    "decoder=pam|program=sshd(pam_unix)|service=ssh|user=root|-srcip|-action");
	expect(
	    "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 "
	    "euid=0 tty=NODEVssh ruser= rhost=218.188.2.4 ",
	    "srcip=218.188.2.4|-user");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_syslog_headers),
	    cmocka_unit_test(test_not_decoded),
	    cmocka_unit_test(test_sshd),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

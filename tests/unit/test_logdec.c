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

#ifdef _WIN32
#define timegm _mkgmtime /* the Windows C runtime's name for it */
#endif

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
	/* ... even when it looks like a whole sshd tail: the last one that ends the line wins */
	expect("Nov  1 00:20:32 b sshd[1]: Failed password for invalid user x from 6.6.6.6 port 22 "
	       "ssh2: y from 5.5.5.5 port 23 ssh2",
	       "srcip=5.5.5.5|srcport=23|user=x from 6.6.6.6 port 22 ssh2: y|action=auth_fail");
	/* an existing account's name is one word: the address right after it (fail2ban's cases) */
	expect("Sep 29 17:15:02 spaceman sshd[12946]: Failed password for user from 127.0.0.1 port "
	       "20000 ssh1: ruser from 1.2.3.4",
	       "user=user|srcip=127.0.0.1|action=auth_fail");
	expect(
	    "Mar 29 05:20:09 dusky sshd[19558]: [ID 800047 auth.info] Failed keyboard-interactive "
	    "for james from 205.186.180.30 port 54520 ssh2",
	    "user=james|srcip=205.186.180.30|action=auth_fail");
	expect("Apr 29 12:53:38 mac sshd[47831]: error: PAM: authentication failure for james from "
	       "205.186.180.88 via 192.168.1.201",
	       "user=james|srcip=205.186.180.88|-action");
	expect("Dec 12 20:04:39 aragorn sshd[1328]: error: PAM: User not known to the underlying "
	       "authentication module for illegal user kernelitshell from 10.215.4.227 ",
	       "user=kernelitshell|srcip=10.215.4.227|-action");
	expect("Jan  5 01:31:41 www sshd[1643]: ROOT LOGIN REFUSED FROM ::ffff:1.2.3.4",
	       "user=root|srcip=1.2.3.4");
	expect("Jun 7 01:11:58 host sshd[8783]: Bad protocol version identification 'dummy string' "
	       "from 192.0.2.1' from 69.61.56.115 port 31778",
	       "srcip=69.61.56.115|-user");
	expect("Nov 26 13:03:29 srv sshd[45]: Unable to negotiate with 192.0.2.1 port 55419: no "
	       "matching cipher found.",
	       "srcip=192.0.2.1|srcport=55419");
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

static void test_local_accounts(void **state)
{
	(void)state;
	expect(
	    "Nov  1 01:17:53 bastion sudo:     judy : 1 incorrect password attempt ; TTY=pts/1 ; "
	    "PWD=/home/judy ; USER=root ; COMMAND=/usr/bin/su",
	    "decoder=sudo|action=sudo_fail|srcuser=judy|user=root|tty=pts/1|command=/usr/bin/su");
	expect("Nov  1 01:33:44 bastion sudo:      bob : TTY=pts/9 ; PWD=/home/bob ; USER=root ; "
	       "COMMAND=/usr/bin/systemctl restart nginx",
	       "action=sudo|srcuser=bob|user=root|command=/usr/bin/systemctl restart nginx");
	expect("Nov  1 01:33:44 b sudo:   mallory : user NOT in sudoers ; TTY=pts/0 ; PWD=/ ; "
	       "USER=root ; COMMAND=/bin/sh",
	       "action=sudo_fail|srcuser=mallory");
	expect("Nov  1 01:17:53 bastion sudo: pam_unix(sudo:auth): authentication failure; "
	       "logname=judy uid=1009 euid=0 tty=/dev/pts/1 ruser=judy rhost=  user=judy",
	       "decoder=pam|service=sudo|action=sudo_fail|user=judy|srcuser=judy|-srcip");
	expect(
	    "Nov  1 01:33:44 b sudo: pam_unix(sudo:session): session opened for user root(uid=0) "
	    "by bob(uid=1001)",
	    "decoder=pam|user=root|srcuser=bob|-action");
	expect("Nov  1 02:00:00 b su[99]: FAILED SU (to root) bob on pts/0",
	       "decoder=su|action=auth_fail|user=root|srcuser=bob|tty=pts/0|service=su");
	expect("Nov  1 02:00:00 b su[99]: (to root) bob on pts/0",
	       "decoder=su|action=auth_success|user=root|srcuser=bob");
	expect("Nov  1 02:00:00 b su[99]: FAILED su for root by bob",
	       "action=auth_fail|user=root|srcuser=bob");
	expect("Jun 14 15:16:01 combo su(pam_unix)[21416]: session opened for user news by (uid=0)",
	       "decoder=pam|service=su|user=news");
	expect("Nov  1 02:00:00 b useradd[812]: new user: name=hacker, UID=1002, GID=1002, "
	       "home=/home/hacker, shell=/bin/bash, from=/dev/pts/0",
	       "decoder=useradd|action=user_add|user=hacker");
	expect("Nov  1 02:00:00 b useradd[812]: new group: name=hacker, GID=1002",
	       "action=group_add|group=hacker");
	expect("Nov  1 02:00:00 b groupadd[813]: group added to /etc/group: name=dev, GID=1003",
	       "action=group_add|group=dev");
	expect("Nov  1 02:00:00 b usermod[814]: add 'hacker' to group 'sudo'",
	       "action=group_member_add|user=hacker|group=sudo");
	expect("Nov  1 02:00:00 b usermod[814]: add 'hacker' to shadow group 'sudo'",
	       "action=group_member_add|user=hacker|group=sudo");
	expect("Nov  1 02:00:00 b gpasswd[815]: user hacker added by root to group sudo",
	       "action=group_member_add|user=hacker|srcuser=root|group=sudo");
	expect("Nov  1 02:00:00 b userdel[816]: delete user 'hacker'",
	       "action=user_del|user=hacker");
}

static void test_mail_ftp(void **state)
{
	(void)state;
	expect("Oct 22 17:41:00 mail postfix/smtpd[2745]: warning: unknown[185.234.219.12]: SASL "
	       "LOGIN authentication failed: UGFzc3dvcmQ6",
	       "decoder=postfix|program=postfix/smtpd|action=auth_fail|srcip=185.234.219.12|"
	       "service=smtp");
	expect("Oct 22 17:41:00 mail postfix/smtpd[2745]: warning: host.example.net[2001:db8::5]: "
	       "SASL PLAIN authentication failed: authentication failure",
	       "action=auth_fail|srcip=2001:db8::5");
	expect("Oct 22 17:41:00 mail postfix/smtpd[2745]: 4F2B81C0: client=unknown[203.0.113.7], "
	       "sasl_method=PLAIN, sasl_username=thu@truong.edu.vn",
	       "action=auth_success|user=thu@truong.edu.vn|srcip=203.0.113.7");
	expect("Oct 22 17:41:00 mail postfix/smtpd[2745]: connect from unknown[203.0.113.7]",
	       "srcip=203.0.113.7|-action");
	expect("Oct 22 17:41:00 mail dovecot: imap-login: Disconnected (auth failed, 1 attempts in "
	       "2 secs): user=<lan>, method=PLAIN, rip=198.51.100.23, lip=10.0.0.5, TLS, "
	       "session=<abc>",
	       "decoder=dovecot|service=imap|action=auth_fail|user=lan|srcip=198.51.100.23");
	expect("Oct 22 17:41:00 mail dovecot: pop3-login: Login: user=<lan>, method=PLAIN, "
	       "rip=198.51.100.23, lip=10.0.0.5, mpid=1234",
	       "service=pop3|action=auth_success|user=lan");
	expect("Oct 22 17:41:00 mail dovecot: auth: passwd-file(admin,198.51.100.9,<x>): unknown "
	       "user",
	       "decoder=dovecot|user=admin|srcip=198.51.100.9|-action");
	expect("Oct 22 17:41:00 ftp vsftpd[1234]: [bob] FAIL LOGIN: Client \"::ffff:198.51.100.4\"",
	       "decoder=vsftpd|action=auth_fail|user=bob|srcip=198.51.100.4|service=ftp");
	expect("Oct 22 17:41:00 ftp vsftpd[1234]: [pid 1235] [bob] OK LOGIN: Client \"10.1.1.1\"",
	       "action=auth_success|user=bob|srcip=10.1.1.1");
	expect("Oct 22 17:41:00 ftp proftpd[777]: ftp.truong.edu.vn (203.0.113.50[203.0.113.50]) - "
	       "USER admin: no such user found from 203.0.113.50 [203.0.113.50] to 10.0.0.2:21",
	       "decoder=proftpd|action=invalid_user|user=admin|srcip=203.0.113.50");
	expect(
	    "Oct 22 17:41:00 ftp proftpd[777]: ftp (203.0.113.50[203.0.113.50]) - USER bob (Login "
	    "failed): Incorrect password",
	    "action=auth_fail|user=bob|srcip=203.0.113.50");
	expect("Oct 22 17:41:00 ftp proftpd[777]: ftp (203.0.113.50[203.0.113.50]) - Maximum login "
	       "attempts (3) exceeded, connection refused",
	       "action=auth_maxtries|srcip=203.0.113.50");
	expect(
	    "Oct 22 17:41:00 ftp proftpd[777]: ftp (203.0.113.50[203.0.113.50]) - USER bob: Login "
	    "successful.",
	    "action=auth_success|user=bob");
	expect(
	    "Jun 09 11:15:43 ftp proftpd[17424] ftp.example (::ffff:101.71.143.238[::ffff:101.71."
	    "143.238]): USER god: no such user found from ::ffff:101.71.143.238 [::ffff:101.71.143."
	    "238] to ::ffff:10.0.0.1:21",
	    "action=invalid_user|user=god|srcip=101.71.143.238");
	expect(
	    "Jan 29 09:33:58 pop3-login: Info: Aborted login (auth failed, 1 attempts in 2 secs): "
	    "user=<grace>, method=PLAIN, rip=212.9.180.3",
	    "decoder=dovecot|service=pop3|action=auth_fail|user=grace|srcip=212.9.180.3");
	expect("Jun 12 11:48:12 auth-worker(80180): Info: conn unix:auth-worker (uid=143): "
	       "auth-worker<13247>: sql(support,192.0.2.6): unknown user",
	       "decoder=dovecot|user=support|srcip=192.0.2.6|-action");
	expect("Oct 11 01:06:47 ServerJV vsftpd: (pam_unix) authentication failure; logname= uid=0 "
	       "euid=0 tty= ruser= rhost=209.67.1.67",
	       "decoder=pam|service=vsftpd|srcip=209.67.1.67|-action");
	/* vsftpd's own file */
	expect("Tue Oct 22 17:41:00 2026 [pid 123] [user] FAIL LOGIN: Client \"1.2.3.4\"",
	       "format=vsftpd|decoder=vsftpd|pid=123|user=user|srcip=1.2.3.4|action=auth_fail");
	assert_int_equal(rec.time, civil(2026, 10, 22, 17, 41, 0, VN));
	expect("Tue Oct  6 07:01:02 2026 [pid 9] CONNECT: Client \"2001:db8::2\"",
	       "format=vsftpd|srcip=2001:db8::2|-action|-user");
	expect("Thu Oct 22 17:41:00 2026 1 203.0.113.9 1024 /pub/a.txt b _ o a x@y ftp 0 * c",
	       "format=vsftpd|srcip=203.0.113.9");
}

static void test_web(void **state)
{
	(void)state;
	expect("203.0.113.9 - - [22/Oct/2026:17:41:00 +0700] \"GET /index.php?id=1%27 HTTP/1.1\" "
	       "200 5120 \"https://truong.edu.vn/\" \"Mozilla/5.0 (X11; Linux x86_64)\"",
	       "format=access|action=http_request|service=http|srcip=203.0.113.9|method=GET|"
	       "url=/index.php?id=1%27|status=200|bytes=5120|referer=https://truong.edu.vn/|"
	       "ua=Mozilla/5.0 (X11; Linux x86_64)|-user");
	assert_int_equal(rec.time, civil(2026, 10, 22, 17, 41, 0, VN));
	expect("127.0.0.1 - frank [10/Oct/2026:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 "
	       "2326",
	       "srcip=127.0.0.1|user=frank|status=200|bytes=2326|-referer|-ua");
	assert_int_equal(rec.time, civil(2026, 10, 10, 13, 55, 36, -7 * 3600));
	expect("truong.edu.vn:443 2001:db8::9 - - [22/Oct/2026:17:41:00 +0700] \"POST "
	       "/wp-login.php HTTP/2.0\" 302 0 \"-\" \"python-requests/2.31\"",
	       "host=truong.edu.vn:443|srcip=2001:db8::9|method=POST|url=/wp-login.php|status=302|"
	       "-referer|ua=python-requests/2.31");
	expect("198.51.100.7 - - [22/Oct/2026:17:41:00 +0000] \"\\x16\\x03\\x01\" 400 157 \"-\" "
	       "\"-\"",
	       "srcip=198.51.100.7|status=400|-method|-url|-ua");
	expect("198.51.100.7 - - [22/Oct/2026:17:41:00 +0000] \"GET /a\\\"b HTTP/1.1\" 404 - \"-\" "
	       "\"curl/8\"",
	       "url=/a\\\"b|status=404|-bytes|ua=curl/8");
	/* Apache error log, 2.2 and 2.4 */
	expect("[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6",
	       "format=apache-error|level=error|action=error|msg=mod_jk child workerEnv in error "
	       "state 6");
	assert_int_equal(rec.time, civil(2005, 12, 4, 4, 47, 44, VN));
	expect(
	    "[Sun Dec 04 20:47:17 2005] [error] [client 67.169.12.184] Directory index forbidden "
	    "by rule: /var/www/html/",
	    "level=error|srcip=67.169.12.184|msg=Directory index forbidden by rule: "
	    "/var/www/html/");
	expect("[Wed Oct 11 14:32:52.123456 2026] [core:error] [pid 1234:tid 56] [client "
	       "1.2.3.4:5678] AH00126: Invalid URI in request GET /../../etc/passwd HTTP/1.1",
	       "level=error|program=core|pid=1234|srcip=1.2.3.4|srcport=5678|msg=AH00126: Invalid "
	       "URI in request GET /../../etc/passwd HTTP/1.1");
	assert_int_equal(rec.time_ms, 123);
	/* Apache's error log sent to syslog; bracketed IPv6 client */
	expect("Feb 15 16:54:53 tools apache2[18154]: [:error] [pid 18154:tid 140680873617152] "
	       "[client 192.0.2.3:48154] AH01630: client denied by server configuration: /var/www",
	       "format=syslog|decoder=apache|program=apache2|pid=18154|level=error|srcip=192.0.2.3|"
	       "srcport=48154|action=error");
	expect("[Sat Jul 20 22:11:44.147674 2013] [authz_owner:error] [pid 17540:tid 1] [client "
	       "[2606:2800:220:1:248:1893:25c8:1946]:51548] AH01637: Authorization failed",
	       "srcip=2606:2800:220:1:248:1893:25c8:1946|srcport=51548|msg=AH01637: Authorization "
	       "failed");
	/* nginx error log */
	expect(
	    "2026/10/22 17:41:00 [error] 1234#1234: *5 open() \"/var/www/html/shell.php\" failed "
	    "(2: No such file or directory), client: 203.0.113.9, server: truong.edu.vn, request: "
	    "\"GET /shell.php HTTP/1.1\", host: \"truong.edu.vn\"",
	    "format=nginx-error|level=error|pid=1234|srcip=203.0.113.9|host=truong.edu.vn|"
	    "method=GET|url=/shell.php|action=error|program=nginx");
	assert_int_equal(rec.time, civil(2026, 10, 22, 17, 41, 0, VN));
	expect("2026/10/22 17:41:00 [notice] 1#1: signal process started", "level=notice|-srcip");
	/* a path holding ", client: " cannot choose the address */
	expect(
	    "2026/10/22 17:41:00 [error] 7#7: *9 open() \"/x, client: 6.6.6.6, y\" failed (2: No "
	    "such file or directory), client: 203.0.113.10, server: _, request: \"GET /x "
	    "HTTP/1.1\"",
	    "srcip=203.0.113.10|host=_|url=/x");
	expect("Dec 10 07:13:56 LabSZ sshd[1]: Disconnecting: Too many authentication failures for "
	       "admin [preauth]",
	       "user=admin|-srcip|-action");
	expect("host.example - bob [22/Oct/2026:17:41:00 +0000] \"GET / HTTP/1.1\" 200 1",
	       "host=host.example|-srcip|user=bob");
}

static void test_journald(void **state)
{
	(void)state;
	expect("{\"__CURSOR\":\"s=1\",\"__REALTIME_TIMESTAMP\":\"1792662060123456\",\"_HOSTNAME\":"
	       "\"web01\",\"SYSLOG_IDENTIFIER\":\"sshd\",\"_PID\":\"4242\",\"MESSAGE\":\"Failed "
	       "password for root from 203.0.113.9 port 50000 ssh2\",\"_COMM\":\"sshd\"}",
	       "format=journald|decoder=sshd|host=web01|program=sshd|pid=4242|action=auth_fail|"
	       "user=root|srcip=203.0.113.9");
	assert_int_equal(rec.time, 1792662060);
	assert_int_equal(rec.time_ms, 123);
	/* MESSAGE as bytes ("Invalid user a from 1.2.3.4"), escapes, nested values skipped */
	expect("{\"__REALTIME_TIMESTAMP\":\"1792662060000000\",\"SYSLOG_IDENTIFIER\":\"sshd\","
	       "\"X\":{\"a\":[1,{\"b\":2}]},\"MESSAGE\":[73,110,118,97,108,105,100,32,117,115,101,"
	       "114,32,97,32,102,114,111,109,32,49,46,50,46,51,46,52]}",
	       "msg=Invalid user a from 1.2.3.4|action=invalid_user|user=a|srcip=1.2.3.4");
	expect(
	    "{\"SYSLOG_IDENTIFIER\":\"sudo\",\"MESSAGE\":\"  bob : TTY=pts/0 ; PWD=/ ; USER=root "
	    "; COMMAND=/bin/echo \\\"hi\\\" \\u00e9\\ud83d\\ude00\"}",
	    "action=sudo|command=/bin/echo \"hi\" \xc3\xa9\xf0\x9f\x98\x80");
	expect("{\"_COMM\":\"useradd\",\"MESSAGE\":\"new user: name=x, UID=1\"}",
	       "program=useradd|action=user_add|user=x");
}

static void test_windows(void **state)
{
	(void)state;
	/* NXLog JSON */
	expect(
	    "{\"EventTime\":\"2026-10-22 17:41:00\",\"Hostname\":\"DC01.truong.local\",\"EventID\":"
	    "4625,\"SourceName\":\"Microsoft-Windows-Security-Auditing\",\"TargetUserName\":"
	    "\"administrator\",\"SubjectUserName\":\"-\",\"LogonType\":\"10\",\"IpAddress\":"
	    "\"203.0.113.77\",\"IpPort\":\"51515\",\"Status\":\"0xc000006d\",\"Message\":\"An "
	    "account failed to log on.\"}",
	    "format=winevent|decoder=winsec|eventid=4625|action=auth_fail|service=rdp|"
	    "user=administrator|-srcuser|srcip=203.0.113.77|srcport=51515|logontype=10|"
	    "host=DC01.truong.local|status=0xc000006d");
	assert_int_equal(rec.time, civil(2026, 10, 22, 17, 41, 0, VN));
	expect("{\"EventID\":4732,\"Hostname\":\"DC01\",\"TargetUserName\":\"Administrators\","
	       "\"MemberName\":\"CN=Nguyen Van A,OU=Staff,DC=truong,DC=local\",\"SubjectUserName\":"
	       "\"admin\"}",
	       "action=group_member_add|group=Administrators|user=Nguyen Van A|srcuser=admin");
	expect("{\"EventID\":4720,\"TargetUserName\":\"backdoor\",\"SubjectUserName\":\"admin\"}",
	       "action=user_add|user=backdoor|srcuser=admin");
	expect("{\"EventID\":\"1102\",\"SubjectUserName\":\"admin\"}",
	       "action=log_cleared|srcuser=admin");
	/* winlogbeat */
	expect(
	    "{\"@timestamp\":\"2026-10-22T10:41:00.500Z\",\"event\":{\"code\":\"4624\"},"
	    "\"winlog\":{\"event_id\":\"4624\",\"computer_name\":\"PC-LAB-01\",\"event_data\":{"
	    "\"TargetUserName\":\"hocsinh\",\"LogonType\":\"3\",\"IpAddress\":\"::ffff:10.0.0.5\"}}"
	    ",\"message\":\"An account was successfully logged on.\"}",
	    "format=winevent|eventid=4624|action=auth_success|user=hocsinh|srcip=10.0.0.5|"
	    "host=PC-LAB-01|logontype=3|-service");
	assert_int_equal(rec.time, civil(2026, 10, 22, 10, 41, 0, 0));
	/* NXLog by syslog: text */
	expect(
	    "<13>Oct 22 17:41:00 DC01 Microsoft-Windows-Security-Auditing[624]: An account "
	    "failed to log on.    Subject:   Security ID:  S-1-0-0   Account Name:  -   Account "
	    "Domain:  -   Logon ID:  0x0    Logon Type:   3    Account For Which Logon Failed:   "
	    "Security ID:  S-1-0-0   Account Name:  ketoan   Account Domain:  TRUONG    Failure "
	    "Information:   Failure Reason:  Unknown user name or bad password.   Status:   "
	    "0xC000006D    Network Information:   Workstation Name: KALI   Source Network "
	    "Address: 198.51.100.66   Source Port:  0",
	    "decoder=winsec|eventid=4625|action=auth_fail|user=ketoan|-srcuser|logontype=3|"
	    "srcip=198.51.100.66|status=0xC000006D");
	expect(
	    "<13>Oct 22 17:41:00 DC01 Microsoft-Windows-Security-Auditing[624]: A user account "
	    "was created.\tSubject:\t\tSecurity ID:\t\tS-1-5-21-1\t\tAccount Name:\t\tadmin\tNew "
	    "Account:\t\tSecurity ID:\t\tS-1-5-21-2\t\tAccount Name:\t\tbackdoor",
	    "eventid=4720|action=user_add|user=backdoor|srcuser=admin");
	expect("<13>Oct 22 17:41:00 DC01 Microsoft-Windows-Security-Auditing[624]: The audit log "
	       "was cleared.  Subject:  Security ID: S-1-5-21-1  Account Name: admin",
	       "eventid=1102|action=log_cleared|srcuser=admin");
	expect("<13>Oct 22 17:41:00 DC01 Microsoft-Windows-Security-Auditing[624]: EventID=4625 "
	       "TargetUserName=bob IpAddress=203.0.113.5 LogonType=10 SubjectUserName=-",
	       "eventid=4625|action=auth_fail|user=bob|srcip=203.0.113.5|service=rdp|-srcuser");
	/* NXLog's RFC 5424 output: the fields in structured data, the text after it */
	expect(
	    "<14>1 2026-10-22T17:41:00.000000+07:00 DC01 Microsoft-Windows-Security-Auditing 624 - "
	    "[NXLOG@14506 Keywords=\"-9214364837600034816\" EventType=\"AUDIT_FAILURE\" "
	    "EventID=\"4625\" TargetUserName=\"ketoan\" SubjectUserName=\"-\" LogonType=\"10\" "
	    "IpAddress=\"203.0.113.44\" IpPort=\"50123\"] An account failed to log on.",
	    "format=syslog|decoder=winsec|eventid=4625|action=auth_fail|service=rdp|user=ketoan|"
	    "-srcuser|srcip=203.0.113.44|srcport=50123|host=DC01");
	/* Snare */
	expect("<13>Oct 22 17:41:00 DC01 MSWinEventLog\t1\tSecurity\t1234\tThu Oct 22 17:41:00 "
	       "2026\t4625\tMicrosoft-Windows-Security-Auditing\tN/A\tN/A\tFailure "
	       "Audit\tDC01.truong.local\tLogon\t\tAn account failed to log on.  Subject:  Account "
	       "Name: -  Logon Type: 10  Account For Which Logon Failed:  Account Name: giaovien  "
	       "Source Network Address: 203.0.113.8  Source Port: 4444\t55",
	       "decoder=winsec|program=MSWinEventLog|eventid=4625|host=DC01.truong.local|"
	       "action=auth_fail|user=giaovien|srcip=203.0.113.8|srcport=4444|service=rdp");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_syslog_headers), cmocka_unit_test(test_not_decoded),
	    cmocka_unit_test(test_sshd),           cmocka_unit_test(test_local_accounts),
	    cmocka_unit_test(test_mail_ftp),       cmocka_unit_test(test_web),
	    cmocka_unit_test(test_journald),       cmocka_unit_test(test_windows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

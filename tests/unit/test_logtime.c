/* test_logtime.c - the time of a log line: one line per log format of tests/cases/ipextract
 * (real layouts), zones, syslog dates without a year against `now`, and text that holds no
 * time. Expected times come from libc's timegm, not from the engine's own arithmetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <time.h>

#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "canhgac/logtime.h"

#define VN 25200

/* UTC seconds of a civil time that is tz seconds east of UTC. */
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

static int64_t parse_ok(const char *line, int64_t now, int64_t tz)
{
	int64_t t = 0;
	int rc = cg_logtime_parse(line, strlen(line), now, tz, &t);
	if (rc != 0)
		fail_msg("no time in: %s", line);
	return t;
}

static void none(const char *line, int64_t now)
{
	int64_t t = 42;
	assert_int_equal(cg_logtime_parse(line, strlen(line), now, VN, &t), CG_ENOENT);
	assert_int_equal(t, 42);
}

static void test_formats(void **state)
{
	int64_t now = civil(2026, 11, 25, 13, 0, 0, 0);
	(void)state;
	/* iptables via rsyslog, pfSense, MikroTik: no year, local time */
	assert_int_equal(parse_ok("Nov  1 00:00:01 fw kernel: [1234567.123456] [UFW BLOCK] "
	                          "IN=eth0 SRC=198.51.100.7 DST=203.0.113.5",
	                          now, VN),
	                 civil(2026, 11, 1, 0, 0, 1, VN));
	assert_int_equal(parse_ok("<134>Oct 22 17:41:00 192.168.88.1 firewall,info input", now, VN),
	                 civil(2026, 10, 22, 17, 41, 0, VN));
	/* Cisco ASA with a year */
	assert_int_equal(
	    parse_ok("Nov  1 2024 10:00:00 asa : %ASA-6-302013: Built inbound TCP", now, VN),
	    civil(2024, 11, 1, 10, 0, 0, VN));
	/* FortiGate: date= then time=, local (its eventtime= is ignored) */
	assert_int_equal(parse_ok("date=2024-11-01 time=10:00:00 devname=\"FGT\" "
	                          "eventtime=1730430000123456789 srcip=192.168.1.23",
	                          now, VN),
	                 civil(2024, 11, 1, 10, 0, 0, VN));
	/* bind query log */
	assert_int_equal(
	    parse_ok("01-Nov-2024 10:00:00.123 queries: info: client 192.168.1.23#53", now, VN),
	    civil(2024, 11, 1, 10, 0, 0, VN));
	/* Squid and Zeek: epoch seconds opening the line */
	assert_int_equal(parse_ok("1730430000.123    150 192.168.1.23 TCP_MISS/200", now, VN),
	                 1730430000);
	assert_int_equal(parse_ok("1730430000.123456\tCHhAvVGS1DHFjwGM9\t192.168.1.23", now, VN),
	                 1730430000);
	/* NetFlow CSV: the first time of the line */
	assert_int_equal(
	    parse_ok("2024-11-01 10:00:00,2024-11-01 10:00:05,5.000,192.168.1.23", now, VN),
	    civil(2024, 11, 1, 10, 0, 0, VN));
	/* web server common log format with its zone */
	assert_int_equal(
	    parse_ok("58.186.22.63 - - [22/Oct/2026:17:41:00 +0000] \"GET / HTTP/1.1\"", now, VN),
	    civil(2026, 10, 22, 17, 41, 0, 0));
}

static void test_iso_zones(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("2026-10-22T17:41:00Z x", 0, VN),
	                 civil(2026, 10, 22, 17, 41, 0, 0));
	assert_int_equal(parse_ok("2026-10-22T17:41:00.5+07:00 x", 0, 0),
	                 civil(2026, 10, 22, 17, 41, 0, VN));
	assert_int_equal(parse_ok("2026-10-22 17:41:00-0130", 0, 0),
	                 civil(2026, 10, 22, 17, 41, 0, -5400));
	assert_int_equal(parse_ok("2026-10-22T17:41:00Zulu 2026-10-22T17:41:00,5", 0, VN),
	                 civil(2026, 10, 22, 17, 41, 0, VN));
	assert_int_equal(parse_ok("at 2026/10/22 17:41 local", 0, VN),
	                 civil(2026, 10, 22, 17, 41, 0, VN));
	/* no zone: tz */
	assert_int_equal(parse_ok("2026-10-22T17:41:00 x", 0, 3600),
	                 civil(2026, 10, 22, 17, 41, 0, 3600));
}

static void test_syslog_year(void **state)
{
	int64_t now = civil(2026, 1, 5, 0, 0, 0, 0);
	(void)state;
	/* a December line read in January is last year's */
	assert_int_equal(parse_ok("Dec 31 23:59:59 h k: x", now, VN),
	                 civil(2025, 12, 31, 23, 59, 59, VN));
	/* the same day, later than now: a year back */
	assert_int_equal(parse_ok("Jan  5 08:00:00 h k: x", now, VN),
	                 civil(2025, 1, 5, 8, 0, 0, VN));
	assert_int_equal(parse_ok("Jan  5 06:59:59 h k: x", now, VN),
	                 civil(2026, 1, 5, 6, 59, 59, VN));
	/* a `now` outside years 1900..9999 dates no year-less line, and still reads others */
	assert_int_equal(cg_logtime_parse("Dec 31 23:59:59 h", 17, INT64_MAX, VN, &now), CG_ENOENT);
	assert_int_equal(cg_logtime_parse("Dec 31 23:59:59 h", 17, INT64_MIN, VN, &now), CG_ENOENT);
	assert_int_equal(parse_ok("Dec 31 2025 23:59:59 h", INT64_MAX, VN),
	                 civil(2025, 12, 31, 23, 59, 59, VN));
	now = civil(2026, 1, 5, 0, 0, 0, 0);
	/* 29 February: the most recent leap year */
	assert_int_equal(parse_ok("Feb 29 10:00:00 h k: x", now, VN),
	                 civil(2024, 2, 29, 10, 0, 0, VN));
}

static void test_none(void **state)
{
	int64_t now = civil(2026, 11, 25, 0, 0, 0, 0);
	char big[CG_MAX_LOGTIME_SCAN + 64];
	int64_t t;
	(void)state;
	none("", now);
	none("firewall,info forward: in:bridge 192.168.88.10:5353->45.155.205.233:53", now);
	none("12026-10-22T17:41:00 x2026-10-22T17:41:00", now);
	none("2026-13-22T17:41:00 2026-10-32 10:00:00 2026-10-22T25:00:00", now);
	none("Foo 22 17:41:00 Oct 32 17:41:00 Octo 22 17:41:00 Oct 22 1:41:00", now);
	none("123456789 x 17304300001 y", now);
	none("1730430000x not an epoch", now);
	assert_int_equal(cg_logtime_parse(NULL, 5, now, VN, &t), CG_ENOENT);
	assert_int_equal(cg_logtime_parse("2026-10-22T17:41:00Z", 20, now, 100000, &t), CG_ENOENT);
	/* a time past the scanned prefix is not read */
	memset(big, 'x', sizeof(big));
	memcpy(big + CG_MAX_LOGTIME_SCAN - 8, " 2026-10-22T17:41:00Z", 21);
	assert_int_equal(cg_logtime_parse(big, sizeof(big), now, VN, &t), CG_ENOENT);
	memcpy(big + CG_MAX_LOGTIME_SCAN - 30, " 2026-10-22T17:41:00Z ", 22);
	assert_int_equal(cg_logtime_parse(big, sizeof(big), now, VN, &t), 0);
	assert_int_equal(t, civil(2026, 10, 22, 17, 41, 0, 0));
	/* bounds: a cut line never reads past n */
	assert_int_equal(cg_logtime_parse("2026-10-22T17:4", 15, now, VN, &t), CG_ENOENT);
	assert_int_equal(cg_logtime_parse("Oct 22 17:41:00", 14, now, VN, &t), CG_ENOENT);
	assert_int_equal(cg_logtime_parse("Oct 22 17:41:00", 15, now, VN, &t), 0);
	assert_int_equal(t, civil(2026, 10, 22, 17, 41, 0, VN));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_formats),
	    cmocka_unit_test(test_iso_zones),
	    cmocka_unit_test(test_syslog_year),
	    cmocka_unit_test(test_none),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* logtime.h - the time a log line was written, as UTC seconds (engine, no I/O).
 *
 * Reads the first time stamp found in the first CG_MAX_LOGTIME_SCAN bytes of a line, in the
 * forms the logs `match ips` reads write it:
 *  - ISO 8601 / RFC 3339: "2026-10-22T17:41:00Z", "2026-10-22 17:41:00.123+07:00",
 *    "2026-10-22T17:41" (bind, unbound, Cisco FTD, syslog-ng, journald --output=short-iso);
 *  - FortiGate key=value: "date=2026-10-22 time=17:41:00";
 *  - web servers' common log format "[22/Oct/2026:17:41:00 +0700]"; bind "22-Oct-2026
 * 17:41:00.123";
 *  - BSD syslog without a year: "Oct 22 17:41:00" (iptables, nftables, dnsmasq, MikroTik,
 *    sshd); with one: "Oct 22 2026 17:41:00" (Cisco ASA);
 *  - epoch seconds opening the line: "1792662060.123 ..." (Squid access.log, Zeek conn.log).
 * A time without a zone is local to `tz` (seconds east of UTC). A syslog date without a year is
 * the most recent such date and time not after `now` (UTC seconds), looking back up to 8 years
 * (29 February). Only whole tokens count: "12026-10-22" or "xOct 22 ..." do not.
 * Pure: the same bytes, now and tz give the same answer; safe from several threads. */
#ifndef CANHGAC_LOGTIME_H
#define CANHGAC_LOGTIME_H

#include <stddef.h>
#include <stdint.h>

/* Returns 0 and sets *out to the line's time, or CG_ENOENT when no time stamp is read (*out
 * untouched). */
int cg_logtime_parse(const char *line, size_t n, int64_t now, int64_t tz, int64_t *out);

#endif

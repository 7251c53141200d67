/* logdec_int.h - what the log decoders' files share (logdec*.c): bounded scanning helpers,
 * the time arithmetic of their headers and the entry points of each decoder. Not public. */
#ifndef CANHGAC_LOGDEC_INT_H
#define CANHGAC_LOGDEC_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "canhgac/logdec.h"
#include "canhgac/logrec.h"

/* A literal's bytes and length, for the helpers below. */
#define LD_LIT(s) s, (sizeof(s) - 1)

static inline int ld_dig(char c)
{
	return c >= '0' && c <= '9';
}

static inline int ld_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* 1 when p[0..n) starts with lit. */
static inline int ld_starts(const char *p, size_t n, const char *lit, size_t ln)
{
	return n >= ln && memcmp(p, lit, ln) == 0;
}

/* 1 when p[0..n) ends with lit. */
static inline int ld_ends(const char *p, size_t n, const char *lit, size_t ln)
{
	return n >= ln && memcmp(p + n - ln, lit, ln) == 0;
}

/* Length of the run of bytes before the first c (n when none). */
static inline size_t ld_until(const char *p, size_t n, char c)
{
	const char *q = n ? memchr(p, c, n) : NULL;
	return q ? (size_t)(q - p) : n;
}

/* The first occurrence of lit in p[0..n), or NULL. */
const char *cg_ld_find(const char *p, size_t n, const char *lit, size_t ln);
/* The last occurrence of lit in p[0..n), or NULL. */
const char *cg_ld_rfind(const char *p, size_t n, const char *lit, size_t ln);
/* Length of an IPv4 or IPv6 address opening p (hex digits, '.', ':', '%' zone), or 0 when the
 * run does not look like one (needs three dots or two colons). */
size_t cg_ld_iplen(const char *p, size_t n);
/* Sets field f to the address opening p ("::ffff:1.2.3.4" as 1.2.3.4); returns the length
 * read (0: nothing set). */
size_t cg_ld_setip(struct cg_logrec *r, enum cg_logfield f, const char *p, size_t n);
/* Length of the digits opening p. */
size_t cg_ld_digits(const char *p, size_t n);
/* Reads "from IP port P" or "IP port P" (after "from ") at p: sets srcip and srcport. */
void cg_ld_from_ip_port(struct cg_logrec *r, const char *p, size_t n);
/* Value of "key=" inside p (up to the next space, or ';'/',' when stop says so): sets f. The
 * key must open the text or follow a space, ';' or ','. Returns 1 when found non-empty. */
int cg_ld_kv(struct cg_logrec *r, enum cg_logfield f, const char *p, size_t n, const char *key,
             size_t kn);

/* UTC seconds of a civil date-time `tz` seconds east of UTC (no validation beyond ranges);
 * returns 0 or -1. */
int cg_ld_civil(int y, int mo, int d, int h, int mi, int s, int64_t tz, int64_t *out);
/* The latest year-less date "mo d h:mi:s" (local to tz) not more than a day after now. */
int cg_ld_recent(int mo, int d, int h, int mi, int s, int64_t now, int64_t tz, int64_t *out);
/* Month of "Jan".."Dec" (first letter upper or lower) at p, 1..12, or 0. */
int cg_ld_month(const char *p, size_t n);
/* "HH:MM:SS[.frac]" at p: returns bytes read (0 when not a clock); *ms gets the milliseconds. */
size_t cg_ld_clock(const char *p, size_t n, int *h, int *mi, int *s, int32_t *ms);
/* A zone at p: "Z", "+07:00", "+0700"; returns bytes read and sets *tz, or 0. */
size_t cg_ld_zone(const char *p, size_t n, int64_t *tz);
/* An ISO 8601 stamp "2026-10-22T17:41:00[.123][Z|+07:00]" (also ' ' for 'T'); returns bytes
 * read and sets the record's time, or 0. */
size_t cg_ld_iso(struct cg_logrec *r, const char *p, size_t n, int64_t tz);
/* "Wed Oct 11 14:32:52[.123456] 2026" (ctime, as Apache and vsftpd write); bytes read or 0. */
size_t cg_ld_ctime(struct cg_logrec *r, const char *p, size_t n, int64_t tz);

/* Outer decoders: 0 when recognised, CG_ENOENT otherwise. */
int cg_ld_syslog(const struct cg_logdec_opts *o, const char *p, size_t n, struct cg_logrec *r);
int cg_ld_journald(const struct cg_logdec_opts *o, const char *p, size_t n, struct cg_logrec *r);
int cg_ld_access(const struct cg_logdec_opts *o, const char *p, size_t n, struct cg_logrec *r);
int cg_ld_apache_error(const struct cg_logdec_opts *o, const char *p, size_t n,
                       struct cg_logrec *r);
int cg_ld_nginx_error(const struct cg_logdec_opts *o, const char *p, size_t n, struct cg_logrec *r);
int cg_ld_vsftpd_log(const struct cg_logdec_opts *o, const char *p, size_t n, struct cg_logrec *r);
int cg_ld_winjson(const struct cg_logdec_opts *o, const char *p, size_t n, struct cg_logrec *r);

/* Inner decoders on r's msg (program already known): 1 when recognised. */
int cg_ld_sshd(struct cg_logrec *r, const char *m, size_t n);
int cg_ld_pam(struct cg_logrec *r, const char *m, size_t n, const char *svc, size_t sn);
int cg_ld_sudo(struct cg_logrec *r, const char *m, size_t n);
int cg_ld_su(struct cg_logrec *r, const char *m, size_t n);
int cg_ld_shadow(struct cg_logrec *r, const char *m, size_t n);
int cg_ld_postfix(struct cg_logrec *r, const char *m, size_t n);
int cg_ld_dovecot(struct cg_logrec *r, const char *m, size_t n);
int cg_ld_vsftpd(struct cg_logrec *r, const char *m, size_t n);
int cg_ld_proftpd(struct cg_logrec *r, const char *m, size_t n);
int cg_ld_apache_msg(struct cg_logrec *r, const char *m, size_t n);
int cg_ld_winsec_text(struct cg_logrec *r, const char *m, size_t n);
int cg_ld_snare(struct cg_logrec *r, const char *m, size_t n);
/* Windows event fields from RFC 5424 structured data: EventID="4625" TargetUserName="x"... */
void cg_ld_winsec_sd(struct cg_logrec *r, const char *sd, size_t n);
/* Sets action/service from the event id and logon type already in r. */
void cg_ld_winsec_action(struct cg_logrec *r);

#endif

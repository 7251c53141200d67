/* logdec.h - log decoders: one line in, a struct cg_logrec out (engine, no I/O).
 *
 * A line is first read by an outer decoder that knows its container: syslog (RFC 3164 with or
 * without a year, RFC 5424, rsyslog's ISO 8601 stamps), journald's JSON export, web access logs
 * (combined, common, with a vhost prefix), Apache and nginx error logs, vsftpd's own log, and
 * Windows events as JSON (NXLog, winlogbeat). The outer decoder sets the time, host, program,
 * pid and msg; an inner decoder chosen by the program name (sshd, sudo, su, useradd..., postfix,
 * dovecot, vsftpd, proftpd, Windows Security) then reads the message into srcip, user, action...
 *
 * The record holds views into the line (logrec.h): keep the line unchanged while using it.
 * Nothing is allocated; every scan is bounded by the line's length (readers cut lines at
 * CG_MAX_LOGLINE). Pure: the same bytes and options give the same record; safe from several
 * threads on different records.
 */
#ifndef CANHGAC_LOGDEC_H
#define CANHGAC_LOGDEC_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/logrec.h"

struct cg_logdec_opts {
	int64_t now;        /* UTC seconds: a syslog date without a year is the latest such date
	                       not more than a day after now */
	int64_t tz;         /* seconds east of UTC for stamps without a zone */
	const char *format; /* NULL = auto, else one of cg_logdec_formats() */
};

/* Decodes one line (no trailing newline) into r (cleared first). Returns 0 when the line's
 * outer format was recognised (time and fields set as far as the line carries them), CG_ENOENT
 * when no decoder recognised it (r->f[CG_LF_MSG] is then the whole line), or CG_EINVAL (NULL
 * argument, or an unknown opts.format). */
int cg_logdec_line(const struct cg_logdec_opts *o, const char *line, size_t n, struct cg_logrec *r);

/* Names accepted by opts.format, for --format and help, NULL-terminated: "syslog", "journald",
 * "access", "apache-error", "nginx-error", "vsftpd", "winevent". */
const char *const *cg_logdec_formats(void);

/* 1 when name is one of cg_logdec_formats(). */
int cg_logdec_format_known(const char *name);

/* Runs the inner decoder chosen by r's program on r's msg (the outer decoders call it; a caller
 * that built a record itself may too). Sets r->decoder and fields when one recognises the
 * message; returns 1 then, else 0. */
int cg_logdec_inner(struct cg_logrec *r);

#endif

/* logrec.h - one log line decoded into fields (engine, no I/O).
 *
 * The log decoders (logdec.h) fill a struct cg_logrec from one line; the rule engine
 * (logrules.h) reads it. A record holds views into the caller's line, or into its own scratch
 * buffer for values that had to be rewritten (JSON escapes, Windows event XML entities). A
 * record is therefore valid only while the line it was decoded from is unchanged and the record
 * itself is not reused.
 *
 * Fields have fixed names (cg_logfield_name) that rule files use: "srcip", "user", ... A field
 * that the line does not carry has ptr == NULL. Values are never NUL-terminated: use len.
 *
 * `action` is the decoders' normalised verdict on what the line says, so that rules need not
 * repeat the wording of every daemon. Its vocabulary (CG_LA_*) is closed: decoders only ever set
 * these strings.
 */
#ifndef CANHGAC_LOGREC_H
#define CANHGAC_LOGREC_H

#include <stddef.h>
#include <stdint.h>

#define CG_LOGREC_SCRATCH 4096 /* bytes of rewritten values in one record */
#define CG_MAX_LOGLINE 65536   /* a longer line is cut here by the readers */

enum cg_logfield {
	CG_LF_HOST,      /* host name in the syslog header, or the event's Computer */
	CG_LF_PROGRAM,   /* "sshd", "sudo", "postfix/smtpd", "nginx", ... */
	CG_LF_PID,       /* process id, digits */
	CG_LF_MSG,       /* the message after the syslog header (or the whole line) */
	CG_LF_SRCIP,     /* the remote address the line is about (IPv4 or IPv6 text) */
	CG_LF_SRCPORT,   /* its port, digits */
	CG_LF_USER,      /* the account acted on or tried: "root", "admin", ... */
	CG_LF_SRCUSER,   /* who did it, when not the same: sudo's caller, 4720's subject */
	CG_LF_GROUP,     /* group name: groupadd, usermod -aG, 4732 */
	CG_LF_ACTION,    /* normalised verdict, one of CG_LA_* */
	CG_LF_SERVICE,   /* what was logged into: "ssh", "smtp", "imap", "ftp", "rdp", "http" */
	CG_LF_METHOD,    /* HTTP method */
	CG_LF_URL,       /* HTTP request target as written (not decoded) */
	CG_LF_STATUS,    /* HTTP status, or Windows status code (0xC000006D) */
	CG_LF_BYTES,     /* response bytes */
	CG_LF_REFERER,   /* HTTP referer */
	CG_LF_UA,        /* HTTP user agent */
	CG_LF_LEVEL,     /* error-log level: "error", "warn", "notice", ... */
	CG_LF_EVENTID,   /* Windows event id: "4625" */
	CG_LF_LOGONTYPE, /* Windows logon type: "3", "10" */
	CG_LF_COMMAND,   /* sudo's COMMAND=, a shell command */
	CG_LF_TTY,       /* tty */
	CG_LF_THREAT,    /* an antivirus' name for what it found: "Trojan:Win32/Wacatac.B!ml" */
	CG_LF_PATH,      /* a file the line is about (the antivirus' detection path) */
	CG_LF_COUNT
};

/* Values of CG_LF_ACTION. */
#define CG_LA_AUTH_FAIL "auth_fail"           /* wrong password or key for an account */
#define CG_LA_INVALID_USER "invalid_user"     /* an account that does not exist was tried */
#define CG_LA_AUTH_SUCCESS "auth_success"     /* a login succeeded */
#define CG_LA_AUTH_MAXTRIES "auth_maxtries"   /* too many attempts on one connection */
#define CG_LA_SUDO "sudo"                     /* sudo ran a command */
#define CG_LA_SUDO_FAIL "sudo_fail"           /* sudo refused or password wrong */
#define CG_LA_USER_ADD "user_add"             /* an account was created */
#define CG_LA_USER_DEL "user_del"             /* an account was deleted */
#define CG_LA_GROUP_ADD "group_add"           /* a group was created */
#define CG_LA_GROUP_MEMBER "group_member_add" /* an account was added to a group */
#define CG_LA_LOG_CLEARED "log_cleared"       /* an audit log was cleared (1102) */
#define CG_LA_HTTP "http_request"             /* one access-log request */
#define CG_LA_ERROR "error"                   /* an error-log entry */
#define CG_LA_MALWARE "malware_detected"      /* an antivirus found malware (Defender 1116, 1006) */
#define CG_LA_AV_DISABLED "av_disabled"       /* real-time protection was turned off (5001) */

struct cg_logview {
	const char *ptr; /* NULL when absent */
	size_t len;
};

struct cg_logrec {
	int64_t time;        /* UTC seconds; valid when has_time */
	int32_t time_ms;     /* milliseconds within that second, 0 when unknown */
	int has_time;        /* 1 when the line carried a time stamp that was read */
	const char *format;  /* outer format: "syslog", "journald", "access", "apache-error",
	                        "nginx-error", "winevent", "vsftpd", ... (static string) */
	const char *decoder; /* inner decoder that read the message: "sshd", "sudo", "pam",
	                        "postfix", "dovecot", "vsftpd", "proftpd", "winsec", "useradd",
	                        ... or NULL (static string) */
	uint32_t repeat; /* events the line stands for: syslog's "message repeated N times: [ msg ]"
	                    is N (rules count it N times); 1 otherwise */
	struct cg_logview f[CG_LF_COUNT];
	char scratch[CG_LOGREC_SCRATCH];
	size_t scratch_used;
};

/* Machine name of a field ("srcip"), or NULL past CG_LF_COUNT. */
const char *cg_logfield_name(enum cg_logfield f);
/* The field with that machine name; returns 0 and sets *out, or CG_ENOENT. */
int cg_logfield_parse(const char *name, size_t n, enum cg_logfield *out);

/* Empties a record (every field absent, no time). */
void cg_logrec_clear(struct cg_logrec *r);
/* Sets a field to a view of the line. */
void cg_logrec_set(struct cg_logrec *r, enum cg_logfield f, const char *p, size_t n);
/* Copies bytes into the record's scratch and sets the field to them; returns 0, or CG_ELIMIT
 * when the scratch is full (the field is then left absent). */
int cg_logrec_setcopy(struct cg_logrec *r, enum cg_logfield f, const char *p, size_t n);
/* 1 when the field is present and equals the NUL-terminated s byte for byte. */
int cg_logrec_is(const struct cg_logrec *r, enum cg_logfield f, const char *s);

#endif

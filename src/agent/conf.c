/* conf.c - the agent's configuration file parser (agentconf.h): pure, line by line, every
 * problem reported with file:line in Vietnamese and English. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/agentconf.h"
#include "canhgac/ipaddr.h"
#include "canhgac/sys.h"
#include "banned.h"

#define MAX_LINE 8192

enum key {
	K_SERVER,
	K_DATA_DIR,
	K_HEARTBEAT,
	K_SCHEDULE,
	K_PATHS,
	K_MEMCAP,
	K_SPOOLMAX,
	K_NICE,
	K_HOSTNAME,
	K_SOURCE,
	K_FULLPATHS,
	K_COUNT
};
static const char *const key_names[K_COUNT] = {
    "server",       "data_dir", "heartbeat_s", "scan_schedule",  "scan_paths",      "memory_cap_mb",
    "spool_max_mb", "cpu_nice", "hostname",    "source_address", "full_scan_paths",
};

void cg_agentconf_defaults(struct cg_agentconf *c)
{
	memset(c, 0, sizeof(*c));
	c->heartbeat_s = 60;
	c->spool_max_mb = 256;
	c->cpu_nice = 10;
}

static int is_space(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* A decimal integer in [lo, hi], nothing else. */
static int parse_int(const char *s, long lo, long hi, long *out)
{
	long v = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > hi)
			return -1;
	}
	if (v < lo)
		return -1;
	*out = v;
	return 0;
}

static int parse_hhmm(const char *s, struct cg_agent_sched *o)
{
	if (strlen(s) != 5 || s[2] != ':' || s[0] < '0' || s[0] > '2' || s[1] < '0' || s[1] > '9' ||
	    s[3] < '0' || s[3] > '5' || s[4] < '0' || s[4] > '9')
		return CG_EPARSE;
	o->hour = (s[0] - '0') * 10 + (s[1] - '0');
	o->minute = (s[3] - '0') * 10 + (s[4] - '0');
	return o->hour < 24 ? 0 : CG_EPARSE;
}

int cg_agent_sched_parse(const char *s, struct cg_agent_sched *out)
{
	static const char *const days[7] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
	struct cg_agent_sched o = {CG_SCHED_OFF, 0, 0, 0};

	if (!s || !out)
		return CG_EINVAL;
	if (strcmp(s, "off") == 0) {
		*out = o;
		return 0;
	}
	if (strncmp(s, "daily ", 6) == 0) {
		o.kind = CG_SCHED_DAILY;
		if (parse_hhmm(s + 6, &o))
			return CG_EPARSE;
	} else if (strncmp(s, "weekly ", 7) == 0 && strlen(s) > 11 && s[10] == ' ') {
		o.kind = CG_SCHED_WEEKLY;
		o.wday = -1;
		for (int i = 0; i < 7; i++)
			if (strncmp(s + 7, days[i], 3) == 0)
				o.wday = i;
		if (o.wday < 0 || parse_hhmm(s + 11, &o))
			return CG_EPARSE;
	} else {
		return CG_EPARSE;
	}
	*out = o;
	return 0;
}

/* scan_paths, full_scan_paths: comma-separated absolute paths, white space around each
 * trimmed. */
static int parse_paths(char *v, char (*out)[CG_AGENT_PATH_LEN], size_t *count)
{
	size_t n = 0;
	char *p = v;
	while (p) {
		char *comma = strchr(p, ',');
		char *e;
		if (comma)
			*comma = '\0';
		while (is_space(*p))
			p++;
		e = p + strlen(p);
		while (e > p && is_space(e[-1]))
			*--e = '\0';
		if (!cg_path_is_absolute(p) || (size_t)(e - p) >= CG_AGENT_PATH_LEN ||
		    n >= CG_AGENT_MAX_PATHS)
			return CG_EPARSE;
		memcpy(out[n++], p, (size_t)(e - p) + 1);
		p = comma ? comma + 1 : NULL;
	}
	*count = n;
	return 0;
}

static int set_string(char *dst, size_t cap, const char *v)
{
	size_t n = strlen(v);
	if (n >= cap)
		return CG_EPARSE;
	memcpy(dst, v, n + 1);
	return 0;
}

/* Applies one value; returns 0 or CG_EPARSE. */
static int apply(enum key k, char *v, struct cg_agentconf *c)
{
	long n;
	switch (k) {
	case K_SERVER:
		if (strncmp(v, "https://", 8) != 0 || strlen(v) < 9)
			return CG_EPARSE;
		return set_string(c->server, sizeof(c->server), v);
	case K_DATA_DIR:
		return cg_path_is_absolute(v) ? set_string(c->data_dir, sizeof(c->data_dir), v)
		                              : CG_EPARSE;
	case K_HEARTBEAT:
		if (parse_int(v, 10, 86400, &n))
			return CG_EPARSE;
		c->heartbeat_s = (int)n;
		return 0;
	case K_SCHEDULE:
		return cg_agent_sched_parse(v, &c->scan) ? CG_EPARSE : 0;
	case K_PATHS:
		return parse_paths(v, c->scan_paths, &c->n_scan_paths);
	case K_FULLPATHS:
		return parse_paths(v, c->full_scan_paths, &c->n_full_scan_paths);
	case K_MEMCAP:
		if (parse_int(v, 0, 65536, &n) || (n != 0 && n < 16))
			return CG_EPARSE;
		c->memory_cap_mb = (unsigned)n;
		return 0;
	case K_SPOOLMAX:
		if (parse_int(v, 1, 65536, &n))
			return CG_EPARSE;
		c->spool_max_mb = (unsigned)n;
		return 0;
	case K_NICE:
		if (parse_int(v, 0, 19, &n))
			return CG_EPARSE;
		c->cpu_nice = (int)n;
		return 0;
	case K_HOSTNAME:
		for (const char *p = v; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			      (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_'))
				return CG_EPARSE;
		return *v ? set_string(c->hostname, sizeof(c->hostname), v) : CG_EPARSE;
	case K_SOURCE: {
		struct cg_ip ip;
		if (cg_ip_parse(v, strlen(v), &ip) != 0)
			return CG_EPARSE;
		return set_string(c->source_address, sizeof(c->source_address), v);
	}
	default:
		return CG_EPARSE;
	}
}

static const char *const expect_vi[K_COUNT] = {
    "một địa chỉ https://",
    "một đường dẫn tuyệt đối",
    "số giây từ 10 đến 86400",
    "off, daily HH:MM hoặc weekly mon HH:MM",
    "các đường dẫn tuyệt đối cách nhau bởi dấu phẩy",
    "0 hoặc từ 16 đến 65536 MB",
    "từ 1 đến 65536 MB",
    "từ 0 đến 19",
    "tên máy (chữ, số, - . _)",
    "một địa chỉ IPv4 hoặc IPv6 của máy",
};
static const char *const expect_en[K_COUNT] = {
    "an https:// URL",
    "an absolute path",
    "seconds from 10 to 86400",
    "off, daily HH:MM or weekly mon HH:MM",
    "comma-separated absolute paths",
    "0 or 16 to 65536 MB",
    "1 to 65536 MB",
    "0 to 19",
    "a host name (letters, digits, - . _)",
    "an IPv4 or IPv6 address of this host",
};

/* One line (NUL-terminated, without its end); returns 0 or CG_EPARSE after a diagnostic. */
static int one_line(char *s, const char *src, unsigned long ln, unsigned *seen,
                    struct cg_agentconf *c, struct cg_diags *d)
{
	char *eq, *ke, *v, *ve;
	int k;

	while (is_space(*s))
		s++;
	if (*s == '\0' || *s == '#')
		return 0;
	eq = strchr(s, '=');
	if (!eq)
		return cg_diags_add(d, CG_EPARSE, src, ln, 1, "thiếu dấu '=': cần 'khóa = giá trị'",
		                    "no '=': expected 'key = value'");
	for (ke = eq; ke > s && is_space(ke[-1]);)
		ke--;
	*ke = '\0';
	for (v = eq + 1; is_space(*v);)
		v++;
	for (ve = v + strlen(v); ve > v && is_space(ve[-1]);)
		*--ve = '\0';
	for (k = 0; k < K_COUNT && strcmp(s, key_names[k]) != 0;)
		k++;
	if (k == K_COUNT)
		return cg_diags_add(d, CG_EPARSE, src, ln, 1, "khóa không biết '%.64s'",
		                    "unknown key '%.64s'", s);
	if (*seen & (1u << k))
		return cg_diags_add(d, CG_EPARSE, src, ln, 1, "khóa '%s' lặp lại",
		                    "key '%s' given twice", key_names[k]);
	*seen |= 1u << k;
	if (apply((enum key)k, v, c))
		return cg_diags_add(d, CG_EPARSE, src, ln, (unsigned)(v - s) + 1,
		                    "giá trị sai cho '%s': cần %s%.0s",
		                    "bad value for '%s': expected %.0s%s", key_names[k],
		                    expect_vi[k], expect_en[k]);
	return 0;
}

int cg_agentconf_parse(const char *buf, size_t len, const char *source, struct cg_agentconf *c,
                       struct cg_diags *d)
{
	char line[MAX_LINE];
	const char *src = source ? source : "agent.conf";
	unsigned long ln = 0;
	unsigned seen = 0;
	size_t i = 0;
	int rc = 0;

	if (!c || (!buf && len))
		return CG_EINVAL;
	if (len > CG_AGENT_MAX_CONF)
		return cg_diags_add(d, CG_ELIMIT, src, 0, 0, "tệp cấu hình lớn quá %lu byte",
		                    "configuration file larger than %lu bytes", CG_AGENT_MAX_CONF);
	while (i < len) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (buf + i)) : len - i;
		ln++;
		if (n && buf[i + n - 1] == '\r')
			n--;
		if (n >= sizeof(line) || memchr(buf + i, '\0', n)) {
			rc = cg_diags_add(d, CG_EPARSE, src, ln, 0,
			                  "dòng quá dài hoặc chứa byte NUL",
			                  "line too long or contains a NUL byte");
		} else {
			memcpy(line, buf + i, n);
			line[n] = '\0';
			if (one_line(line, src, ln, &seen, c, d))
				rc = CG_EPARSE;
		}
		i += (nl ? (size_t)(nl - (buf + i)) + 1 : len - i);
	}
	return rc;
}

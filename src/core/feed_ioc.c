/* feed_ioc.c - one indicator written as text (a CSV cell, a STIX value, a MISP attribute) made
 * into a normalised feed entry: IP, domain, URL or hash (feed_val.h). */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/iocset.h"
#include "canhgac/limits.h"
#include "feed_val.h"
#include "banned.h"

char *cg_fv_strdup_field(const char *s, size_t n, int *oom)
{
	char *r;

	s = cg_fv_trim(s, n, &n);
	if (n == 0)
		return NULL;
	if (n > CG_MAX_FEED_FIELD) {
		n = CG_MAX_FEED_FIELD;
		while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	r = cg_strndup(s, n);
	if (!r && oom)
		*oom = 1;
	return r;
}

/* Type names as feeds write them. */
static const struct {
	const char *name;
	int type; /* enum cg_ioc_type, or 0 for a known type we do not hold */
} hints[] = {
    {"md5", CG_IOC_MD5},
    {"sha1", CG_IOC_SHA1},
    {"sha-1", CG_IOC_SHA1},
    {"sha256", CG_IOC_SHA256},
    {"sha-256", CG_IOC_SHA256},
    {"hash", -1},
    {"filehash", -1},
    {"domain", CG_IOC_DOMAIN},
    {"hostname", CG_IOC_DOMAIN},
    {"domain-name", CG_IOC_DOMAIN},
    {"fqdn", CG_IOC_DOMAIN},
    {"host", CG_IOC_DOMAIN},
    {"ten mien", CG_IOC_DOMAIN},
    {"url", CG_IOC_URL},
    {"uri", CG_IOC_URL},
    {"link", CG_IOC_URL},
    {"ip", CG_IOC_IP},
    {"ipv4", CG_IOC_IP},
    {"ipv6", CG_IOC_IP},
    {"ip-src", CG_IOC_IP},
    {"ip-dst", CG_IOC_IP},
    {"ipv4-addr", CG_IOC_IP},
    {"ipv6-addr", CG_IOC_IP},
    {"ip address", CG_IOC_IP},
    {"cidr", CG_IOC_IP},
    {"email", 0},
    {"email-src", 0},
    {"email-dst", 0},
    {"filename", 0},
    {"mutex", 0},
    {"regkey", 0},
    {"sha512", 0},
    {"ssdeep", 0},
    {"imphash", 0},
    {"tlsh", 0},
    {"yara", 0},
    {"snort", 0},
    {"user-agent", 0},
    {"ja3-fingerprint-md5", 0},
};

/* -2 when unknown (auto), -1 any hash, 0 unsupported, else the type. */
static int hint_type(const char *h)
{
	if (!h || !h[0])
		return -2;
	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (strcasecmp(h, hints[i].name) == 0)
			return hints[i].type;
	return -2;
}

/* Undoes the usual defanging into buf; returns the new length. */
static size_t refang(const char *s, size_t n, char *buf, size_t cap)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k + 1 < cap;) {
		if (i + 3 <= n && (memcmp(s + i, "[.]", 3) == 0 || memcmp(s + i, "(.)", 3) == 0 ||
		                   memcmp(s + i, "{.}", 3) == 0)) {
			buf[k++] = '.';
			i += 3;
		} else if (i + 3 <= n && memcmp(s + i, "[:]", 3) == 0) {
			buf[k++] = ':';
			i += 3;
		} else if (i + 4 <= n && strncasecmp(s + i, "hxxp", 4) == 0 && k + 5 < cap) {
			memcpy(buf + k, "http", 4);
			k += 4;
			i += 4;
		} else {
			buf[k++] = s[i++];
		}
	}
	buf[k] = '\0';
	return k;
}

static int is_hex_run(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return 0;
	}
	return 1;
}

static int as_hash(const char *s, size_t n, int want, struct cg_feed_entry *e)
{
	int t = n == 32 ? CG_IOC_MD5 : n == 40 ? CG_IOC_SHA1 : n == 64 ? CG_IOC_SHA256 : 0;
	if (!t || !is_hex_run(s, n) || (want > 0 && want != t))
		return CG_EPARSE;
	e->value = cg_strndup(s, n);
	if (!e->value)
		return CG_ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (e->value[i] >= 'A' && e->value[i] <= 'F')
			e->value[i] = (char)(e->value[i] - 'A' + 'a');
	e->type = (enum cg_ioc_type)t;
	return CG_OK;
}

static int as_ip(const char *s, size_t n, struct cg_feed_entry *e)
{
	struct cg_fv_ip ip;
	char txt[CG_FV_IPTEXT];
	if (cg_fv_ip_parse(s, n, &ip))
		return CG_EPARSE;
	cg_fv_ip_text(&ip, txt);
	e->value = cg_strdup(txt);
	if (!e->value)
		return CG_ENOMEM;
	e->type = CG_IOC_IP;
	e->port = ip.port;
	return CG_OK;
}

static int as_url(const char *s, size_t n, struct cg_feed_entry *e)
{
	char buf[CG_MAX_URL + 1], tmp[CG_MAX_URL + 1];
	int rc;
	rc = cg_url_normalize(s, n, buf, sizeof(buf));
	if (rc == CG_EPARSE && !cg_memmem(s, n, "://", 3) && n + 7 < sizeof(tmp)) {
		memcpy(tmp, "http://", 7);
		memcpy(tmp + 7, s, n);
		rc = cg_url_normalize(tmp, n + 7, buf, sizeof(buf));
	}
	if (rc)
		return rc == CG_ELIMIT ? CG_EPARSE : rc;
	e->value = cg_strdup(buf);
	if (!e->value)
		return CG_ENOMEM;
	e->type = CG_IOC_URL;
	return CG_OK;
}

static int as_domain(const char *s, size_t n, struct cg_feed_entry *e)
{
	char buf[CG_MAX_DOMAIN + 1];
	uint8_t q[4];
	if (cg_domain_normalize(s, n, buf, sizeof(buf)))
		return CG_EPARSE;
	/* "1.2.3.4" is an address, and a dotted number is no name. */
	if (cg_fv_ipv4(buf, strlen(buf), q) == 0)
		return CG_EPARSE;
	{
		const char *tld = strrchr(buf, '.');
		size_t k = 1;
		while (tld && tld[k] >= '0' && tld[k] <= '9')
			k++;
		if (tld && tld[k] == '\0')
			return CG_EPARSE;
	}
	e->value = cg_strdup(buf);
	if (!e->value)
		return CG_ENOMEM;
	e->type = CG_IOC_DOMAIN;
	return CG_OK;
}

int cg_fv_ioc(const char *s, size_t n, const char *type_hint, struct cg_feed_entry *e)
{
	char buf[CG_MAX_URL + 1];
	int want = hint_type(type_hint);

	e->value = NULL;
	e->port = 0;
	s = cg_fv_trim(s, n, &n);
	if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
		s++;
		n -= 2;
	}
	if (n == 0 || n > CG_MAX_URL)
		return CG_EPARSE;
	if (want == 0)
		return CG_EUNSUPP;
	n = refang(s, n, buf, sizeof(buf));
	s = buf;
	switch (want) {
	case -1:
	case CG_IOC_MD5:
	case CG_IOC_SHA1:
	case CG_IOC_SHA256:
		return as_hash(s, n, want, e);
	case CG_IOC_IP:
		return as_ip(s, n, e);
	case CG_IOC_URL:
		return as_url(s, n, e);
	case CG_IOC_DOMAIN:
		return as_domain(s, n, e);
	default:
		break;
	}
	if (as_hash(s, n, -1, e) == 0 || as_ip(s, n, e) == 0)
		return CG_OK;
	if (cg_memmem(s, n, "://", 3) || memchr(s, '/', n))
		return as_url(s, n, e);
	return as_domain(s, n, e);
}

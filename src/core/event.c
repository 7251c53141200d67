/* event.c - the finding record of docs/events.md, UTF-8 checks and time formats. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "canhgac/alloc.h"
#include "canhgac/crypto.h"
#include "canhgac/error.h"
#include "canhgac/event.h"
#include "canhgac/timeutil.h"
#include "canhgac/hashsig.h"
#include "banned.h"

static const char *const sev_names[] = {"info", "low", "medium", "high", "critical"};

const char *cg_severity_name(enum cg_severity s)
{
	return (unsigned)s <= CG_SEV_CRITICAL ? sev_names[s] : "high";
}

const char *cg_severity_label(enum cg_severity s)
{
	static const char *const vi[] = {"thông tin", "thấp", "trung bình", "cao", "nghiêm trọng"};
	if ((unsigned)s > CG_SEV_CRITICAL)
		s = CG_SEV_HIGH;
	return cg_tr(vi[s], sev_names[s]);
}

int cg_severity_parse(const char *s, enum cg_severity *out)
{
	for (int i = 0; i <= CG_SEV_CRITICAL; i++)
		if (strcmp(s, sev_names[i]) == 0) {
			*out = (enum cg_severity)i;
			return CG_OK;
		}
	return CG_EINVAL;
}

int cg_utf8_valid(const uint8_t *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint8_t c = p[i];
		size_t len;
		uint32_t cp;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			len = 2;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			len = 3;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if (n - i < len)
			return 0;
		for (size_t k = 1; k < len; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += len;
	}
	return 1;
}

char *cg_base64(const uint8_t *p, size_t n)
{
	size_t outlen = 4 * ((n + 2) / 3) + 1;
	char *s;
	if (n > (size_t)1 << 30)
		return NULL;
	s = cg_malloc(outlen);
	if (!s)
		return NULL;
	if (cg_base64_encode(p, n, s, outlen) != 0) {
		cg_free(s);
		return NULL;
	}
	return s;
}

static void copy32(char out[32], const char *tmp)
{
	size_t l = strlen(tmp);
	if (l > 31)
		l = 31;
	memcpy(out, tmp, l);
	out[l] = '\0';
}

void cg_time_human(char out[32], int64_t unix_ms, int offset_min)
{
	char iso[32], tmp[96];
	/* whole seconds, then shifted: "YYYY-MM-DDTHH:MM:SS.mmmZ" rearranged to dd/mm/yyyy */
	int64_t s = unix_ms / 1000 - (unix_ms % 1000 < 0) + (int64_t)offset_min * 60;
	if (cg_time_iso8601_ms(iso, s * 1000) != 0) {
		out[0] = '\0';
		return;
	}
	snprintf(tmp, sizeof(tmp), "%.2s/%.2s/%.4s %.8s", iso + 8, iso + 5, iso, iso + 11);
	copy32(out, tmp);
}

/* Sets key to a string, or to NULL-valued JSON when s is NULL; returns -1 on failure. */
static int set_str(json_t *o, const char *key, const char *s)
{
	if (!s)
		return 0;
	return json_object_set_new(o, key, json_string(s));
}

static int set_bytes(json_t *o, const char *key, const char *key_b64, const uint8_t *p, size_t n)
{
	char *b;
	int rc;
	if (!p)
		return 0;
	if (cg_utf8_valid(p, n) && !memchr(p, '\0', n))
		return json_object_set_new(o, key, json_stringn((const char *)p, n));
	b = cg_base64(p, n);
	if (!b)
		return -1;
	rc = json_object_set_new(o, key_b64, json_string(b));
	cg_free(b);
	return rc;
}

static json_t *digests_json(const struct cg_digest_result *d)
{
	json_t *o = json_object();
	char hx[65];
	if (!o)
		return NULL;
	if (d->have & CG_HASH_SHA256) {
		cg_hex_encode(d->sha256, 32, hx, sizeof(hx));
		json_object_set_new(o, "sha256", json_string(hx));
	}
	if (d->have & CG_HASH_SHA1) {
		cg_hex_encode(d->sha1, 20, hx, sizeof(hx));
		json_object_set_new(o, "sha1", json_string(hx));
	}
	if (d->have & CG_HASH_MD5) {
		cg_hex_encode(d->md5, 16, hx, sizeof(hx));
		json_object_set_new(o, "md5", json_string(hx));
	}
	return o;
}

json_t *cg_event_to_json(const struct cg_event *e)
{
	json_t *o = json_object(), *sig = NULL, *host = NULL;
	char ts[32];
	int bad = 0;

	if (!o)
		return NULL;
	cg_time_iso8601_ms(ts, e->time_ms);
	bad |= json_object_set_new(o, "schema", json_string(CG_EVENT_SCHEMA));
	bad |= json_object_set_new(o, "time", json_string(ts));
	bad |= json_object_set_new(o, "time_ms", json_integer(e->time_ms));
	bad |= set_str(o, "kind", e->kind);
	bad |= json_object_set_new(o, "severity", json_string(cg_severity_name(e->severity)));
	bad |= json_object_set_new(o, "severity_level", json_integer(e->severity));
	if (e->sig_id || e->sig_name) {
		sig = json_object();
		bad |= !sig || set_str(sig, "id", e->sig_id) || set_str(sig, "name", e->sig_name) ||
		       set_str(sig, "type", e->sig_type);
		bad |= json_object_set_new(o, "signature", sig);
	}
	if (e->bundle_name || e->bundle_version) {
		json_t *b = json_object();
		bad |= !b || set_str(b, "name", e->bundle_name) ||
		       set_str(b, "version", e->bundle_version);
		bad |= json_object_set_new(o, "bundle", b);
	}
	bad |= set_bytes(o, "path", "path_b64", e->path, e->path_len);
	bad |= set_bytes(o, "member", "member_b64", e->member, e->member_len);
	if (e->size >= 0)
		bad |= json_object_set_new(o, "size", json_integer(e->size));
	if (e->digests && e->digests->have)
		bad |= json_object_set_new(o, "digests", digests_json(e->digests));
	if (e->host) {
		host = json_object();
		bad |= !host || set_str(host, "hostname", e->host->hostname) ||
		       set_str(host, "os", e->host->os) ||
		       set_str(host, "machine_id", e->host->machine_id);
		bad |= json_object_set_new(o, "host", host);
	}
	bad |= set_str(o, "action", e->action);
	bad |= set_str(o, "detail", e->detail);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

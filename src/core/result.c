/* result.c - the result file of one PC (result.h): building it, writing its JSON form and
 * naming the file. Parsing is in result_parse.c. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/feed.h"
#include "canhgac/limits.h"
#include "canhgac/result.h"
#include "canhgac/timeutil.h"
#include "result_int.h"
#include "banned.h"

char *cg_result_dup(const char *s)
{
	size_t n;
	if (!s)
		s = "";
	n = strnlen(s, CG_MAX_RESULT_FIELD + 1);
	if (n > CG_MAX_RESULT_FIELD) {
		n = CG_MAX_RESULT_FIELD;
		while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--; /* cut before a continuation byte: at a character boundary */
	}
	return cg_strndup(s, n);
}

int cg_result_set(char **field, const char *s)
{
	char *v = NULL;
	if (s && !(v = cg_result_dup(s)))
		return CG_ENOMEM;
	cg_free(*field);
	*field = v;
	return CG_OK;
}

int cg_result_add_finding(struct cg_result *r, const char *path, const char *signature,
                          const char *action, const char *event_json)
{
	struct cg_result_finding *f;
	size_t cap = r->nfindings;
	if (r->nfindings >= CG_MAX_RESULT_FINDINGS)
		return CG_ELIMIT;
	if (cg_grow((void **)&r->findings, &cap, r->nfindings + 1, sizeof(*f),
	            CG_MAX_RESULT_FINDINGS))
		return CG_ENOMEM;
	f = &r->findings[r->nfindings];
	f->path = cg_result_dup(path);
	f->signature = cg_result_dup(signature);
	f->action = cg_result_dup(action);
	f->event = event_json ? cg_strdup(event_json) : cg_strdup("{}");
	r->nfindings++;
	return f->path && f->signature && f->action && f->event ? CG_OK : CG_ENOMEM;
}

int cg_result_add_vuln(struct cg_result *r, const char *id, const char *title, const char *severity,
                       const char *kbs, int exploited)
{
	struct cg_result_vuln *v;
	size_t cap = r->nvulns;
	if (r->nvulns >= CG_MAX_RESULT_VULNS)
		return CG_ELIMIT;
	if (cg_grow((void **)&r->vulns, &cap, r->nvulns + 1, sizeof(*v), CG_MAX_RESULT_VULNS))
		return CG_ENOMEM;
	v = &r->vulns[r->nvulns++];
	v->id = cg_result_dup(id);
	v->title = cg_result_dup(title);
	v->severity = cg_result_dup(severity);
	v->kbs = cg_result_dup(kbs);
	v->exploited = !!exploited;
	return v->id && v->title && v->severity && v->kbs ? CG_OK : CG_ENOMEM;
}

int cg_result_add_botnet(struct cg_result *r, const char *addr, const char *list,
                         const char *family)
{
	struct cg_result_botnet *b;
	size_t cap = r->nbotnet;
	if (r->nbotnet >= CG_MAX_RESULT_BOTNET)
		return CG_ELIMIT;
	if (cg_grow((void **)&r->botnet, &cap, r->nbotnet + 1, sizeof(*b), CG_MAX_RESULT_BOTNET))
		return CG_ENOMEM;
	b = &r->botnet[r->nbotnet++];
	b->addr = cg_result_dup(addr);
	b->list = cg_result_dup(list);
	b->family = cg_result_dup(family);
	return b->addr && b->list && b->family ? CG_OK : CG_ENOMEM;
}

void cg_result_clear(struct cg_result *r)
{
	char **s[] = {&r->unit,       &r->hostname,    &r->os,
	              &r->machine_id, &r->bundle_name, &r->bundle_version,
	              &r->inventory,  &r->support,     &r->support_release};
	if (!r)
		return;
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		cg_free(*s[i]);
	for (size_t i = 0; i < r->nfindings; i++) {
		cg_free(r->findings[i].path);
		cg_free(r->findings[i].signature);
		cg_free(r->findings[i].action);
		cg_free(r->findings[i].event);
	}
	for (size_t i = 0; i < r->nvulns; i++) {
		cg_free(r->vulns[i].id);
		cg_free(r->vulns[i].title);
		cg_free(r->vulns[i].severity);
		cg_free(r->vulns[i].kbs);
	}
	for (size_t i = 0; i < r->nbotnet; i++) {
		cg_free(r->botnet[i].addr);
		cg_free(r->botnet[i].list);
		cg_free(r->botnet[i].family);
	}
	cg_free(r->findings);
	cg_free(r->vulns);
	cg_free(r->botnet);
	memset(r, 0, sizeof(*r));
}

/* Sets o[key] to v, consuming v; -1 when v is NULL or jansson fails. */
static int put(json_t *o, const char *key, json_t *v)
{
	return v ? json_object_set_new(o, key, v) : -1;
}

static int put_time(json_t *o, const char *key, int64_t ms)
{
	char t[32];
	if (ms == CG_TIME_NONE || cg_time_iso8601_ms(t, ms))
		return 0;
	return put(o, key, json_string(t));
}

static json_t *scan_obj(const struct cg_result *r)
{
	json_t *s = json_object(), *a = json_array();
	int bad = !s || !a;
	bad |= put_time(s, "time", r->scan_time);
	bad |= put(s, "files", json_integer(r->files));
	bad |= put(s, "findings", json_integer(r->nfound));
	bad |= put(s, "quarantined", json_integer(r->quarantined));
	for (size_t i = 0; !bad && i < r->nfindings; i++) {
		json_error_t err;
		json_t *e = json_loads(r->findings[i].event, 0, &err);
		bad |= !e || !json_is_object(e) || json_array_append_new(a, e);
	}
	if (bad) {
		json_decref(a);
		json_decref(s);
		return NULL;
	}
	if (json_object_set_new(s, "records", a)) {
		json_decref(s);
		return NULL;
	}
	return s;
}

static json_t *vulns_arr(const struct cg_result *r)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < r->nvulns; i++) {
		const struct cg_result_vuln *v = &r->vulns[i];
		json_t *o =
		    json_pack("{s:s,s:s,s:s,s:s,s:b}", "id", v->id, "title", v->title, "severity",
		              v->severity, "missing_kbs", v->kbs, "exploited", v->exploited);
		if (!o || json_array_append_new(a, o)) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *botnet_arr(const struct cg_result *r)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < r->nbotnet; i++) {
		const struct cg_result_botnet *b = &r->botnet[i];
		json_t *o = json_pack("{s:s,s:s,s:s}", "address", b->addr, "list", b->list,
		                      "family", b->family);
		if (!o || json_array_append_new(a, o)) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static int put_parts(json_t *o, const struct cg_result *r)
{
	int bad = 0;
	if (r->has_scan)
		bad |= put(o, "scan", scan_obj(r));
	if (r->inventory) {
		json_error_t err;
		json_t *inv = json_loads(r->inventory, 0, &err);
		bad |= !json_is_object(inv) ? (json_decref(inv), -1) : put(o, "inventory", inv);
	}
	bad |= put(o, "vulns", vulns_arr(r));
	if (r->support) {
		json_t *s = json_pack("{s:s,s:s}", "status", r->support, "release",
		                      r->support_release ? r->support_release : "");
		bad |= !s ? -1 : put_time(s, "until", r->support_until);
		bad |= put(o, "support", s);
	}
	bad |= put(o, "botnet", botnet_arr(r));
	return bad;
}

char *cg_result_to_json(const struct cg_result *r)
{
	json_t *o = json_object(), *h;
	char *t = NULL, *out = NULL;
	int bad = !o;

	if (!r->unit || !r->hostname)
		goto out;
	bad |= put(o, "schema", json_string(CG_RESULT_SCHEMA));
	bad |= put(o, "unit", json_string(r->unit));
	bad |= put_time(o, "time", r->time);
	h = json_pack("{s:s}", "hostname", r->hostname);
	if (h && r->os)
		bad |= put(h, "os", json_string(r->os));
	if (h && r->machine_id && r->machine_id[0])
		bad |= put(h, "machine_id", json_string(r->machine_id));
	bad |= put(o, "host", h);
	bad |= put(o, "bundle",
	           json_pack("{s:s,s:s}", "name", r->bundle_name ? r->bundle_name : "", "version",
	                     r->bundle_version ? r->bundle_version : ""));
	bad |= put_parts(o, r);
	if (bad || !(t = json_dumps(o, JSON_INDENT(2) | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER)))
		goto out;
	if ((out = cg_malloc(strlen(t) + 2))) {
		memcpy(out, t, strlen(t));
		memcpy(out + strlen(t), "\n", 2);
	}
out:
	free(t);
	json_decref(o);
	return out;
}

static void clean_part(const char *s, char *out, size_t *o, size_t cap)
{
	for (; *s && *o + 1 < cap; s++) {
		unsigned char ch = (unsigned char)*s;
		int ok = (ch >= '0' && ch <= '9') || ((ch | 32) >= 'a' && (ch | 32) <= 'z') ||
		         ch == '-' || ch == '.';
		out[(*o)++] = ok ? (char)ch : '-';
	}
}

int cg_result_file_name(const char *unit, const char *host, int64_t time_ms, char *out, size_t cap)
{
	char t[32];
	size_t o = 0;
	if (!unit || !unit[0] || !host || cap < 32 || cg_time_iso8601_ms(t, time_ms))
		return CG_EINVAL;
	if (strlen(unit) + strlen(host) + 16 > cap)
		return CG_ELIMIT;
	clean_part(unit, out, &o, cap);
	out[o++] = '_';
	clean_part(host[0] ? host : "PC", out, &o, cap);
	out[o++] = '_';
	memcpy(out + o, t, 4);
	memcpy(out + o + 4, t + 5, 2);
	memcpy(out + o + 6, t + 8, 2);
	memcpy(out + o + 8, ".json", 6);
	return CG_OK;
}

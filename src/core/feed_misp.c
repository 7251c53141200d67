/* feed_misp.c - MISP feed events ({"Event":{... "Attribute":[...], "Object":[{"Attribute":
 * [...]}], "Tag":[...]}}): the attributes that are IP addresses, domains, URLs or file hashes,
 * meant for detection (to_ids). The family comes from a galaxy or malware tag of the attribute
 * or of the event. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "feed_int.h"
#include "feed_json.h"
#include "feed_val.h"
#include "banned.h"

struct mctx {
	struct cg_feed *f;
	struct cg_diags *d;
	const char *src;
	const char *event_family; /* from the event's tags, or NULL */
	int64_t event_time;
	size_t seen;
};

/* Attribute types: which part of a "a|b" value is the indicator, and its type. */
static const struct {
	const char *misp;
	const char *type; /* a cg_fv_ioc type hint */
	int part;         /* 0 whole value, 1 first of "a|b", 2 second */
} types[] = {
    {"ip-src", "ip", 0},
    {"ip-dst", "ip", 0},
    {"ip-src|port", "ip", 1},
    {"ip-dst|port", "ip", 1},
    {"domain", "domain", 0},
    {"hostname", "domain", 0},
    {"domain|ip", "domain", 1},
    {"hostname|port", "domain", 1},
    {"url", "url", 0},
    {"uri", "url", 0},
    {"md5", "md5", 0},
    {"sha1", "sha1", 0},
    {"sha256", "sha256", 0},
    {"filename|md5", "md5", 2},
    {"filename|sha1", "sha1", 2},
    {"filename|sha256", "sha256", 2},
    {"malware-sample", "md5", 2},
};

/* The value of a galaxy or malware tag: misp-galaxy:malpedia="Emotet" -> Emotet. */
static const char *tag_family(const json_t *tags, char *buf, size_t cap)
{
	static const char *const pre[] = {"misp-galaxy:malpedia=",
	                                  "misp-galaxy:botnet=",
	                                  "misp-galaxy:ransomware=",
	                                  "misp-galaxy:tool=",
	                                  "malware_classification:malware-family=",
	                                  "misp-galaxy:mitre-malware=",
	                                  "malware:",
	                                  "family:"};
	for (size_t i = 0; json_is_array(tags) && i < json_array_size(tags) && i < 256; i++) {
		const char *n = cg_fj_str(json_array_get(tags, i), "name");
		for (size_t k = 0; n && k < sizeof(pre) / sizeof(pre[0]); k++) {
			size_t pl = strlen(pre[k]), vl;
			const char *v;
			if (strncasecmp(n, pre[k], pl) != 0)
				continue;
			v = n + pl;
			vl = strlen(v);
			if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
				v++;
				vl -= 2;
			}
			/* "Emotet - S0367" in mitre-malware: keep the name. */
			for (size_t j = 0; j + 2 < vl; j++)
				if (v[j] == ' ' && v[j + 1] == '-' && v[j + 2] == ' ')
					vl = j;
			if (vl == 0 || vl >= cap)
				continue;
			memcpy(buf, v, vl);
			buf[vl] = '\0';
			return buf;
		}
	}
	return NULL;
}

static int to_ids(const json_t *a)
{
	const json_t *v = json_object_get(a, "to_ids");
	if (!v)
		return 1;
	if (json_is_boolean(v))
		return json_is_true(v);
	if (json_is_string(v))
		return strcmp(json_string_value(v), "0") != 0 &&
		       strcasecmp(json_string_value(v), "false") != 0;
	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	return 1;
}

static int attribute(struct mctx *m, const json_t *a, const char *where)
{
	const char *ty = cg_fj_str(a, "type"), *val = cg_fj_str(a, "value"), *v, *bar;
	struct cg_feed_entry e;
	char fam[128];
	const char *fm;
	size_t k, vl;
	int oom = 0, rc;

	if (++m->seen > CG_MAX_JSON_OBJECTS)
		return CG_ELIMIT;
	m->f->rows_total++;
	for (k = 0; ty && k < sizeof(types) / sizeof(types[0]); k++)
		if (strcmp(ty, types[k].misp) == 0)
			break;
	if (!ty || !val || k == sizeof(types) / sizeof(types[0]) || !to_ids(a)) {
		m->f->rows_skipped++;
		return CG_OK;
	}
	v = val;
	vl = strlen(val);
	bar = strchr(val, '|');
	if (types[k].part && bar) {
		if (types[k].part == 1)
			vl = (size_t)(bar - val);
		else {
			v = bar + 1;
			vl = strlen(v);
		}
	}
	memset(&e, 0, sizeof(e));
	rc = cg_fv_ioc(v, vl, types[k].type, &e);
	if (rc == CG_ENOMEM)
		return rc;
	if (rc) {
		m->f->rows_bad++;
		cg_diags_add(m->d, CG_EPARSE, m->src, 0, 0,
		             CG_MSG("%s: giá trị '%.80s' không hợp lệ cho kiểu %s",
		                    "%s: invalid value '%.80s' for type %s"),
		             where, val, ty);
		return CG_OK;
	}
	if (types[k].part == 1 && bar && strcmp(types[k].type, "ip") == 0) {
		unsigned long port = 0;
		const char *p = bar + 1;
		while (*p >= '0' && *p <= '9' && port <= 65535)
			port = port * 10 + (unsigned long)(*p++ - '0');
		if (*p == '\0' && port > 0 && port <= 65535)
			e.port = (uint16_t)port;
	}
	snprintf(e.where, sizeof(e.where), "%s", where);
	e.line = (uint32_t)m->seen;
	e.time = cg_fj_time(a, "timestamp");
	if (e.time == CG_TIME_NONE)
		e.time = m->event_time;
	fm = tag_family(json_object_get(a, "Tag"), fam, sizeof(fam));
	if (!fm)
		fm = m->event_family;
	e.family = fm ? cg_fv_strdup_field(fm, strlen(fm), &oom) : NULL;
	rc = oom ? CG_ENOMEM : cg_feed_add_entry(m->f, &e);
	cg_free(e.value);
	cg_free(e.family);
	return rc;
}

static int attributes(struct mctx *m, const json_t *arr, const char *prefix)
{
	char where[48];
	int rc = CG_OK;
	for (size_t i = 0; json_is_array(arr) && i < json_array_size(arr) && rc == CG_OK; i++) {
		snprintf(where, sizeof(where), "%sAttribute[%zu]", prefix, i);
		rc = attribute(m, json_array_get(arr, i), where);
	}
	return rc;
}

int cg_feed_parse_misp(const uint8_t *buf, size_t len, const char *source,
                       const struct cg_feed_parse_opts *o, struct cg_feed *f, struct cg_diags *d)
{
	struct mctx m;
	json_t *root = NULL, *ev, *objs;
	char fam[128], prefix[32];
	int rc;

	(void)o;
	memset(&m, 0, sizeof(m));
	m.f = f;
	m.d = d;
	m.src = source ? source : "?";
	f->format = CG_FMT_MISP;
	snprintf(f->format_detail, sizeof(f->format_detail), "MISP event");
	rc = cg_fj_load(buf, len, m.src, &root, d);
	if (rc)
		goto out;
	ev = json_object_get(root, "Event");
	if (!json_is_object(ev)) {
		rc = cg_diags_add(d, CG_EPARSE, m.src, 0, 0,
		                  CG_MSG("không phải sự kiện MISP (thiếu \"Event\")",
		                         "not a MISP event (no \"Event\")"));
		goto out;
	}
	m.event_family = tag_family(json_object_get(ev, "Tag"), fam, sizeof(fam));
	m.event_time = cg_fj_time(ev, "date");
	rc = attributes(&m, json_object_get(ev, "Attribute"), "");
	objs = json_object_get(ev, "Object");
	for (size_t i = 0; rc == CG_OK && json_is_array(objs) && i < json_array_size(objs); i++) {
		snprintf(prefix, sizeof(prefix), "Object[%zu].", i);
		rc = attributes(&m, json_object_get(json_array_get(objs, i), "Attribute"), prefix);
	}
	if (rc == CG_ELIMIT)
		rc = cg_diags_add(d, CG_ELIMIT, m.src, 0, 0,
		                  CG_MSG("quá nhiều thuộc tính", "too many attributes"));
	if (rc == CG_OK && f->nentries == 0)
		rc = cg_diags_add(d, CG_EPARSE, m.src, 0, 0,
		                  CG_MSG("không có chỉ báo nào dùng được", "no usable indicator"));
out:
	json_decref(root);
	return rc;
}

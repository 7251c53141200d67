/* winevt.c - one Windows event's XML into one flat JSON line (see winevt.h). The XML goes
 * through the hardened expat runner of xlsx_int.h (no DOCTYPE, no entities, prefixes
 * stripped); values are collected into a small table and written with jansson. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/limits.h"
#include "canhgac/logrec.h"
#include "canhgac/timeutil.h"
#include "canhgac/winevt.h"
#include "xlsx_int.h"
#include "banned.h"

/* System values are names and numbers: a few hundred bytes at most in real events. */
#define SYS_MAX 512

enum section { SEC_NONE, SEC_SYSTEM, SEC_EVENTDATA, SEC_USERDATA, SEC_RENDERING };
enum sysval { SV_EVENTID, SV_CHANNEL, SV_PROVIDER, SV_COMPUTER, SV_TIME, SV_RECID, SV_COUNT };

struct field {
	char *name;
	char *val;
	size_t vlen;
};

struct wev {
	struct cg_xml x; /* first: the runner's handlers get it */
	enum section sec;
	int leaf_depth; /* depth of the element whose text is being collected, 0 when none */
	char *val;      /* that text, CG_MAX_WINEVT_VALUE bytes at most */
	size_t vlen;
	int vfull; /* the text reached the cap: the rest of it is dropped */
	char dname[CG_MAX_WINEVT_NAME + 1]; /* Name= of the current <Data>, "" when unnamed */
	char *sys[SV_COUNT];
	struct field *f;
	size_t nf, fcap;
	unsigned ndata; /* unnamed <Data> seen */
	int truncated;
	int root_ok;
};

/* Length of s[0..n) cut back to at most max bytes without splitting a UTF-8 sequence. */
static size_t utf8_cut(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

static void set_sys(struct wev *w, enum sysval k, const char *s, size_t n)
{
	if (w->sys[k])
		return; /* first wins */
	if (n > SYS_MAX) {
		n = utf8_cut(s, n, SYS_MAX);
		w->truncated = 1;
	}
	if (!(w->sys[k] = cg_strndup(s, n)))
		cg_xml_fail(&w->x, CG_ENOMEM);
}

static void add_field(struct wev *w, const char *name, const char *v, size_t vlen)
{
	size_t nl = strlen(name);
	struct field *f;

	if (w->nf >= CG_MAX_WINEVT_FIELDS) {
		w->truncated = 1;
		return;
	}
	if (cg_grow((void **)&w->f, &w->fcap, w->nf + 1, sizeof(*w->f), CG_MAX_WINEVT_FIELDS)) {
		cg_xml_fail(&w->x, CG_ENOMEM);
		return;
	}
	if (nl > CG_MAX_WINEVT_NAME) {
		nl = utf8_cut(name, nl, CG_MAX_WINEVT_NAME);
		w->truncated = 1;
	}
	f = &w->f[w->nf];
	f->name = cg_strndup(name, nl);
	f->val = cg_strndup(v, vlen);
	f->vlen = vlen;
	if (!f->name || !f->val) {
		cg_free(f->name);
		cg_free(f->val);
		cg_xml_fail(&w->x, CG_ENOMEM);
		return;
	}
	w->nf++;
}

static enum section section_of(const char *name)
{
	if (strcmp(name, "System") == 0)
		return SEC_SYSTEM;
	if (strcmp(name, "EventData") == 0)
		return SEC_EVENTDATA;
	if (strcmp(name, "UserData") == 0)
		return SEC_USERDATA;
	if (strcmp(name, "RenderingInfo") == 0)
		return SEC_RENDERING;
	return SEC_NONE;
}

static void on_start(struct cg_xml *x, const char *name, const char **attrs)
{
	struct wev *w = (struct wev *)x;
	const char *a;

	if (x->depth > CG_MAX_WINEVT_DEPTH) {
		cg_xml_fail(x, CG_ELIMIT);
		return;
	}
	w->leaf_depth = x->depth;
	w->vlen = 0;
	w->vfull = 0;
	if (x->depth == 1) {
		if (strcmp(name, "Event") != 0)
			cg_xml_fail(x, CG_EPARSE);
		w->root_ok = 1;
		return;
	}
	if (x->depth == 2) {
		w->sec = section_of(name);
		return;
	}
	if (x->depth != 3)
		return;
	if (w->sec == SEC_SYSTEM && strcmp(name, "Provider") == 0 &&
	    (a = cg_xml_attr(attrs, "Name")))
		set_sys(w, SV_PROVIDER, a, strlen(a));
	else if (w->sec == SEC_SYSTEM && strcmp(name, "TimeCreated") == 0 &&
	         (a = cg_xml_attr(attrs, "SystemTime")))
		set_sys(w, SV_TIME, a, strlen(a));
	else if (w->sec == SEC_EVENTDATA && strcmp(name, "Data") == 0) {
		a = cg_xml_attr(attrs, "Name");
		a = a ? a : "";
		size_t n = utf8_cut(a, strlen(a), CG_MAX_WINEVT_NAME);
		memcpy(w->dname, a, n);
		w->dname[n] = '\0';
	}
}

static void on_text(struct cg_xml *x, const char *s, int len)
{
	struct wev *w = (struct wev *)x;
	size_t n = (size_t)len, room = CG_MAX_WINEVT_VALUE - w->vlen;

	if (!w->leaf_depth || len <= 0 || w->vfull)
		return;
	if (n > room) {
		n = utf8_cut(s, n, room);
		w->truncated = w->vfull = 1;
	}
	memcpy(w->val + w->vlen, s, n);
	w->vlen += n;
}

static void leaf_system(struct wev *w, const char *name)
{
	static const struct {
		const char *name;
		enum sysval k;
	} keys[] = {{"EventID", SV_EVENTID},
	            {"EventRecordID", SV_RECID},
	            {"Channel", SV_CHANNEL},
	            {"Computer", SV_COMPUTER}};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(name, keys[i].name) == 0)
			set_sys(w, keys[i].k, w->val, w->vlen);
}

static void on_end(struct cg_xml *x, const char *name)
{
	struct wev *w = (struct wev *)x;
	int depth = x->depth + 1; /* the runner has already stepped out */
	char dn[32];

	if (depth != w->leaf_depth) {
		w->leaf_depth = 0;
		return;
	}
	w->leaf_depth = 0; /* the parent had a child: not a leaf */
	if (depth == 3 && w->sec == SEC_SYSTEM) {
		leaf_system(w, name);
	} else if (depth == 3 && w->sec == SEC_EVENTDATA) {
		if (strcmp(name, "Data") == 0 && !w->dname[0]) {
			snprintf(dn, sizeof(dn), "Data%u", ++w->ndata);
			add_field(w, dn, w->val, w->vlen);
		} else {
			add_field(w, strcmp(name, "Data") == 0 ? w->dname : name, w->val, w->vlen);
		}
	} else if (depth >= 4 && w->sec == SEC_USERDATA) {
		add_field(w, name, w->val, w->vlen);
	} else if (depth == 3 && w->sec == SEC_RENDERING && strcmp(name, "Message") == 0) {
		add_field(w, name, w->val, w->vlen);
	}
}

/* Digits only (surrounding white space allowed), at most max. */
static int parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;
	int any = 0;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	for (; *s >= '0' && *s <= '9'; s++, any = 1) {
		if (v > (max - (unsigned)(*s - '0')) / 10)
			return CG_EPARSE;
		v = v * 10 + (unsigned)(*s - '0');
	}
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	if (!any || *s)
		return CG_EPARSE;
	*out = v;
	return 0;
}

/* "YYYY-MM-DDTHH:MM:SS[.f...](Z|+hh:mm|-hh:mm)" into "YYYY-MM-DDTHH:MM:SS.mmmZ" (UTC). */
static int norm_time(const char *s, char out[32])
{
	char buf[64];
	size_t n = strlen(s), i = 19;
	long off = 0;
	int64_t ms;

	if (n < 20 || n >= sizeof(buf) - 1)
		return CG_EPARSE;
	if (s[i] == '.')
		for (i++; s[i] >= '0' && s[i] <= '9'; i++)
			;
	memcpy(buf, s, i);
	buf[i] = 'Z';
	buf[i + 1] = '\0';
	if ((s[i] == '+' || s[i] == '-') && n == i + 6 && s[i + 3] == ':') {
		unsigned long long h, m;
		char hh[3] = {s[i + 1], s[i + 2], 0}, mm[3] = {s[i + 4], s[i + 5], 0};
		if (parse_uint(hh, 23, &h) || parse_uint(mm, 59, &m))
			return CG_EPARSE;
		off = (long)(h * 3600 + m * 60) * (s[i] == '+' ? 1 : -1);
	} else if (!(s[i] == 'Z' && n == i + 1)) {
		return CG_EPARSE;
	}
	if (cg_time_parse_iso8601(buf, &ms))
		return CG_EPARSE;
	return cg_time_iso8601_ms(out, ms - (int64_t)off * 1000) ? CG_EPARSE : 0;
}

static int set_str(json_t *o, const char *k, const char *v)
{
	if (!v || json_object_get(o, k))
		return 0;
	return json_object_set_new(o, k, json_string(v)) ? CG_ENOMEM : 0;
}

/* The System keys, in NXLog's order. */
static int build_system(const struct wev *w, json_t *o, unsigned long long id, const char *time)
{
	unsigned long long rec;
	int rc = 0;

	if (json_object_set_new(o, "EventID", json_integer((json_int_t)id)))
		return CG_ENOMEM;
	rc |= set_str(o, "Channel", w->sys[SV_CHANNEL]);
	rc |= set_str(o, "ProviderName", w->sys[SV_PROVIDER]);
	rc |= set_str(o, "Computer", w->sys[SV_COMPUTER]);
	rc |= set_str(o, "Hostname", w->sys[SV_COMPUTER]);
	rc |= set_str(o, "EventTime", time);
	if (w->sys[SV_RECID] && parse_uint(w->sys[SV_RECID], INT64_MAX, &rec) == 0 &&
	    json_object_set_new(o, "RecordNumber", json_integer((json_int_t)rec)))
		rc = CG_ENOMEM;
	return rc ? CG_ENOMEM : 0;
}

/* The whole object, with at most `budget` bytes of names and values from the fields. */
static int build(const struct wev *w, size_t budget, const struct cg_winevt_opts *opts,
                 unsigned long long id, const char *time, json_t **out)
{
	json_t *o = json_object();
	size_t used = 0;
	int cut = w->truncated, rc = CG_ENOMEM;

	if (!o || build_system(w, o, id, time))
		goto out;
	for (size_t i = 0; i < w->nf; i++) {
		const struct field *f = &w->f[i];
		if (json_object_get(o, f->name))
			continue;
		if (used + strlen(f->name) + f->vlen > budget) {
			cut = 1;
			continue;
		}
		used += strlen(f->name) + f->vlen;
		if (json_object_set_new(o, f->name, json_stringn(f->val, f->vlen)))
			goto out;
	}
	if (opts && opts->recovered && json_object_set_new(o, "Recovered", json_true()))
		goto out;
	if (cut && json_object_set_new(o, "Truncated", json_true()))
		goto out;
	*out = o;
	o = NULL;
	rc = 0;
out:
	json_decref(o);
	return rc;
}

/* Writes the JSON; halves the field budget until the line fits the log readers' line cap. */
static int emit(const struct wev *w, const struct cg_winevt_opts *opts, unsigned long long id,
                const char *time, char **out, size_t *outlen)
{
	size_t budget = CG_MAX_LOGLINE;
	json_t *o = NULL;
	int rc;

	for (;;) {
		if ((rc = build(w, budget, opts, id, time, &o)))
			return rc;
		size_t n = json_dumpb(o, NULL, 0, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (n == 0) {
			rc = CG_ENOMEM;
		} else if (n < CG_MAX_LOGLINE - 1 || budget == 0) {
			char *s = n < CG_MAX_LOGLINE - 1 ? cg_malloc(n + 1) : NULL;
			if (!s) {
				rc = n < CG_MAX_LOGLINE - 1 ? CG_ENOMEM : CG_ELIMIT;
			} else {
				json_dumpb(o, s, n, JSON_COMPACT | JSON_PRESERVE_ORDER);
				s[n] = '\0';
				*out = s;
				*outlen = n;
			}
		} else {
			json_decref(o);
			o = NULL;
			budget = budget > 1024 ? budget / 2 : 0;
			continue;
		}
		json_decref(o);
		return rc;
	}
}

static void wev_clear(struct wev *w)
{
	for (int k = 0; k < SV_COUNT; k++)
		cg_free(w->sys[k]);
	for (size_t i = 0; i < w->nf; i++) {
		cg_free(w->f[i].name);
		cg_free(w->f[i].val);
	}
	cg_free(w->f);
	cg_free(w->val);
}

static int fail(struct cg_diags *d, int rc, const struct cg_winevt_opts *o, const char *vi,
                const char *en)
{
	return cg_diags_add(d, rc, o && o->source ? o->source : "winevt", o ? o->index : 0, 0,
	                    "sự kiện Windows: %s%.0s", "Windows event: %.0s%s", vi, en);
}

int cg_winevt_to_json(const char *xml, size_t len, const struct cg_winevt_opts *opts, char **out,
                      size_t *outlen, struct cg_diags *d)
{
	struct wev w;
	unsigned long long id = 0;
	char time[32] = "";
	int rc;

	if (!out || !outlen || (!xml && len))
		return CG_EINVAL;
	*out = NULL;
	*outlen = 0;
	if (len > CG_MAX_WINEVT_XML)
		return fail(d, CG_ELIMIT, opts, "XML quá lớn", "XML too large");
	memset(&w, 0, sizeof(w));
	w.x.start = on_start;
	w.x.end = on_end;
	w.x.text = on_text;
	if (!(w.val = cg_malloc(CG_MAX_WINEVT_VALUE + 1))) {
		rc = CG_ENOMEM;
		goto out;
	}
	rc = len ? cg_xml_run(&w.x, xml, len) : CG_EPARSE;
	if (rc == CG_ELIMIT) {
		rc = fail(d, rc, opts, "lồng phần tử quá sâu", "elements nested too deep");
		goto out;
	}
	if (rc == CG_EPARSE || (rc == 0 && !w.root_ok)) {
		rc = fail(d, CG_EPARSE, opts, "XML hỏng, có DOCTYPE hoặc không phải <Event>",
		          "malformed XML, a DOCTYPE, or not an <Event>");
		goto out;
	}
	if (rc)
		goto out;
	if (!w.sys[SV_EVENTID] || parse_uint(w.sys[SV_EVENTID], UINT32_MAX, &id)) {
		rc = fail(d, CG_EPARSE, opts, "thiếu EventID dạng số", "no numeric EventID");
		goto out;
	}
	if (w.sys[SV_TIME] && norm_time(w.sys[SV_TIME], time))
		cg_diags_add(d, CG_EPARSE, opts && opts->source ? opts->source : "winevt",
		             opts ? opts->index : 0, 0,
		             "sự kiện Windows: thời điểm '%s' không đọc được",
		             "Windows event: unreadable time '%s'", w.sys[SV_TIME]);
	rc = emit(&w, opts, id, time[0] ? time : NULL, out, outlen);
out:
	wev_clear(&w);
	return rc;
}

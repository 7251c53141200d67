/* logdec_json.c - JSON lines: journald's export (`journalctl -o json`) and Windows events as
 * NXLog JSON or winlogbeat. A small walker reads one object without allocating: it calls back
 * for every scalar (and for arrays, as raw text) with its dotted key path. Strings with escapes
 * are rewritten into the record's scratch only when a field takes them. */
#include <stdint.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/logrec.h"
#include "logdec_int.h"
#include "banned.h"

#define JDEPTH 8    /* objects nested deeper are skipped */
#define JPATH 160   /* bytes of a dotted key path kept */
#define JVALUES 512 /* scalars visited in one line */

struct jval {
	const char *p; /* raw text: a string without its quotes, or a number, or "[...]" */
	size_t n;
	char kind; /* 's' string, 'n' number or literal, 'a' array */
	int esc;   /* a string holding backslashes */
};

typedef void (*jcb)(void *ctx, const char *path, size_t pn, const struct jval *v);

static size_t ws(const char *p, size_t i, size_t n)
{
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	return i;
}

/* A string opening at p[i] == '"': index past its closing quote, or 0. */
static size_t jstring(const char *p, size_t i, size_t n, int *esc)
{
	*esc = 0;
	for (i++; i < n; i++) {
		if (p[i] == '\\') {
			*esc = 1;
			i++;
		} else if (p[i] == '"') {
			return i + 1;
		}
	}
	return 0;
}

/* Skips an array or object opening at p[i] (strings respected): index past it, or 0. */
static size_t jskip(const char *p, size_t i, size_t n)
{
	int depth = 0, esc;
	while (i < n) {
		char c = p[i];
		if (c == '"') {
			if (!(i = jstring(p, i, n, &esc)))
				return 0;
			continue;
		}
		if (c == '[' || c == '{')
			depth++;
		else if ((c == ']' || c == '}') && --depth == 0)
			return i + 1;
		i++;
	}
	return 0;
}

struct walk {
	jcb cb;
	void *ctx;
	char path[JPATH];
	size_t visits;
};

/* Walks the object opening at p[i] == '{' whose path is w->path[0..pn): index past it or 0. */
static size_t jobject(struct walk *w, const char *p, size_t i, size_t n, size_t pn, int depth)
{
	int esc;
	i = ws(p, i + 1, n);
	if (i < n && p[i] == '}')
		return i + 1;
	while (i < n) {
		size_t ks, ke, kn, np = pn;
		struct jval v;
		if (p[i] != '"' || !(ke = jstring(p, i, n, &esc)))
			return 0;
		ks = i + 1, kn = ke - 1 - ks;
		if (np && np < JPATH)
			w->path[np++] = '.';
		if (np + kn <= JPATH) {
			memcpy(w->path + np, p + ks, kn);
			np += kn;
		} else {
			np = JPATH; /* too long to name: matches no key */
		}
		i = ws(p, ke, n);
		if (i >= n || p[i] != ':')
			return 0;
		i = ws(p, i + 1, n);
		if (i >= n)
			return 0;
		if (p[i] == '{') {
			size_t e = depth + 1 < JDEPTH ? jobject(w, p, i, n, np, depth + 1)
			                              : jskip(p, i, n);
			if (!e)
				return 0;
			i = e;
		} else {
			size_t s = i;
			v.esc = 0;
			if (p[i] == '"') {
				if (!(i = jstring(p, i, n, &v.esc)))
					return 0;
				v.p = p + s + 1, v.n = i - s - 2, v.kind = 's';
			} else if (p[i] == '[') {
				if (!(i = jskip(p, i, n)))
					return 0;
				v.p = p + s, v.n = i - s, v.kind = 'a';
			} else {
				while (i < n && p[i] != ',' && p[i] != '}' && p[i] != ' ')
					i++;
				v.p = p + s, v.n = i - s, v.kind = 'n';
			}
			if (np < JPATH && ++w->visits <= JVALUES)
				w->cb(w->ctx, w->path, np, &v);
		}
		i = ws(p, i, n);
		if (i < n && p[i] == ',') {
			i = ws(p, i + 1, n);
			continue;
		}
		if (i < n && p[i] == '}')
			return i + 1;
		return 0;
	}
	return 0;
}

static int jwalk(const char *p, size_t n, jcb cb, void *ctx)
{
	struct walk w;
	size_t i = ws(p, 0, n);
	w.cb = cb, w.ctx = ctx, w.visits = 0;
	if (i >= n || p[i] != '{')
		return CG_ENOENT;
	return jobject(&w, p, i, n, 0, 0) ? 0 : CG_ENOENT;
}

static unsigned hexv(const char *p)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v |= (unsigned)((c | 0x20) - 'a' + 10);
		else
			return 0xFFFFFFFFu;
	}
	return v;
}

static size_t utf8(unsigned cp, char *o)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | cp >> 6), o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | cp >> 12), o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | cp >> 18), o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Sets f to a JSON string's value, unescaped into the scratch when it holds escapes (a bad
 * escape is kept as written). */
static void jset(struct cg_logrec *r, enum cg_logfield f, const struct jval *v)
{
	char *o = r->scratch + r->scratch_used;
	size_t room = sizeof(r->scratch) - r->scratch_used, k = 0;
	if (v->kind != 's' || !v->esc) {
		cg_logrec_set(r, f, v->p, v->n);
		return;
	}
	for (size_t i = 0; i < v->n; i++) {
		char c = v->p[i], t[4];
		size_t tn = 1;
		t[0] = c;
		if (c == '\\' && i + 1 < v->n) {
			char e = v->p[++i];
			unsigned cp;
			switch (e) {
			case 'n':
				t[0] = '\n';
				break;
			case 't':
				t[0] = '\t';
				break;
			case 'r':
				t[0] = '\r';
				break;
			case 'b':
				t[0] = '\b';
				break;
			case 'f':
				t[0] = '\f';
				break;
			case 'u':
				if (i + 4 < v->n && (cp = hexv(v->p + i + 1)) != 0xFFFFFFFFu) {
					i += 4;
					if (cp >= 0xD800 && cp < 0xDC00 && i + 6 < v->n &&
					    v->p[i + 1] == '\\' && v->p[i + 2] == 'u') {
						unsigned lo = hexv(v->p + i + 3);
						if (lo >= 0xDC00 && lo < 0xE000) {
							cp = 0x10000 + ((cp - 0xD800) << 10) +
							     (lo - 0xDC00);
							i += 6;
						}
					}
					tn = utf8(cp, t);
					break;
				}
				t[0] = 'u';
				break;
			default:
				t[0] = e;
				break;
			}
		}
		if (k + tn > room)
			break; /* cut at the scratch's end */
		memcpy(o + k, t, tn);
		k += tn;
	}
	r->scratch_used += k;
	cg_logrec_set(r, f, o, k);
}

/* MESSAGE as an array of bytes, "[72,105]": decoded into the scratch. */
static void jbytes(struct cg_logrec *r, enum cg_logfield f, const struct jval *v)
{
	char *o = r->scratch + r->scratch_used;
	size_t room = sizeof(r->scratch) - r->scratch_used, k = 0;
	unsigned b = 0;
	int in = 0;
	for (size_t i = 1; i < v->n && k < room; i++) {
		char c = v->p[i];
		if (ld_dig(c)) {
			b = b * 10 + (unsigned)(c - '0');
			in = 1;
			if (b > 255)
				return;
		} else if (in) {
			o[k++] = (char)b;
			b = 0, in = 0;
		}
	}
	r->scratch_used += k;
	cg_logrec_set(r, f, o, k);
}

#define KEY(path, pn, lit) ((pn) == sizeof(lit) - 1 && memcmp((path), (lit), (pn)) == 0)

struct jd {
	struct cg_logrec *r;
	int64_t tz;
	int has_comm;
};

static void journald_cb(void *ctx, const char *k, size_t kn, const struct jval *v)
{
	struct jd *j = ctx;
	struct cg_logrec *r = j->r;
	if (KEY(k, kn, "__REALTIME_TIMESTAMP")) {
		size_t d = cg_ld_digits(v->p, v->n);
		if (d >= 7 && d <= 18 && d == v->n) {
			int64_t us = 0;
			for (size_t i = 0; i < d; i++)
				us = us * 10 + (v->p[i] - '0');
			r->time = us / 1000000, r->time_ms = (int32_t)(us / 1000 % 1000);
			r->has_time = 1;
		}
	} else if (KEY(k, kn, "_HOSTNAME")) {
		jset(r, CG_LF_HOST, v);
	} else if (KEY(k, kn, "SYSLOG_IDENTIFIER")) {
		jset(r, CG_LF_PROGRAM, v);
	} else if (KEY(k, kn, "_COMM") && !r->f[CG_LF_PROGRAM].ptr) {
		jset(r, CG_LF_PROGRAM, v);
		j->has_comm = 1;
	} else if (KEY(k, kn, "_PID") || (KEY(k, kn, "SYSLOG_PID") && !r->f[CG_LF_PID].ptr)) {
		jset(r, CG_LF_PID, v);
	} else if (KEY(k, kn, "MESSAGE")) {
		if (v->kind == 'a')
			jbytes(r, CG_LF_MSG, v);
		else
			jset(r, CG_LF_MSG, v);
	}
}

int cg_ld_journald(const struct cg_logdec_opts *o, const char *p, size_t n, struct cg_logrec *r)
{
	struct jd j = {r, o->tz, 0};
	if (jwalk(p, n, journald_cb, &j) || !r->f[CG_LF_MSG].ptr)
		return CG_ENOENT;
	r->format = "journald";
	cg_logdec_inner(r);
	return 0;
}

/* Windows events as JSON: NXLog (flat keys) and winlogbeat (winlog.event_data.*). The 4732
 * event names the group in TargetUserName and the member in MemberName, so values are kept
 * until the event id is known. */
struct wj {
	struct cg_logrec *r;
	int64_t tz;
	struct jval id, when, host, tuser, suser, ip, port, ltype, status, member, msg;
	struct jval channel, provider, threat, path, duser;
};

static void keep(struct jval *dst, const struct jval *v)
{
	if (!dst->p)
		*dst = *v;
}

static void winjson_cb(void *ctx, const char *k, size_t kn, const struct jval *v)
{
	struct wj *w = ctx;
	const char *leaf = k + kn;
	while (leaf > k && leaf[-1] != '.')
		leaf--;
	size_t ln = kn - (size_t)(leaf - k);
	if (KEY(leaf, ln, "EventID") || KEY(leaf, ln, "event_id"))
		keep(&w->id, v);
	else if (KEY(leaf, ln, "EventTime") || KEY(k, kn, "@timestamp"))
		keep(&w->when, v);
	else if (KEY(leaf, ln, "Hostname") || KEY(leaf, ln, "Computer") ||
	         KEY(leaf, ln, "computer_name") || KEY(k, kn, "host.name"))
		keep(&w->host, v);
	else if (KEY(leaf, ln, "TargetUserName"))
		keep(&w->tuser, v);
	else if (KEY(leaf, ln, "SubjectUserName"))
		keep(&w->suser, v);
	else if (KEY(leaf, ln, "IpAddress"))
		keep(&w->ip, v);
	else if (KEY(leaf, ln, "IpPort"))
		keep(&w->port, v);
	else if (KEY(leaf, ln, "LogonType"))
		keep(&w->ltype, v);
	else if (KEY(leaf, ln, "Status"))
		keep(&w->status, v);
	else if (KEY(leaf, ln, "MemberName"))
		keep(&w->member, v);
	else if (KEY(leaf, ln, "Message") || KEY(k, kn, "message"))
		keep(&w->msg, v);
	else if (KEY(leaf, ln, "Channel") || KEY(leaf, ln, "channel"))
		keep(&w->channel, v);
	else if (KEY(leaf, ln, "ProviderName") || KEY(leaf, ln, "SourceName") ||
	         KEY(leaf, ln, "provider_name"))
		keep(&w->provider, v);
	else if (KEY(leaf, ln, "Threat Name"))
		keep(&w->threat, v);
	else if (KEY(leaf, ln, "Path"))
		keep(&w->path, v);
	else if (KEY(leaf, ln, "Detection User"))
		keep(&w->duser, v);
}

/* Sets f unless the value is absent, "" or "-". */
static void wset(struct cg_logrec *r, enum cg_logfield f, const struct jval *v)
{
	if (v->p && v->n && !(v->n == 1 && v->p[0] == '-'))
		jset(r, f, v);
}

/* Microsoft Defender's Operational channel: detections (1116, and 1006 of older versions) and
 * real-time protection turned off (5001). */
static int defender(struct wj *w)
{
	struct cg_logrec *r = w->r;
	if (!(w->channel.p && cg_ld_find(w->channel.p, w->channel.n, LD_LIT("Defender"))) &&
	    !(w->provider.p && cg_ld_find(w->provider.p, w->provider.n, LD_LIT("Defender"))))
		return 0;
	r->decoder = "defender";
	wset(r, CG_LF_THREAT, &w->threat);
	wset(r, CG_LF_PATH, &w->path);
	wset(r, CG_LF_USER, &w->duser);
	if (cg_logrec_is(r, CG_LF_EVENTID, "1116") || cg_logrec_is(r, CG_LF_EVENTID, "1006"))
		cg_logrec_set(r, CG_LF_ACTION, CG_LA_MALWARE, strlen(CG_LA_MALWARE));
	else if (cg_logrec_is(r, CG_LF_EVENTID, "5001"))
		cg_logrec_set(r, CG_LF_ACTION, CG_LA_AV_DISABLED, strlen(CG_LA_AV_DISABLED));
	return 1;
}

int cg_ld_winjson(const struct cg_logdec_opts *o, const char *p, size_t n, struct cg_logrec *r)
{
	struct wj w;
	memset(&w, 0, sizeof(w));
	w.r = r, w.tz = o->tz;
	if (jwalk(p, n, winjson_cb, &w) || !w.id.p || !cg_ld_digits(w.id.p, w.id.n))
		return CG_ENOENT;
	cg_logrec_set(r, CG_LF_EVENTID, w.id.p, cg_ld_digits(w.id.p, w.id.n));
	if (w.when.p)
		cg_ld_iso(r, w.when.p, w.when.n, o->tz);
	wset(r, CG_LF_HOST, &w.host);
	wset(r, CG_LF_LOGONTYPE, &w.ltype);
	wset(r, CG_LF_STATUS, &w.status);
	wset(r, CG_LF_MSG, &w.msg);
	wset(r, CG_LF_SRCPORT, &w.port);
	if (w.ip.p && ld_starts(w.ip.p, w.ip.n, LD_LIT("::ffff:")) &&
	    cg_ld_iplen(w.ip.p + 7, w.ip.n - 7) == w.ip.n - 7)
		w.ip.p += 7, w.ip.n -= 7;
	if (w.ip.p && cg_ld_iplen(w.ip.p, w.ip.n) == w.ip.n)
		cg_logrec_set(r, CG_LF_SRCIP, w.ip.p, w.ip.n);
	r->format = "winevent";
	if (defender(&w))
		return 0;
	if (cg_logrec_is(r, CG_LF_EVENTID, "4732") || cg_logrec_is(r, CG_LF_EVENTID, "4728") ||
	    cg_logrec_is(r, CG_LF_EVENTID, "4756")) {
		wset(r, CG_LF_GROUP, &w.tuser);
		if (w.member.p && ld_starts(w.member.p, w.member.n, LD_LIT("CN="))) {
			w.member.p += 3, w.member.n -= 3;
			w.member.n = ld_until(w.member.p, w.member.n, ',');
		}
		wset(r, CG_LF_USER, &w.member);
	} else {
		wset(r, CG_LF_USER, &w.tuser);
	}
	wset(r, CG_LF_SRCUSER, &w.suser);
	r->format = "winevent";
	r->decoder = "winsec";
	cg_ld_winsec_action(r);
	return 0;
}

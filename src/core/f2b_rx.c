/* f2b_rx.c - fail2ban's regular expressions in PCRE2: its tags (<HOST>, <F-USER>...) as
 * failregex.py translates them, the few Python-only forms rewritten, JIT compiled. */
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/limits.h"
#include "f2b_int.h"
#include "banned.h"

/* failregex.py R_HOST, with usedns other than "no" (as fail2ban-regex): <HOST> also matches a
 * host name; the matcher gives no address for it (usedns=no). */
#define IP4 "(?:\\d{1,3}\\.){3}\\d{1,3}"
#define IP6 "(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|(?<=:):)"
#define R_IP4 "(?:::f{4,6}:)?(?P<ip4>" IP4 ")"
#define R_IP6 "(?P<ip6>" IP6 ")"
#define R_DNS "(?P<dns>[\\w\\-.^_]*\\w)"
#define R_ADDR "\\[?(?:" R_IP4 "|" R_IP6 ")\\]?"
#define R_HOST "(?:" R_ADDR "|" R_DNS ")"
#define R_CIDR "(?P<cidr>\\d+)"
#define R_SUBNET "\\[?(?:" R_IP4 "|" R_IP6 ")(?:/" R_CIDR ")?\\]?"

static const struct {
	const char *tag, *re;
} fixed_tags[] = {
    {"HOST", R_HOST},
    {"IP4", R_IP4},
    {"F-IP4/", R_IP4},
    {"IP6", R_IP6},
    {"F-IP6/", R_IP6},
    {"ADDR", R_ADDR},
    {"F-ADDR/", R_ADDR},
    {"CIDR", R_CIDR},
    {"F-CIDR/", R_CIDR},
    {"SUBNET", R_SUBNET},
    {"F-SUBNET/", R_SUBNET},
    {"DNS", R_DNS},
    {"F-DNS/", R_DNS},
    {"F-ID/", "(?P<fid>\\S+)"},
    {"F-PORT/", "(?P<fport>\\w+)"},
};

static int is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* Length of a tag </?[\w-]+/?> at s, or 0. */
static size_t tag_len(const char *s)
{
	size_t i = 1;
	if (s[i] == '/')
		i++;
	size_t b = i;
	while (is_word(s[i]) || s[i] == '-')
		i++;
	if (i == b)
		return 0;
	if (s[i] == '/')
		i++;
	return s[i] == '>' ? i + 1 : 0;
}

struct xl {
	struct f2b_sb *out;
	char open[64][40]; /* F- tags opened so far */
	size_t nopen;
	int skiplines;
};

/* One tag (without < >): its replacement, as failregex.py's substTag. */
static int subst_tag(struct xl *x, const char *tn, size_t n, const char *orig, size_t on)
{
	char name[40], buf[80];
	for (size_t i = 0; i < sizeof(fixed_tags) / sizeof(fixed_tags[0]); i++)
		if (strlen(fixed_tags[i].tag) == n && memcmp(fixed_tags[i].tag, tn, n) == 0)
			return f2b_sb_add(x->out, fixed_tags[i].re, strlen(fixed_tags[i].re));
	if (n == 9 && memcmp(tn, "SKIPLINES", 9) == 0) {
		int k = snprintf(buf, sizeof(buf), "\\n(?P<skiplines%d>(?:(?:.*\\n)*?))",
		                 x->skiplines++);
		return f2b_sb_add(x->out, buf, (size_t)k);
	}
	int close = tn[0] == '/';
	const char *f = tn + close;
	size_t fn = n - (size_t)close;
	int ok = fn > 2 && f[0] == 'F' && f[1] == '-' && fn - 2 < sizeof(name);
	for (size_t i = 2; ok && i < fn; i++)
		ok = (f[i] >= 'A' && f[i] <= 'Z') || (f[i] >= '0' && f[i] <= '9') || f[i] == '_' ||
		     f[i] == '-';
	if (!ok)
		return f2b_sb_add(x->out, orig, on);
	memcpy(name, f + 2, fn - 2);
	name[fn - 2] = 0;
	if (close) {
		for (size_t i = 0; i < x->nopen; i++)
			if (strcmp(x->open[i], name) == 0)
				return f2b_sb_add(x->out, ")", 1);
		return f2b_sb_add(x->out, orig, on);
	}
	if (x->nopen < 64)
		memcpy(x->open[x->nopen++], name, fn - 1);
	for (char *p = name; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	const char *g = strcmp(name, "id") == 0     ? "fid"
	                : strcmp(name, "port") == 0 ? "fport"
	                                            : name;
	int k = snprintf(buf, sizeof(buf), "(?P<%s>", g);
	return f2b_sb_add(x->out, buf, (size_t)k);
}

static int translate_tags(const char *s, struct f2b_sb *out)
{
	struct xl x;
	int rc = 0;
	memset(&x, 0, sizeof(x));
	x.out = out;
	while (*s && !rc) {
		const char *lt = strchr(s, '<');
		if (!lt)
			return f2b_sb_add(out, s, strlen(s));
		if ((rc = f2b_sb_add(out, s, (size_t)(lt - s))))
			break;
		size_t tl = tag_len(lt);
		if (!tl) {
			rc = f2b_sb_add(out, "<", 1);
			s = lt + 1;
			continue;
		}
		rc = subst_tag(&x, lt + 1, tl - 2, lt, tl);
		s = lt + tl;
	}
	return rc;
}

/* Python-only syntax: \Z is PCRE2's \z, {,n} is {0,n}, and the flags u, a, L do not exist. */
static int python_fixes(const char *s, struct f2b_sb *out)
{
	int rc = 0, cls = 0;
	for (size_t i = 0; s[i] && !rc; i++) {
		char c = s[i];
		if (c == '\\' && s[i + 1]) {
			rc = f2b_sb_add(out, (s[i + 1] == 'Z' && !cls) ? "\\z" : s + i, 2);
			cls += cls ? 1 : 0;
			i++;
		} else if (cls) {
			if (c == ']' && cls > 1)
				cls = 0;
			else
				cls++;
			rc = f2b_sb_add(out, s + i, 1);
		} else if (c == '[') {
			cls = 1;
			if (s[i + 1] == '^') {
				rc = f2b_sb_add(out, "[^", 2);
				i++;
				continue;
			}
			rc = f2b_sb_add(out, s + i, 1);
		} else if (c == '{' && s[i + 1] == ',' && s[i + 2] >= '0' && s[i + 2] <= '9') {
			rc = f2b_sb_add(out, "{0", 2);
		} else if (c == '(' && s[i + 1] == '?' && strchr("aiLmsux", s[i + 2])) {
			size_t j = i + 2;
			if ((rc = f2b_sb_add(out, "(?", 2)))
				break;
			while (s[j] && strchr("aiLmsux-", s[j])) {
				if (s[j] != 'a' && s[j] != 'u' && s[j] != 'L')
					rc = rc ? rc : f2b_sb_add(out, s + j, 1);
				j++;
			}
			i = j - 1;
		} else {
			rc = f2b_sb_add(out, s + i, 1);
		}
	}
	return rc;
}

static void first_bytes(struct f2b_rx *r)
{
	uint32_t type = 0, opts = 0, unit = 0;
	const uint8_t *map = NULL;
	pcre2_pattern_info(r->code, PCRE2_INFO_ALLOPTIONS, &opts);
	r->anchored = (opts & PCRE2_ANCHORED) != 0;
	r->has_first = 0;
	if (pcre2_pattern_info(r->code, PCRE2_INFO_FIRSTBITMAP, &map) == 0 && map) {
		memcpy(r->first, map, 32);
		r->has_first = 1;
	} else if (pcre2_pattern_info(r->code, PCRE2_INFO_FIRSTCODETYPE, &type) == 0 && type == 1 &&
	           pcre2_pattern_info(r->code, PCRE2_INFO_FIRSTCODEUNIT, &unit) == 0 &&
	           unit < 256) {
		memset(r->first, 0, 32);
		r->first[unit >> 3] |= (uint8_t)(1u << (unit & 7));
		/* a caseless first letter: allow both cases */
		uint32_t o = (unit >= 'a' && unit <= 'z')   ? unit - 32
		             : (unit >= 'A' && unit <= 'Z') ? unit + 32
		                                            : unit;
		r->first[o >> 3] |= (uint8_t)(1u << (o & 7));
		r->has_first = 1;
	}
}

static const char *const grp_names[G_COUNT] = {"ip4",    "ip6",       "dns",       "fid",
                                               "cidr",   "user",      "alt_user",  "mlfid",
                                               "nofail", "mlfforget", "mlfgained", "content"};

int f2b_rx_compile(struct f2b_rx *r, const char *src, int multiline, struct cg_diags *d,
                   const char *source)
{
	struct f2b_sb t = {0}, p = {0};
	int err = 0, rc;
	PCRE2_SIZE off = 0;

	memset(r, 0, sizeof(*r));
	if ((rc = translate_tags(src, &t)) || (rc = python_fixes(t.p ? t.p : "", &p)))
		goto out;
	if (!p.p || strspn(p.p, " \t") == p.n) {
		rc = cg_diags_add(d, CG_EPARSE, source, 0, 0, "biểu thức rỗng", "empty expression");
		goto out;
	}
	r->src = cg_strdup(src);
	if (!r->src) {
		rc = CG_ENOMEM;
		goto out;
	}
	r->code =
	    pcre2_compile((PCRE2_SPTR)p.p, p.n, multiline ? PCRE2_MULTILINE : 0, &err, &off, NULL);
	if (!r->code) {
		PCRE2_UCHAR msg[160];
		pcre2_get_error_message(err, msg, sizeof(msg));
		rc = cg_diags_add(d, CG_EPARSE, source, 0, (unsigned)off + 1,
		                  "biểu thức chính quy sai (%s): %s",
		                  "bad regular expression (%s): %s", (const char *)msg, src);
		goto out;
	}
	(void)pcre2_jit_compile(r->code, PCRE2_JIT_COMPLETE); /* the interpreter if no JIT */
	for (int g = 0; g < G_COUNT; g++) {
		int k = pcre2_substring_number_from_name(r->code, (PCRE2_SPTR)grp_names[g]);
		r->grp[g] = k > 0 ? k : -1;
	}
	first_bytes(r);
out:
	f2b_sb_free(&t);
	f2b_sb_free(&p);
	if (rc)
		f2b_rx_free(r);
	return rc;
}

void f2b_rx_free(struct f2b_rx *r)
{
	if (!r)
		return;
	pcre2_code_free(r->code);
	cg_free(r->src);
	r->code = NULL;
	r->src = NULL;
}

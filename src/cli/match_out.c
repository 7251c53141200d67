/* match_out.c - what `match ips` prints: matching lines with their addresses, lists and
 * families (text), the lines alone (--lines), one match.ip record per match (--json), counts
 * (--count) and the per-address, per-list and per-unit summary (--summary, --units). One thread
 * writes, in input order, through a large buffer. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/event.h"
#include "canhgac/sys.h"
#include "canhgac/units.h"
#include "cli.h"
#include "match.h"
#include "banned.h"

#define OUT_BUF (1u << 20)

struct addr_ent {
	struct cg_ip ip;
	uint8_t used, plen;
	uint32_t payload; /* longest covering entry */
	uint64_t lines;
};

struct list_ent {
	uint64_t lines, addrs;
};

struct match_sum {
	struct addr_ent *t;
	size_t cap, n;
	struct list_ent lists[CG_MAX_MATCH_LISTS];
};

void match_out_flush(struct match_out *w)
{
	if (w->n && !w->werr && fwrite(w->b, 1, w->n, stdout) != w->n)
		w->werr = 1;
	w->n = 0;
	if (fflush(stdout) != 0)
		w->werr = 1;
}

static void put(struct match_out *w, const void *p, size_t n)
{
	if (n > w->cap - w->n) {
		match_out_flush(w);
		if (n > w->cap) {
			if (!w->werr && fwrite(p, 1, n, stdout) != n)
				w->werr = 1;
			return;
		}
	}
	memcpy(w->b + w->n, p, n);
	w->n += n;
}

static void puts_(struct match_out *w, const char *s)
{
	put(w, s, strlen(s));
}

static void putu(struct match_out *w, uint64_t v)
{
	char t[24];
	int k = 24;
	do {
		t[--k] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(w, t + k, (size_t)(24 - k));
}

int match_out_init(struct match_out *w, const struct match_lists *L, const struct match_opts *o)
{
	memset(w, 0, sizeof(*w));
	w->L = L;
	w->o = o;
	w->cap = OUT_BUF;
	w->b = cg_malloc(w->cap);
	if (!w->b)
		return CG_ENOMEM;
	if (o->summary) {
		w->sum = cg_calloc(1, sizeof(*w->sum));
		if (!w->sum)
			return CG_ENOMEM;
	}
	if (o->summary && o->units)
		return match_usum_new(o->units, &w->usum);
	return CG_OK;
}

void match_out_free(struct match_out *w)
{
	cg_free(w->b);
	if (w->sum)
		cg_free(w->sum->t);
	cg_free(w->sum);
	match_usum_free(w->usum);
	w->b = NULL;
	w->sum = NULL;
	w->usum = NULL;
}

/* The listed entry that covers ip: "1.2.3.0/24", or the address for a host entry. */
static void entry_text(const struct cg_ip *ip, unsigned plen, char *out, size_t cap)
{
	struct cg_prefix p;
	p.ip = *ip;
	p.len = (uint8_t)plen;
	cg_ip_mask(&p.ip, plen);
	if (plen == (ip->v6 ? 128u : 32u))
		cg_ip_format(&p.ip, out, cap);
	else
		cg_prefix_format(&p, out, cap);
}

static const char *family_of(const struct match_lists *L, uint32_t payload)
{
	unsigned f = L->meta[payload].family;
	return f && f <= L->nfam ? L->families[f - 1] : NULL;
}

static void text_hit(struct match_out *w, const struct match_hit *h)
{
	const struct match_meta *m = &w->L->meta[h->payload];
	const char *fam = family_of(w->L, h->payload), *hint = fam ? match_family_hint(fam) : NULL;
	char ip[CG_IP_STRLEN], ent[CG_IP_STRLEN], t[1024];
	int n;
	cg_ip_format(&h->ip, ip, sizeof(ip));
	entry_text(&h->ip, h->plen, ent, sizeof(ent));
	n = snprintf(t, sizeof(t),
	             cg_tr("  -> %s thuộc %s (%s:%u), họ mã độc: %s%s%s\n",
	                   "  -> %s in %s (%s:%u), family: %s%s%s\n"),
	             ip, ent, w->L->names[m->list], m->line, fam ? fam : "-", hint ? " - " : "",
	             hint ? hint : "");
	if (n > 0)
		put(w, t, (size_t)n < sizeof(t) ? (size_t)n : sizeof(t) - 1);
}

static const char *file_name(const struct match_out *w, size_t file)
{
	return w->o->nfiles ? w->o->files[file] : "-";
}

static void json_hit(struct match_out *w, const struct match_chunk *c, const struct match_hit *h,
                     uint64_t lineno)
{
	const struct match_meta *m = &w->L->meta[h->payload];
	const char *fam = family_of(w->L, h->payload), *path = file_name(w, c->file);
	char ip[CG_IP_STRLEN], ent[CG_IP_STRLEN], *txt;
	struct cg_event e;
	json_t *o;
	size_t ll = h->llen > CG_MAX_MATCH_LINE ? CG_MAX_MATCH_LINE : h->llen;
	const uint8_t *line = (const uint8_t *)c->buf + h->loff;

	memset(&e, 0, sizeof(e));
	e.time_ms = w->now_ms;
	e.kind = "match.ip";
	e.severity = CG_SEV_MEDIUM;
	e.size = -1;
	e.host = cg_host_facts();
	if (strcmp(path, "-") != 0) {
		e.path = (const uint8_t *)path;
		e.path_len = strlen(path);
	}
	o = cg_event_to_json(&e);
	if (!o)
		return;
	cg_ip_format(&h->ip, ip, sizeof(ip));
	entry_text(&h->ip, h->plen, ent, sizeof(ent));
	json_object_set_new(o, "ip", json_string(ip));
	json_object_set_new(o, "list", json_string(w->L->names[m->list]));
	json_object_set_new(o, "entry", json_string(ent));
	json_object_set_new(o, "list_line", json_integer(m->line));
	json_object_set_new(o, "family", fam ? json_string(fam) : json_null());
	if (fam && match_family_hint(fam))
		json_object_set_new(o, "hint", json_string(match_family_hint(fam)));
	json_object_set_new(o, "line", json_integer((json_int_t)lineno));
	if (ll && line[ll - 1] == '\r')
		ll--;
	if (cg_utf8_valid(line, ll) && !memchr(line, '\0', ll)) {
		json_object_set_new(o, "text", json_stringn((const char *)line, ll));
	} else {
		char *b = cg_base64(line, ll);
		if (b)
			json_object_set_new(o, "text_b64", json_string(b));
		cg_free(b);
	}
	txt = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
	if (txt) {
		puts_(w, txt);
		put(w, "\n", 1);
	}
	free(txt);
	json_decref(o);
}

static uint64_t hash_ip(const struct cg_ip *ip)
{
	uint64_t h = 1469598103934665603ull ^ ip->v6;
	for (int i = 0; i < (ip->v6 ? 16 : 4); i++)
		h = (h ^ ip->a[i]) * 1099511628211ull;
	return h ^ (h >> 29);
}

/* The summary entry of ip, inserted when new (*fresh = 1); NULL on allocation failure. */
static struct addr_ent *sum_find(struct match_sum *s, const struct cg_ip *ip, int *fresh)
{
	size_t i;
	*fresh = 0;
	if (2 * (s->n + 1) > s->cap) {
		size_t ncap = s->cap ? 2 * s->cap : 1024;
		struct addr_ent *t = cg_calloc(ncap, sizeof(*t));
		if (!t)
			return NULL;
		for (size_t k = 0; k < s->cap; k++) {
			if (!s->t[k].used)
				continue;
			for (i = hash_ip(&s->t[k].ip) & (ncap - 1); t[i].used;
			     i = (i + 1) & (ncap - 1))
				;
			t[i] = s->t[k];
		}
		cg_free(s->t);
		s->t = t;
		s->cap = ncap;
	}
	for (i = hash_ip(ip) & (s->cap - 1); s->t[i].used; i = (i + 1) & (s->cap - 1))
		if (cg_ip_cmp(&s->t[i].ip, ip) == 0)
			return &s->t[i];
	s->t[i].used = 1;
	s->t[i].ip = *ip;
	s->n++;
	*fresh = 1;
	return &s->t[i];
}

/* Counts one matching line: hits[0..n) all belong to it. */
static int sum_line(struct match_out *w, const struct match_hit *hits, size_t n)
{
	uint8_t seen[CG_MAX_MATCH_LISTS / 8] = {0};
	for (size_t i = 0; i < n; i++) {
		const struct match_hit *h = &hits[i];
		unsigned l = w->L->meta[h->payload].list;
		int dup = 0, fresh;
		struct addr_ent *a;
		if (!(seen[l / 8] & (1u << (l % 8)))) {
			seen[l / 8] |= (uint8_t)(1u << (l % 8));
			w->sum->lists[l].lines++;
		}
		for (size_t k = 0; k < i && !dup; k++)
			dup = cg_ip_cmp(&hits[k].ip, &h->ip) == 0;
		if (dup)
			continue;
		a = sum_find(w->sum, &h->ip, &fresh);
		if (!a)
			return CG_ENOMEM;
		a->lines++;
		if (!fresh)
			continue;
		a->payload = h->payload;
		a->plen = h->plen;
		/* the covering lists are the same every time: count the address once per list */
		for (size_t k = i; k < n; k++) {
			unsigned lk = w->L->meta[hits[k].payload].list;
			int again = 0;
			if (cg_ip_cmp(&hits[k].ip, &h->ip) != 0)
				continue;
			for (size_t j = i; j < k && !again; j++)
				again = cg_ip_cmp(&hits[j].ip, &h->ip) == 0 &&
				        w->L->meta[hits[j].payload].list == lk;
			if (!again)
				w->sum->lists[lk].addrs++;
		}
	}
	return CG_OK;
}

static void print_line(struct match_out *w, const struct match_chunk *c, const struct match_hit *h,
                       uint64_t lineno)
{
	size_t ll = h->llen > CG_MAX_MATCH_LINE ? CG_MAX_MATCH_LINE : h->llen;
	if (!w->o->lines) {
		if (w->o->nfiles > 1) {
			puts_(w, file_name(w, c->file));
			put(w, ":", 1);
		}
		putu(w, lineno);
		put(w, ": ", 2);
	}
	put(w, c->buf + h->loff, ll);
	put(w, "\n", 1);
}

int match_out_chunk(struct match_out *w, const struct match_chunk *c)
{
	const struct match_opts *o = w->o;
	int quiet_lines = o->count || o->summary;
	int rc = 0;

	w->cur_file = c->file;
	w->now_ms = cg_now_ms();
	for (size_t i = 0; i < c->nhits;) {
		size_t j = i;
		uint64_t lineno = w->lineno + c->hits[i].line + 1;
		while (j < c->nhits && c->hits[j].line == c->hits[i].line)
			j++;
		if (w->sum && sum_line(w, c->hits + i, j - i))
			rc = CG_ENOMEM;
		if (w->usum && !rc)
			rc = match_usum_line(w->usum, c->buf + c->hits[i].loff, c->hits[i].llen,
			                     c->hits + i, j - i, w->now_ms / 1000);
		if (!quiet_lines && (o->lines || !o->json))
			print_line(w, c, &c->hits[i], lineno);
		for (size_t k = i; k < j && !quiet_lines && !o->lines; k++) {
			if (o->json)
				json_hit(w, c, &c->hits[k], lineno);
			else
				text_hit(w, &c->hits[k]);
		}
		i = j;
	}
	w->lineno += c->nlines;
	w->matched += c->nmatched;
	w->total_lines += c->nlines;
	w->total_matched += c->nmatched;
	return rc ? rc : (w->werr ? CG_EIO : 0);
}

void match_out_file_end(struct match_out *w, size_t file)
{
	if (w->o->count && w->o->nfiles > 1) {
		puts_(w, file_name(w, file));
		put(w, ":", 1);
		putu(w, w->matched);
		put(w, "\n", 1);
	}
	w->lineno = w->matched = 0;
}

static int by_lines(const void *a, const void *b)
{
	const struct addr_ent *x = a, *y = b;
	if (x->lines != y->lines)
		return x->lines > y->lines ? -1 : 1;
	return cg_ip_cmp(&x->ip, &y->ip);
}

/* The used entries of the address table, most lines first (compacted in place). */
static size_t sum_sorted(struct match_sum *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->cap; i++)
		if (s->t[i].used)
			s->t[n++] = s->t[i];
	if (n)
		qsort(s->t, n, sizeof(*s->t), by_lines);
	return n;
}

static void summary_text(struct match_out *w, size_t n, int64_t load_ms, int64_t scan_ms)
{
	const struct match_lists *L = w->L;
	char t[512], ip[CG_IP_STRLEN], ent[CG_IP_STRLEN];
	int k;
	k = snprintf(t, sizeof(t),
	             cg_tr("Dòng khớp: %llu / %llu dòng; %zu địa chỉ khác nhau; nạp danh sách %lld "
	                   "ms, quét %lld ms\n\nTheo danh sách:\n  %-32s %12s %12s\n",
	                   "Matching lines: %llu of %llu; %zu distinct addresses; lists loaded in "
	                   "%lld ms, scanned in %lld ms\n\nBy list:\n  %-32s %12s %12s\n"),
	             (unsigned long long)w->total_matched, (unsigned long long)w->total_lines, n,
	             (long long)load_ms, (long long)scan_ms, cg_tr("danh sách", "list"),
	             cg_tr("số dòng", "lines"), cg_tr("địa chỉ", "addresses"));
	put(w, t, (size_t)k < sizeof(t) ? (size_t)k : sizeof(t) - 1);
	for (size_t i = 0; i < L->nnames; i++) {
		k = snprintf(t, sizeof(t), "  %-32s %12llu %12llu\n", L->names[i],
		             (unsigned long long)w->sum->lists[i].lines,
		             (unsigned long long)w->sum->lists[i].addrs);
		put(w, t, (size_t)k < sizeof(t) ? (size_t)k : sizeof(t) - 1);
	}
	k = snprintf(
	    t, sizeof(t), "\n%s\n  %-40s %10s  %s\n",
	    cg_tr("Theo địa chỉ (nhiều dòng nhất trước):", "By address (most lines first):"),
	    cg_tr("địa chỉ", "address"), cg_tr("số dòng", "lines"),
	    cg_tr("danh sách (mục)", "list (entry)"));
	put(w, t, (size_t)k < sizeof(t) ? (size_t)k : sizeof(t) - 1);
	for (size_t i = 0; i < n; i++) {
		const struct addr_ent *a = &w->sum->t[i];
		cg_ip_format(&a->ip, ip, sizeof(ip));
		entry_text(&a->ip, a->plen, ent, sizeof(ent));
		k = snprintf(t, sizeof(t), "  %-40s %10llu  %s (%s)\n", ip,
		             (unsigned long long)a->lines, L->names[L->meta[a->payload].list], ent);
		put(w, t, (size_t)k < sizeof(t) ? (size_t)k : sizeof(t) - 1);
	}
}

/* "By unit": code, name, matching lines, distinct addresses, most lines first. */
static void summary_units_text(struct match_out *w)
{
	const struct match_unit_count *v;
	uint64_t none;
	size_t n = match_usum_sorted(w->usum, &v, &none);
	char t[1024];
	int k = snprintf(t, sizeof(t), "\n%s\n  %-16s %-40s %10s %10s\n",
	                 cg_tr("Theo đơn vị (giữ địa chỉ vào lúc ghi dòng, nhiều dòng nhất trước):",
	                       "By unit (holding the address when the line was written, most "
	                       "lines first):"),
	                 cg_tr("mã", "code"), cg_tr("tên", "name"), cg_tr("số dòng", "lines"),
	                 cg_tr("địa chỉ", "addresses"));
	put(w, t, (size_t)k < sizeof(t) ? (size_t)k : sizeof(t) - 1);
	for (size_t i = 0; i < n; i++) {
		k = snprintf(t, sizeof(t), "  %-16s %-40s %10llu %10llu\n", v[i].unit->code,
		             v[i].unit->name, (unsigned long long)v[i].lines,
		             (unsigned long long)v[i].addrs);
		put(w, t, (size_t)k < sizeof(t) ? (size_t)k : sizeof(t) - 1);
	}
	k = snprintf(t, sizeof(t),
	             cg_tr("  %llu dòng khớp không có địa chỉ nào của một đơn vị\n",
	                   "  %llu matching lines hold no address of a unit\n"),
	             (unsigned long long)none);
	put(w, t, (size_t)k < sizeof(t) ? (size_t)k : sizeof(t) - 1);
}

static void summary_units_json(struct match_out *w, json_t *o)
{
	const struct match_unit_count *v;
	uint64_t none;
	size_t n = match_usum_sorted(w->usum, &v, &none);
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s,s:s,s:I,s:I}", "code", v[i].unit->code,
		                                     "name", v[i].unit->name, "lines",
		                                     (json_int_t)v[i].lines, "addresses",
		                                     (json_int_t)v[i].addrs));
	json_object_set_new(o, "units", arr);
	json_object_set_new(o, "lines_without_unit", json_integer((json_int_t)none));
}

static void summary_json(struct match_out *w, size_t n, int64_t load_ms, int64_t scan_ms)
{
	const struct match_lists *L = w->L;
	struct cg_event e;
	json_t *o, *lists = json_array(), *addrs = json_array();
	char ip[CG_IP_STRLEN], ent[CG_IP_STRLEN], *txt;

	memset(&e, 0, sizeof(e));
	e.time_ms = cg_now_ms();
	e.kind = "match.summary";
	e.severity = CG_SEV_INFO;
	e.size = -1;
	e.host = cg_host_facts();
	o = cg_event_to_json(&e);
	for (size_t i = 0; i < L->nnames; i++)
		json_array_append_new(lists,
		                      json_pack("{s:s,s:I,s:I}", "list", L->names[i], "lines",
		                                (json_int_t)w->sum->lists[i].lines, "addresses",
		                                (json_int_t)w->sum->lists[i].addrs));
	for (size_t i = 0; i < n; i++) {
		const struct addr_ent *a = &w->sum->t[i];
		cg_ip_format(&a->ip, ip, sizeof(ip));
		entry_text(&a->ip, a->plen, ent, sizeof(ent));
		json_array_append_new(
		    addrs, json_pack("{s:s,s:I,s:s,s:s}", "ip", ip, "lines", (json_int_t)a->lines,
		                     "list", L->names[L->meta[a->payload].list], "entry", ent));
	}
	if (o) {
		json_object_set_new(o, "lines", json_integer((json_int_t)w->total_lines));
		json_object_set_new(o, "matched_lines", json_integer((json_int_t)w->total_matched));
		json_object_set_new(o, "load_ms", json_integer(load_ms));
		json_object_set_new(o, "duration_ms", json_integer(scan_ms));
		json_object_set_new(o, "lists", lists);
		json_object_set_new(o, "addresses", addrs);
		if (w->usum)
			summary_units_json(w, o);
		txt = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
		if (txt) {
			puts_(w, txt);
			put(w, "\n", 1);
		}
		free(txt);
		json_decref(o);
	} else {
		json_decref(lists);
		json_decref(addrs);
	}
}

int match_out_finish(struct match_out *w, int64_t load_ms, int64_t scan_ms)
{
	if (w->o->count && w->o->nfiles <= 1) {
		putu(w, w->total_matched);
		put(w, "\n", 1);
	}
	if (w->sum) {
		size_t n = sum_sorted(w->sum);
		if (w->o->json)
			summary_json(w, n, load_ms, scan_ms);
		else
			summary_text(w, n, load_ms, scan_ms);
		if (w->usum && !w->o->json)
			summary_units_text(w);
	}
	match_out_flush(w);
	return w->werr ? CG_EIO : 0;
}

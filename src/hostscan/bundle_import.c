/* bundle_import.c - building a bundle folder from ClamAV databases, IOC lists and YARA rules. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "canhgac/alloc.h"
#include "canhgac/bodysig.h"
#include "canhgac/bundle_import.h"
#include "canhgac/cvd.h"
#include "canhgac/digest.h"
#include "canhgac/hashsig.h"
#include "canhgac/limits.h"
#include "canhgac/manifest.h"
#include "canhgac/sys.h"
#include "canhgac/event.h"
#include "canhgac/fileio.h"
#include "canhgac/timeutil.h"
#include "canhgac/yarars.h"
#include "banned.h"

struct obuf {
	char *p;
	size_t n, cap;
};

struct importer {
	struct cg_import_report *rep;
	struct cg_diags *d;
	char tmpdir[4200];
	struct cg_manifest m;
	size_t mcap;
	const char *source;     /* current source, for reasons */
	struct cg_yarars *yara; /* every YARA source so far, compiled at the end */
};

static int obuf_put(struct obuf *o, const char *p, size_t n)
{
	int rc = cg_grow((void **)&o->p, &o->cap, o->n + n + 1, 1, CG_MAX_SIGFILE);
	if (rc)
		return rc;
	memcpy(o->p + o->n, p, n);
	o->n += n;
	o->p[o->n] = '\0';
	return CG_OK;
}

static void count_reason(struct importer *im, const char *what, size_t n)
{
	struct cg_import_report *r = im->rep;
	for (size_t i = 0; i < r->nskipped; i++)
		if (strcmp(r->skipped[i].what, what) == 0) {
			r->skipped[i].n += n;
			return;
		}
	if (r->nskipped >= CG_IMPORT_MAX_REASONS) {
		r->skipped_other += n;
		return;
	}
	snprintf(r->skipped[r->nskipped].what, sizeof(r->skipped[0].what), "%s", what);
	r->skipped[r->nskipped++].n = n;
}

/* The reason of a rejected line without its numbers, so that lines group by kind of problem. */
static void reason_class(const struct cg_diags *dl, const char *kind, char *out, size_t cap)
{
	const char *m = dl->n ? dl->v[0].msg_en : "rejected";
	size_t k = 0;
	int n = snprintf(out, cap, "%s: ", kind);
	k = n > 0 ? (size_t)n : 0;
	for (; *m && k + 1 < cap && !isdigit((unsigned char)*m); m++)
		out[k++] = *m;
	while (k > 0 && (out[k - 1] == ' ' || out[k - 1] == ':' || out[k - 1] == '('))
		k--;
	out[k] = '\0';
}

/* Keeps the lines that parse; kind is "hash" or "ndb". Returns kept count via *kept. */
static int filter_lines(struct importer *im, const char *kind, const uint8_t *buf, size_t len,
                        struct obuf *o, size_t *kept)
{
	struct cg_hashsig *hs = NULL;
	struct cg_bodysig_set *bs = NULL;
	size_t pos = 0, nlines = 0;
	int rc = CG_OK;

	*kept = 0;
	while (pos < len && rc == 0) {
		const char *line = (const char *)buf + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - line) : len - pos;
		struct cg_diags dl = CG_DIAGS_INIT;
		size_t ok = 0, bad = 0;
		pos += ll + (nl ? 1 : 0);
		while (ll && (line[ll - 1] == '\r' || line[ll - 1] == ' '))
			ll--;
		if (ll == 0 || line[0] == '#')
			continue;
		/* a fresh set every so often keeps memory bounded on multi-million-line files */
		if (nlines++ % 65536 == 0) {
			cg_hashsig_free(hs);
			cg_bodysig_set_free(bs);
			hs = NULL;
			bs = NULL;
			rc = kind[0] == 'h' ? ((hs = cg_hashsig_new()) ? CG_OK : CG_ENOMEM)
			                    : cg_bodysig_set_new(&bs);
			if (rc)
				break;
		}
		if (hs) {
			struct cg_hashsig_stats st;
			rc = cg_hashsig_parse_clamav(hs, line, ll, im->source, &st, &dl);
			ok = st.ok;
		} else {
			rc = cg_bodysig_add_ndb(bs, line, ll, im->source, &dl, &ok, &bad);
		}
		if (rc == 0 && ok == 1) {
			rc = obuf_put(o, line, ll);
			if (rc == 0)
				rc = obuf_put(o, "\n", 1);
			(*kept)++;
		} else if (rc == 0) {
			char why[128];
			reason_class(&dl, kind, why, sizeof(why));
			count_reason(im, why, 1);
		}
		cg_diags_clear(&dl);
	}
	cg_hashsig_free(hs);
	cg_bodysig_set_free(bs);
	return rc;
}

static int add_output(struct importer *im, const char *fname, enum cg_bundle_kind kind,
                      const void *buf, size_t len, size_t count)
{
	struct cg_manifest_file *f;
	struct cg_digest_result r;
	char path[4400], name[256];
	int rc, n = 0;

	/* unique, plain file names inside the bundle */
	snprintf(name, sizeof(name), "%s", fname);
	for (char *c = name; *c; c++)
		if (*c == '/' || *c == '\\' || *c == ':' || (unsigned char)*c < 0x20)
			*c = '_';
	while (cg_manifest_find(&im->m, name) || !cg_manifest_path_ok(name))
		snprintf(name, sizeof(name), "%d-%.200s", ++n, fname[0] ? fname : "file");
	if (snprintf(path, sizeof(path), "%s/%s", im->tmpdir, name) >= (int)sizeof(path))
		return CG_ELIMIT;
	rc = cg_write_file_atomic(path, buf, len, 0644);
	if (rc == 0)
		rc = cg_grow((void **)&im->m.files, &im->mcap, im->m.nfiles + 1,
		             sizeof(*im->m.files), CG_MAX_BUNDLE_FILES);
	if (rc == 0)
		rc = cg_digest_buf(CG_HASH_SHA256, buf, len, &r);
	if (rc)
		return rc;
	f = &im->m.files[im->m.nfiles];
	memset(f, 0, sizeof(*f));
	f->path = cg_strdup(name);
	if (!f->path)
		return CG_ENOMEM;
	im->m.nfiles++;
	memcpy(f->sha256, r.sha256, 32);
	f->size = len;
	f->kind = kind;
	f->count = count;
	im->rep->files++;
	return CG_OK;
}

static const char *ext_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	const char *slash = strrchr(name, '/');
	return dot && (!slash || dot > slash) ? dot + 1 : "";
}

static int ext_is(const char *ext, const char *want)
{
	return strcasecmp(ext, want) == 0;
}

/* One ClamAV database (a file, or a member of a .cvd). */
static int import_clamav_db(struct importer *im, const char *label, const char *ext,
                            const uint8_t *buf, size_t len)
{
	struct obuf o = {NULL, 0, 0};
	size_t kept = 0;
	int rc, body = ext_is(ext, "ndb") || ext_is(ext, "ndu");

	rc = filter_lines(im, body ? "ndb" : "hash", buf, len, &o, &kept);
	if (rc == 0 && kept) {
		enum cg_bundle_kind k = body                 ? CG_KIND_NDB
		                        : ext_is(ext, "hsb") ? CG_KIND_HSB
		                        : ext_is(ext, "hdu") ? CG_KIND_HDU
		                        : ext_is(ext, "hsu") ? CG_KIND_HSU
		                                             : CG_KIND_HDB;
		rc = add_output(im, label, k, o.p, o.n, kept);
		if (body)
			im->rep->body += kept;
		else
			im->rep->hashes += kept;
	}
	cg_free(o.p);
	return rc;
}

static size_t count_lines(const uint8_t *buf, size_t len)
{
	size_t n = 0;
	int at_start = 1;
	for (size_t i = 0; i < len; i++) {
		if (at_start && buf[i] != '\n' && buf[i] != '#')
			n++;
		at_start = buf[i] == '\n';
	}
	return n;
}

static const char *skip_label(const char *ext)
{
	static const struct {
		const char *ext, *what;
	} t[] = {{"ldb", "logical signatures"},
	         {"ldu", "logical signatures"},
	         {"cdb", "container metadata"},
	         {"mdb", "PE section hashes"},
	         {"msb", "PE section hashes"},
	         {"mdu", "PE section hashes"},
	         {"msu", "PE section hashes"},
	         {"imp", "PE import table hashes"},
	         {"fp", "allow-list (false positives)"},
	         {"sfp", "allow-list (false positives)"},
	         {"ign", "ignore list"},
	         {"ign2", "ignore list"},
	         {"idb", "icon signatures"},
	         {"ftm", "file type magic"},
	         {"pdb", "phishing URLs"},
	         {"gdb", "phishing URLs"},
	         {"wdb", "phishing URLs"},
	         {"crb", "certificate trust"},
	         {"cbc", "bytecode"},
	         {"hdb", "MD5 hashes"}};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (ext_is(ext, t[i].ext))
			return t[i].what;
	return "other";
}

struct cvd_ctx {
	struct importer *im;
	const char *base;
};

static int on_member(void *arg, const char *name, const uint8_t *data, size_t len)
{
	struct cvd_ctx *c = arg;
	const char *ext = ext_of(name);
	char label[400];
	snprintf(label, sizeof(label), "%s-%s", c->base, name);
	if (ext_is(ext, "hdb") || ext_is(ext, "hsb") || ext_is(ext, "hdu") || ext_is(ext, "hsu") ||
	    ext_is(ext, "ndb") || ext_is(ext, "ndu"))
		return import_clamav_db(c->im, label, ext, data, len);
	if (ext_is(ext, "info") || ext_is(ext, "cfg") || ext_is(ext, "db") || ext_is(ext, "txt"))
		return 0; /* container metadata, not signatures */
	{
		char why[160];
		snprintf(why, sizeof(why), "%s: .%s (%s)", c->base, ext, skip_label(ext));
		count_reason(c->im, why, count_lines(data, len));
	}
	return 0;
}

/* Rules declared in a YARA source, counted lexically (comments and strings skipped), for the
 * manifest: rules of several files are compiled together, so libyara cannot count per file. */
static size_t count_yara_rules(const char *p, size_t n)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '/' && i + 1 < n && p[i + 1] == '/') {
			while (i < n && p[i] != '\n')
				i++;
		} else if (p[i] == '/' && i + 1 < n && p[i + 1] == '*') {
			for (i += 2; i + 1 < n && !(p[i] == '*' && p[i + 1] == '/'); i++)
				;
			i++;
		} else if (p[i] == '"') {
			for (i++; i < n && p[i] != '"'; i++)
				if (p[i] == '\\')
					i++;
		} else if (p[i] == '{') {
			/* skip a rule body: strings may hold the word "rule" */
			int depth = 1;
			for (i++; i < n && depth; i++) {
				if (p[i] == '"')
					for (i++; i < n && p[i] != '"'; i++)
						if (p[i] == '\\')
							i++;
				depth += p[i] == '{' ? 1 : p[i] == '}' ? -1 : 0;
			}
			i--;
		} else if (n - i > 5 && memcmp(p + i, "rule", 4) == 0 &&
		           (i == 0 || isspace((unsigned char)p[i - 1])) &&
		           isspace((unsigned char)p[i + 4])) {
			count++;
			i += 4;
		}
	}
	return count;
}

/* YARA files are kept in order and compiled together at the end (a file may use private rules
 * of an earlier one, as rule collections do). */
static int import_yara(struct importer *im, const char *base, const uint8_t *buf, size_t len)
{
	int rc = CG_OK;
	if (!im->yara)
		rc = cg_yarars_new(&im->yara);
	if (rc == 0)
		rc = cg_yarars_add_source(im->yara, (const char *)buf, len, im->source, im->d);
	if (rc == 0)
		rc = add_output(im, base, CG_KIND_YARA, buf, len,
		                count_yara_rules((const char *)buf, len));
	if (rc == 0)
		im->rep->yara++;
	return rc;
}

/* The header of a CSV export: leading comment lines up to and including the header row (which
 * MalwareBazaar writes as a comment holding quoted, comma-separated names). */
static size_t csv_header_len(const uint8_t *buf, size_t len)
{
	size_t pos = 0;
	while (pos < len) {
		const char *line = (const char *)buf + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - line) : len - pos;
		int comment = ll && line[0] == '#';
		pos += ll + (nl ? 1 : 0);
		if (!comment || (memchr(line, ',', ll) && memchr(line, '"', ll)))
			return pos;
	}
	return pos;
}

/* Keeps the header and every row that yields a hash on its own, so the bundle loads whole. */
static int csv_good_rows(struct importer *im, struct cg_hashsig *hs, const uint8_t *buf, size_t len,
                         struct obuf *o)
{
	size_t hlen = csv_header_len(buf, len), pos = hlen;
	char *one = NULL;
	int rc = obuf_put(o, (const char *)buf, hlen);
	while (rc == 0 && pos < len) {
		const char *line = (const char *)buf + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - line) : len - pos;
		struct cg_hashsig_stats s1;
		pos += ll + (nl ? 1 : 0);
		if (ll > CG_MAX_LINE)
			continue;
		one = cg_realloc(one, hlen + ll + 1);
		if (!one) {
			rc = CG_ENOMEM;
			break;
		}
		memcpy(one, buf, hlen);
		memcpy(one + hlen, line, ll);
		if (cg_hashsig_parse_csv(hs, one, hlen + ll, im->source, NULL, &s1, NULL) == 0 &&
		    s1.ok == 1 && s1.bad == 0) {
			rc = obuf_put(o, line, ll);
			if (rc == 0)
				rc = obuf_put(o, "\n", 1);
		}
	}
	cg_free(one);
	return rc;
}

static int import_list(struct importer *im, const char *base, const char *ext, const uint8_t *buf,
                       size_t len)
{
	struct cg_hashsig *hs = cg_hashsig_new();
	struct cg_hashsig_stats st = {0, 0, 0};
	struct cg_diags dl = CG_DIAGS_INIT;
	int csv = ext_is(ext, "csv");
	int rc = hs ? CG_OK : CG_ENOMEM;
	if (rc == 0)
		rc = csv ? cg_hashsig_parse_csv(hs, (const char *)buf, len, im->source, NULL, &st,
		                                &dl)
		         : cg_hashsig_parse_plain(hs, (const char *)buf, len, im->source, NULL, &st,
		                                  &dl);
	if (rc == 0 && st.bad) {
		/* a list with bad lines is written with only its good lines */
		struct obuf o = {NULL, 0, 0};
		char why[128];
		reason_class(&dl, csv ? "csv" : "list", why, sizeof(why));
		count_reason(im, why, st.bad);
		if (csv) {
			rc = csv_good_rows(im, hs, buf, len, &o);
			if (rc == 0)
				rc = add_output(im, base, CG_KIND_CSV, o.p, o.n, st.ok);
		} else {
			size_t pos = 0;
			while (pos < len && rc == 0) {
				const char *line = (const char *)buf + pos;
				const char *nl = memchr(line, '\n', len - pos);
				size_t ll = nl ? (size_t)(nl - line) : len - pos;
				struct cg_hashsig_stats s1;
				pos += ll + (nl ? 1 : 0);
				if (cg_hashsig_parse_plain(hs, line, ll, im->source, NULL, &s1,
				                           NULL) == 0 &&
				    s1.ok == 1) {
					rc = obuf_put(&o, line, ll);
					if (rc == 0)
						rc = obuf_put(&o, "\n", 1);
				}
			}
			if (rc == 0)
				rc = add_output(im, base, CG_KIND_HASHLIST, o.p, o.n, st.ok);
		}
		cg_free(o.p);
	} else if (rc == 0 && st.ok) {
		rc = add_output(im, base, csv ? CG_KIND_CSV : CG_KIND_HASHLIST, buf, len, st.ok);
	} else if (rc == 0) {
		rc = cg_diags_add(im->d, CG_EPARSE, im->source, 0, 0,
		                  CG_MSG("không có mã băm nào dùng được", "no usable hash found"));
	}
	im->rep->hashes += st.entries;
	cg_diags_clear(&dl);
	cg_hashsig_free(hs);
	return rc;
}

static int import_one(struct importer *im, const char *src)
{
	const char *base = strrchr(src, '/') ? strrchr(src, '/') + 1 : src;
	const char *ext = ext_of(base);
	int cvd = ext_is(ext, "cvd"), cld = ext_is(ext, "cld");
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc = cg_read_file(src, cvd || cld ? CG_MAX_CVD : CG_MAX_SIGFILE, &buf, &len);

	im->source = src;
	if (rc)
		return cg_diags_add(im->d, rc, src, 0, 0,
		                    CG_MSG("không đọc được: %s", "cannot read: %s"),
		                    cg_strerror(rc));
	if (cvd || cld) {
		struct cvd_ctx c = {im, base};
		rc = cg_cvd_foreach(buf, len, cvd ? CG_CVD_CVD : CG_CVD_CLD, src, NULL, on_member,
		                    &c, im->d);
	} else if (ext_is(ext, "hdb") || ext_is(ext, "hsb") || ext_is(ext, "hdu") ||
	           ext_is(ext, "hsu") || ext_is(ext, "ndb") || ext_is(ext, "ndu")) {
		rc = import_clamav_db(im, base, ext, buf, len);
	} else if (ext_is(ext, "yar") || ext_is(ext, "yara")) {
		rc = import_yara(im, base, buf, len);
	} else if (cg_hashsig_clamav_ext(ext) == CG_EUNSUPP || ext_is(ext, "ldb") ||
	           ext_is(ext, "cdb") || ext_is(ext, "fp") || ext_is(ext, "ign2")) {
		char why[160];
		snprintf(why, sizeof(why), "%s: .%s (%s)", base, ext, skip_label(ext));
		count_reason(im, why, count_lines(buf, len));
	} else {
		rc = import_list(im, base, ext, buf, len);
	}
	cg_free(buf);
	return rc;
}

/* Moves the finished folder into place; an existing bundle is replaced, anything else refused. */
static int put_in_place(const char *tmp, const char *out, struct cg_diags *d)
{
	int rc = cg_dir_replace(tmp, out, "manifest.json");
	if (rc == CG_EEXIST)
		cg_diags_add(d, rc, out, 0, 0,
		             CG_MSG("đã tồn tại và không phải bộ mẫu: không ghi đè",
		                    "exists and is not a bundle: not overwritten"));
	return rc;
}

int cg_bundle_import(const char *const *sources, size_t n, const char *out, const char *name,
                     const char *version, struct cg_import_report *rep, struct cg_diags *d)
{
	struct importer im;
	char ver[64], created[32], *json = NULL, path[4400];
	size_t jlen = 0;
	int rc = CG_OK;
	int64_t now = cg_now_ms();

	memset(&im, 0, sizeof(im));
	memset(rep, 0, sizeof(*rep));
	im.rep = rep;
	im.d = d;
	if (snprintf(im.tmpdir, sizeof(im.tmpdir), "%s.tmp.%ld", out, cg_process_id()) >=
	    (int)sizeof(im.tmpdir))
		return CG_ELIMIT;
	cg_dir_remove_flat(im.tmpdir);
	rc = cg_dir_make(im.tmpdir, 0755);
	if (rc)
		return cg_diags_add(
		    d, rc, im.tmpdir, 0, 0,
		    CG_MSG("không tạo được thư mục: %s", "cannot create folder: %s"),
		    cg_strerror(rc));
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = import_one(&im, sources[i]);
	if (rc == 0 && im.yara) {
		rc = cg_yarars_compile(im.yara);
		if (rc)
			cg_diags_add(
			    d, rc, out, 0, 0,
			    CG_MSG("luật YARA không biên dịch được", "YARA rules do not compile"));
	}
	cg_yarars_free(im.yara);
	im.yara = NULL;
	if (rc == 0 && im.m.nfiles == 0)
		rc = cg_diags_add(d, CG_EPARSE, out, 0, 0,
		                  CG_MSG("không có mẫu nào để đưa vào bộ mẫu",
		                         "no signature to put into the bundle"));
	if (rc == 0) {
		cg_time_iso8601_ms(created, now);
		/* YYYY.MM.DD.HHMMSS from YYYY-MM-DDTHH:MM:SS.mmmZ */
		snprintf(ver, sizeof(ver), "%.4s.%.2s.%.2s.%.2s%.2s%.2s", created, created + 5,
		         created + 8, created + 11, created + 14, created + 17);
		im.m.format = CG_MANIFEST_FORMAT;
		im.m.name = (char *)(name ? name : "imported");
		im.m.version = (char *)(version ? version : ver);
		im.m.created = created;
		im.m.expires = INT64_MIN;
		rc = cg_manifest_to_json(&im.m, &json, &jlen);
	}
	if (rc == 0)
		rc = snprintf(path, sizeof(path), "%s/manifest.json", im.tmpdir) < (int)sizeof(path)
		         ? cg_write_file_atomic(path, json, jlen, 0644)
		         : CG_ELIMIT;
	if (rc == 0)
		rc = put_in_place(im.tmpdir, out, d);
	if (rc)
		cg_dir_remove_flat(im.tmpdir);
	cg_free(json);
	for (size_t i = 0; i < im.m.nfiles; i++)
		cg_free(im.m.files[i].path);
	cg_free(im.m.files);
	return rc;
}

/* bundle.c - loading a signature bundle folder: manifest, signature, integrity, parsers. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "canhgac/alloc.h"
#include "canhgac/bodysig.h"
#include "canhgac/bundle.h"
#include "canhgac/digest.h"
#include "canhgac/hashsig.h"
#include "canhgac/limits.h"
#include "canhgac/manifest.h"
#include "canhgac/sys.h"
#include "canhgac/yarars.h"
#include "banned.h"

/* Raw YARA sources kept until cg_bundle_prepare compiles them. */
struct yara_src {
	char *path;
	uint8_t *buf;
	size_t len;
};

struct bundle_priv {
	struct cg_bundle pub;
	struct yara_src *yara;
	size_t nyara, yara_cap;
};

static int join(char *out, size_t cap, const char *dir, const char *name)
{
	int n = snprintf(out, cap, "%s/%s", dir, name);
	return n < 0 || (size_t)n >= cap ? CG_ELIMIT : CG_OK;
}

/* Folds "path kind sha256" of each file of a class into a version string (hex SHA-256). */
static int version_of(const struct cg_manifest *m, int body, char out[72])
{
	struct cg_digest *d = NULL;
	struct cg_digest_result r;
	int any = 0, rc = cg_digest_new(&d);
	if (rc == 0)
		rc = cg_digest_begin(d, CG_HASH_SHA256);
	for (size_t i = 0; rc == 0 && i < m->nfiles; i++) {
		const struct cg_manifest_file *f = &m->files[i];
		int is_body = f->kind == CG_KIND_NDB || f->kind == CG_KIND_YARA;
		if (is_body != body)
			continue;
		any = 1;
		cg_digest_update(d, f->path, strlen(f->path) + 1);
		cg_digest_update(d, cg_bundle_kind_name(f->kind), 4);
		cg_digest_update(d, f->sha256, 32);
	}
	if (rc == 0)
		rc = cg_digest_end(d, &r);
	cg_digest_free(d);
	if (rc == 0 && !any)
		snprintf(out, 72, "none");
	else if (rc == 0)
		cg_hex_encode(r.sha256, 32, out, 72);
	return rc;
}

static int check_signature(struct cg_bundle *b, const struct cg_bundle_opts *o, const uint8_t *man,
                           size_t mlen, struct cg_diags *d)
{
	char path[4200];
	uint8_t *sig = NULL;
	size_t slen = 0;
	int rc = join(path, sizeof(path), b->dir, "manifest.json.sig");
	if (rc == 0)
		rc = cg_read_file(path, 4096, &sig, &slen);
	if (rc == CG_ENOENT)
		return CG_OK; /* unsigned bundle */
	if (rc)
		return cg_diags_add(d, rc, path, 0, 0,
		                    CG_MSG("không đọc được: %s", "cannot read: %s"),
		                    cg_strerror(rc));
	rc = CG_EBADSIG;
	if (o->n_trust_keys == 0)
		cg_diags_add(d, rc, path, 0, 0,
		             CG_MSG("bộ mẫu có chữ ký nhưng chưa có khóa tin cậy nào: dùng "
		                    "--trust-key KHÓA_CÔNG_KHAI",
		                    "the bundle is signed but no trusted key was given: use "
		                    "--trust-key PUBLIC_KEY"));
	for (size_t i = 0; i < o->n_trust_keys && rc; i++) {
		uint8_t *key = NULL;
		size_t klen = 0;
		int kr = cg_read_file(o->trust_keys[i], 16384, &key, &klen);
		if (kr == 0)
			kr = cg_manifest_verify(man, mlen, sig, slen, key, klen);
		if (kr == 0)
			rc = CG_OK;
		else if (kr != CG_EBADSIG)
			cg_diags_add(d, kr, o->trust_keys[i], 0, 0,
			             CG_MSG("không dùng được khóa: %s", "unusable key: %s"),
			             cg_strerror(kr));
		cg_free(key);
	}
	if (rc && o->n_trust_keys)
		cg_diags_add(
		    d, rc, path, 0, 0,
		    CG_MSG("chữ ký của manifest.json không khớp khóa tin cậy nào",
		           "the signature of manifest.json does not verify with any trusted "
		           "key"));
	b->signed_ok = rc == 0;
	cg_free(sig);
	return rc;
}

static int check_file(const char *path, const struct cg_manifest_file *f, const uint8_t *buf,
                      size_t len, struct cg_diags *d)
{
	struct cg_digest_result r;
	int rc;
	if ((uint64_t)len != f->size)
		return cg_diags_add(
		    d, CG_EBADSIG, path, 0, 0,
		    CG_MSG("kích thước %zu khác với manifest (%llu): tệp đã bị sửa",
		           "size %zu differs from the manifest (%llu): the file was "
		           "changed"),
		    len, (unsigned long long)f->size);
	rc = cg_digest_buf(CG_HASH_SHA256, buf, len, &r);
	if (rc == 0 && memcmp(r.sha256, f->sha256, 32) != 0)
		rc = cg_diags_add(
		    d, CG_EBADSIG, path, 0, 0,
		    CG_MSG("SHA-256 khác với manifest.json: tệp đã bị sửa",
		           "SHA-256 differs from manifest.json: the file was changed"));
	return rc;
}

/* Parses one file into the bundle; counts accepted and rejected signatures. */
static int load_file(struct bundle_priv *p, const struct cg_manifest_file *f, const char *path,
                     uint8_t *buf, size_t len, struct cg_bundle_file *bf, struct cg_diags *d)
{
	struct cg_bundle *b = &p->pub;
	struct cg_hashsig_stats st = {0, 0, 0};
	size_t ok = 0, bad = 0;
	int rc = CG_OK;

	switch (f->kind) {
	case CG_KIND_HDB:
	case CG_KIND_HSB:
	case CG_KIND_HDU:
	case CG_KIND_HSU:
		rc = cg_hashsig_parse_clamav(b->hashes, (const char *)buf, len, path, &st, d);
		ok = st.ok, bad = st.bad;
		break;
	case CG_KIND_HASHLIST:
		rc = cg_hashsig_parse_plain(b->hashes, (const char *)buf, len, path, NULL, &st, d);
		ok = st.ok, bad = st.bad;
		break;
	case CG_KIND_CSV:
		rc = cg_hashsig_parse_csv(b->hashes, (const char *)buf, len, path, NULL, &st, d);
		ok = st.ok, bad = st.bad;
		break;
	case CG_KIND_NDB:
		b->has_body = 1;
		if (!b->body)
			rc = cg_bodysig_set_new(&b->body);
		if (rc == 0)
			rc =
			    cg_bodysig_add_ndb(b->body, (const char *)buf, len, path, d, &ok, &bad);
		break;
	case CG_KIND_YARA: {
		struct yara_src *y;
		b->has_yara = 1;
		rc = cg_grow((void **)&p->yara, &p->yara_cap, p->nyara + 1, sizeof(*p->yara),
		             CG_MAX_BUNDLE_FILES);
		if (rc)
			break;
		y = &p->yara[p->nyara++];
		y->path = cg_strdup(path);
		y->buf = buf;
		y->len = len;
		bf->count = f->count ? f->count : 1; /* checked when compiled */
		b->n_yara += bf->count;
		return y->path ? CG_OK : CG_ENOMEM; /* buf is kept */
	}
	default:
		rc = CG_EUNSUPP;
	}
	bf->count = ok;
	bf->rejected = bad;
	if (rc == 0 && f->count && f->count != ok && !bad)
		cg_diags_add(d, CG_EPARTIAL, path, 0, 0,
		             CG_MSG("manifest ghi %llu mẫu nhưng nạp được %zu",
		                    "the manifest lists %llu signatures but %zu loaded"),
		             (unsigned long long)f->count, ok);
	if (rc == 0 && (bad || (f->count && f->count != ok)))
		rc = CG_EPARTIAL;
	cg_free(buf);
	return rc;
}

static int load_files(struct bundle_priv *p, const struct cg_manifest *m,
                      const struct cg_bundle_opts *o, struct cg_diags *d)
{
	struct cg_bundle *b = &p->pub;
	int partial = 0;

	b->files = cg_calloc(m->nfiles ? m->nfiles : 1, sizeof(*b->files));
	if (!b->files)
		return CG_ENOMEM;
	for (size_t i = 0; i < m->nfiles; i++) {
		const struct cg_manifest_file *f = &m->files[i];
		struct cg_bundle_file *bf = &b->files[b->nfiles++];
		char path[4200];
		uint8_t *buf = NULL;
		size_t len = 0;
		int rc = join(path, sizeof(path), b->dir, f->path);
		bf->path = cg_strdup(f->path);
		bf->kind = cg_strdup(cg_bundle_kind_name(f->kind));
		if (!bf->path || !bf->kind)
			return CG_ENOMEM;
		if (rc == 0)
			rc = cg_read_file(path, CG_MAX_SIGFILE, &buf, &len);
		if (rc) {
			cg_diags_add(d, rc, path, 0, 0,
			             CG_MSG("không đọc được: %s", "cannot read: %s"),
			             cg_strerror(rc));
			return rc;
		}
		rc = check_file(path, f, buf, len, d);
		if (rc) {
			cg_free(buf);
			return rc;
		}
		rc = load_file(p, f, path, buf, len, bf, d);
		if (rc == CG_EPARTIAL)
			partial = 1;
		else if (rc)
			return rc;
	}
	return partial && !o->allow_partial ? CG_EPARTIAL : CG_OK;
}

int cg_bundle_load(const char *dir, const struct cg_bundle_opts *o, struct cg_bundle **out,
                   struct cg_diags *d)
{
	struct bundle_priv *p = cg_calloc(1, sizeof(*p));
	struct cg_manifest *m = NULL;
	struct cg_bundle *b;
	uint8_t *man = NULL;
	size_t mlen = 0;
	char path[4200];
	int rc;

	if (!p)
		return CG_ENOMEM;
	b = &p->pub;
	path[0] = '\0';
	b->backend = o->backend;
	b->expires = INT64_MIN;
	b->dir = cg_strdup(dir);
	b->cache_dir = o->cache_dir ? cg_strdup(o->cache_dir) : NULL;
	b->allow_partial = o->allow_partial;
	b->hashes = cg_hashsig_new();
	rc = b->dir && b->hashes && (!o->cache_dir || b->cache_dir) ? CG_OK : CG_ENOMEM;
	if (rc == 0 && o->n_trust_keys) {
		b->trust_keys = cg_calloc(o->n_trust_keys, sizeof(char *));
		rc = b->trust_keys ? CG_OK : CG_ENOMEM;
		for (size_t i = 0; rc == 0 && i < o->n_trust_keys; i++, b->n_trust_keys++)
			if (!(b->trust_keys[i] = cg_strdup(o->trust_keys[i])))
				rc = CG_ENOMEM;
	}
	if (rc == 0)
		rc = join(path, sizeof(path), dir, "manifest.json");
	if (rc == 0)
		rc = cg_read_file(path, CG_MAX_MANIFEST, &man, &mlen);
	if (rc) {
		cg_diags_add(d, rc, path, 0, 0,
		             CG_MSG("không đọc được manifest của bộ mẫu: %s",
		                    "cannot read the bundle's manifest: %s"),
		             cg_strerror(rc));
		goto out;
	}
	rc = cg_manifest_parse((const char *)man, mlen, path, &m, d);
	if (rc == 0)
		rc = check_signature(b, o, man, mlen, d);
	if (rc)
		goto out;
	b->name = cg_strdup(m->name);
	b->version = cg_strdup(m->version);
	b->created = m->created ? cg_strdup(m->created) : NULL;
	b->expires = m->expires;
	rc = b->name && b->version ? CG_OK : CG_ENOMEM;
	if (rc == 0)
		rc = version_of(m, 0, b->hash_version);
	if (rc == 0)
		rc = version_of(m, 1, b->body_version);
	if (rc == 0)
		rc = load_files(p, m, o, d);
	if (rc == 0)
		rc = cg_hashsig_finish(b->hashes);
	if (rc == 0 && b->body)
		b->n_body = cg_bodysig_count(b->body);
out:
	cg_free(man);
	cg_manifest_free(m);
	if (rc) {
		cg_bundle_free(b);
		return rc;
	}
	*out = b;
	return CG_OK;
}

static int compile_yara(struct cg_bundle *b, struct bundle_priv *p, struct cg_diags *d)
{
	int rc = cg_yarars_new(&b->yara);
	for (size_t i = 0; rc == 0 && i < p->nyara; i++)
		rc = cg_yarars_add_source(b->yara, (const char *)p->yara[i].buf, p->yara[i].len,
		                          p->yara[i].path, d);
	if (rc == 0)
		rc = cg_yarars_compile(b->yara);
	return rc;
}

/* Compiled rules are kept in the cache folder under the version of the bundle's body files and
 * of libyara: a host compiles a bundle's rules once. */
static int prepare_yara(struct cg_bundle *b, struct bundle_priv *p, struct cg_diags *d)
{
	char path[4400];
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc, cached = b->cache_dir &&
	                 snprintf(path, sizeof(path), "%s/yara-%s-%s.bin", b->cache_dir,
	                          b->body_version, cg_yara_version()) < (int)sizeof(path);

	if (cached && cg_read_file(path, CG_MAX_YARA_CACHE, &buf, &len) == 0 &&
	    cg_yarars_load(buf, len, &b->yara) == 0) {
		cg_free(buf);
		b->n_yara = cg_yarars_count(b->yara);
		return CG_OK;
	}
	cg_free(buf);
	buf = NULL;
	rc = compile_yara(b, p, d);
	if (rc)
		return rc;
	b->n_yara = cg_yarars_count(b->yara);
	if (cached && cg_mkdir_p(b->cache_dir, 0700) == 0 &&
	    cg_yarars_save(b->yara, &buf, &len) == 0)
		cg_write_file_atomic(path, buf, len,
		                     0600); /* a failed cache write costs a compile */
	cg_free(buf);
	return CG_OK;
}

int cg_bundle_prepare(struct cg_bundle *b, struct cg_diags *d)
{
	struct bundle_priv *p = (struct bundle_priv *)b;
	int rc = CG_OK;
	if (b->prepared)
		return CG_OK;
	if (b->body) {
		enum cg_bodysig_backend be =
		    b->backend == CG_BUNDLE_BE_HYPERSCAN  ? CG_BODYSIG_HYPERSCAN
		    : b->backend == CG_BUNDLE_BE_PORTABLE ? CG_BODYSIG_PORTABLE
		                                          : CG_BODYSIG_AUTO;
		rc = cg_bodysig_compile(b->body, be, d);
		if (rc)
			return rc;
		b->backend = cg_bodysig_backend(b->body) == CG_BODYSIG_HYPERSCAN
		                 ? CG_BUNDLE_BE_HYPERSCAN
		                 : CG_BUNDLE_BE_PORTABLE;
	}
	if (p->nyara) {
		rc = prepare_yara(b, p, d);
		if (rc)
			return rc;
	}
	b->prepared = 1;
	return CG_OK;
}

void cg_bundle_free(struct cg_bundle *b)
{
	struct bundle_priv *p = (struct bundle_priv *)b;
	if (!b)
		return;
	for (size_t i = 0; i < p->nyara; i++) {
		cg_free(p->yara[i].path);
		cg_free(p->yara[i].buf);
	}
	cg_free(p->yara);
	for (size_t i = 0; i < b->nfiles; i++) {
		cg_free(b->files[i].path);
		cg_free(b->files[i].kind);
	}
	cg_free(b->files);
	cg_hashsig_free(b->hashes);
	cg_bodysig_set_free(b->body);
	cg_yarars_free(b->yara);
	cg_free(b->dir);
	cg_free(b->cache_dir);
	for (size_t i = 0; i < b->n_trust_keys; i++)
		cg_free(b->trust_keys[i]);
	cg_free(b->trust_keys);
	cg_free(b->name);
	cg_free(b->version);
	cg_free(b->created);
	cg_free(p);
}

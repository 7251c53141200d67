/* bundle_sign.c - `canhgac bundle keygen` and `canhgac bundle sign` (Linux only). */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "canhgac/alloc.h"
#include "canhgac/bundle_sign.h"
#include "canhgac/digest.h"
#include "canhgac/limits.h"
#include "canhgac/manifest.h"
#include "canhgac/sys.h"
#include "cli.h"
#include "banned.h"

static int exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

int cg_cli_bundle_keygen(const char *prefix)
{
	char kpath[4096], ppath[4096], *priv = NULL, *pub = NULL;
	size_t privlen = 0, publen = 0;
	int rc;

	if (!prefix || !*prefix ||
	    snprintf(kpath, sizeof(kpath), "%s.key", prefix) >= (int)sizeof(kpath) ||
	    snprintf(ppath, sizeof(ppath), "%s.pub", prefix) >= (int)sizeof(ppath)) {
		cg_cli_err("%s", cg_tr("bundle keygen: cần --out PREFIX",
		                       "bundle keygen: needs --out PREFIX"));
		return CG_EXIT_ERROR;
	}
	if (exists(kpath) || exists(ppath)) {
		cg_cli_err(cg_tr("bundle keygen: %s hoặc %s đã có, không ghi đè",
		                 "bundle keygen: %s or %s already exists, not overwriting"),
		           kpath, ppath);
		return CG_EXIT_ERROR;
	}
	rc = cg_bundle_keygen(&priv, &privlen, &pub, &publen);
	if (rc == 0)
		rc = cg_write_file_atomic(kpath, priv, privlen, 0600);
	if (rc == 0)
		rc = cg_write_file_atomic(ppath, pub, publen, 0644);
	cg_bundle_key_free(priv, privlen);
	cg_free(pub);
	if (rc) {
		cg_cli_err(cg_tr("bundle keygen: không tạo được khóa %s: %s",
		                 "bundle keygen: cannot make the key %s: %s"),
		           kpath, cg_strerror(rc));
		return CG_EXIT_ERROR;
	}
	printf(cg_tr("Khóa bí mật: %s (giữ ngoại tuyến)\nKhóa công khai: %s (dùng với "
	             "--trust-key)\n",
	             "Private key: %s (keep it offline)\nPublic key: %s (use with --trust-key)\n"),
	       kpath, ppath);
	return CG_EXIT_OK;
}

/* Sets expires and version in dir/manifest.json as asked, rewriting it atomically; *man then
 * holds the new bytes. */
static int update_manifest(const char *mpath, const struct cg_bundle_sign_opts *so, uint8_t **man,
                           size_t *mlen)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_manifest *m = NULL;
	char *json = NULL, *ver = NULL;
	size_t jlen = 0;
	int c, rc = cg_manifest_parse((const char *)*man, *mlen, mpath, &m, &d);

	cg_cli_print_diags(&d);
	cg_diags_clear(&d);
	if (rc || (!so->expires_set && !so->version))
		goto out;
	if (so->expires_set)
		m->expires = so->expires;
	if (so->version) {
		rc = cg_bundle_version_cmp(so->version, so->version, &c) ? CG_EINVAL : CG_OK;
		if (rc) {
			cg_cli_err(cg_tr("--version: \"%s\" cần các số cách nhau bởi dấu chấm",
			                 "--version: \"%s\" should be numbers separated by dots"),
			           so->version);
			goto out;
		}
		ver = cg_strdup(so->version);
		if (!ver) {
			rc = CG_ENOMEM;
			goto out;
		}
		cg_free(m->version);
		m->version = ver;
	}
	rc = cg_manifest_to_json(m, &json, &jlen);
	if (rc == 0)
		rc = cg_write_file_atomic(mpath, json, jlen, 0644);
	if (rc == 0) {
		cg_free(*man);
		*man = (uint8_t *)json;
		*mlen = jlen;
		json = NULL;
	}
out:
	cg_free(json);
	cg_manifest_free(m);
	return rc;
}

int cg_cli_bundle_sign(const char *dir, const struct cg_bundle_sign_opts *so)
{
	char mpath[4096], spath[4096], b64[CG_BASE64_LEN(CG_ED25519_SIG_LEN) + 2];
	uint8_t *man = NULL, *key = NULL, sig[CG_ED25519_SIG_LEN];
	size_t mlen = 0, klen = 0, n;
	int rc;

	if (!dir || !so->key) {
		cg_cli_err("%s", cg_tr("bundle sign: cần DIR và --key PREFIX.key",
		                       "bundle sign: needs DIR and --key PREFIX.key"));
		return CG_EXIT_ERROR;
	}
	if (snprintf(mpath, sizeof(mpath), "%s/manifest.json", dir) >= (int)sizeof(mpath) ||
	    snprintf(spath, sizeof(spath), "%s/manifest.json.sig", dir) >= (int)sizeof(spath))
		return CG_EXIT_ERROR;
	rc = cg_read_file(so->key, CG_ED25519_MAX_KEY_TEXT, &key, &klen);
	if (rc) {
		cg_cli_err(cg_tr("--key: không đọc được %s: %s", "--key: cannot read %s: %s"),
		           so->key, cg_strerror(rc));
		goto out;
	}
	rc = cg_read_file(mpath, CG_MAX_MANIFEST, &man, &mlen);
	if (rc) {
		cg_cli_err(cg_tr("không đọc được %s: %s", "cannot read %s: %s"), mpath,
		           cg_strerror(rc));
		goto out;
	}
	/* Check the key before changing the manifest. */
	rc = cg_bundle_sign(key, klen, "", 0, sig);
	if (rc) {
		cg_cli_err(cg_tr("--key: %s không phải khóa bí mật Ed25519 (PEM): %s",
		                 "--key: %s is not an Ed25519 private key (PEM): %s"),
		           so->key, cg_strerror(rc));
		goto out;
	}
	if ((rc = update_manifest(mpath, so, &man, &mlen)))
		goto out;
	rc = cg_bundle_sign(key, klen, man, mlen, sig);
	if (rc == 0)
		rc = cg_base64_encode(sig, sizeof(sig), b64, sizeof(b64));
	if (rc == 0) {
		n = strlen(b64);
		b64[n++] = '\n';
		rc = cg_write_file_atomic(spath, b64, n, 0644);
	}
	if (rc)
		cg_cli_err(cg_tr("không ký được %s: %s", "cannot sign %s: %s"), mpath,
		           cg_strerror(rc));
	else
		printf(cg_tr("Đã ký %s: %s\n", "Signed %s: %s\n"), dir, spath);
out:
	if (key)
		cg_bundle_key_free((char *)key, klen);
	cg_free(man);
	return rc ? CG_EXIT_ERROR : CG_EXIT_OK;
}

/* The architecture name of an ELF program as `uname -m` says it, from its header; NULL when
 * the file is not an ELF program of a known machine. */
static const char *elf_arch(const uint8_t *b, size_t n)
{
	if (n < 20 || memcmp(b, "\177ELF", 4) != 0 || b[5] != 1 /* little-endian */)
		return NULL;
	unsigned mach = (unsigned)b[18] | (unsigned)b[19] << 8;
	return mach == 62 ? "x86_64" : mach == 3 ? "i686" : mach == 183 ? "aarch64" : NULL;
}

/* The architecture of a Windows program (PE, "MZ" then the "PE\0\0" header at e_lfanew):
 * "x86_64" or "i686"; NULL otherwise. */
static const char *pe_arch(const uint8_t *b, size_t n)
{
	if (n < 64 || b[0] != 'M' || b[1] != 'Z')
		return NULL;
	uint32_t off =
	    (uint32_t)b[60] | (uint32_t)b[61] << 8 | (uint32_t)b[62] << 16 | (uint32_t)b[63] << 24;
	if (off > n - 6 || memcmp(b + off, "PE\0\0", 4) != 0)
		return NULL;
	unsigned mach = (unsigned)b[off + 4] | (unsigned)b[off + 5] << 8;
	return mach == 0x8664 ? "x86_64" : mach == 0x14c ? "i686" : NULL;
}

int cg_cli_bundle_agent_package(const char *out, const char *version, char *const *programs,
                                size_t n)
{
	struct cg_manifest m;
	struct cg_manifest_file files[8];
	char path[4200], *json = NULL;
	size_t jlen = 0, nf = 0;
	int rc = 0, c;
	memset(&m, 0, sizeof m);
	memset(files, 0, sizeof files);
	if (!out || n == 0 || n > 8 || (version && cg_bundle_version_cmp(version, version, &c))) {
		cg_cli_err("%s",
		           cg_tr("bundle agent-package: cần --out DIR, 1 đến 8 CHƯƠNG_TRÌNH và "
		                 "--version dạng số chấm số",
		                 "bundle agent-package: needs --out DIR, 1 to 8 PROGRAMs and a "
		                 "dotted --version"));
		return CG_EXIT_ERROR;
	}
	rc = cg_mkdir_p(out, 0755);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		uint8_t *buf = NULL;
		size_t len = 0;
		struct cg_digest_result d;
		const char *arch = NULL, *os = "linux", *ext = "";
		rc = cg_read_file(programs[i], 512u << 20, &buf, &len);
		if (rc == 0 && !(arch = elf_arch(buf, len)) && (arch = pe_arch(buf, len)))
			os = "windows", ext = ".exe";
		if (rc == 0 && !arch)
			rc = CG_EUNSUPP;
		if (rc == 0)
			rc = cg_digest_buf(CG_HASH_SHA256, buf, len, &d);
		if (rc == 0) {
			files[nf].path = cg_malloc(64);
			rc = files[nf].path ? 0 : CG_ENOMEM;
		}
		if (rc == 0) {
			snprintf(files[nf].path, 64, "canhgac-%s-%s%s", os, arch, ext);
			memcpy(files[nf].sha256, d.sha256, 32);
			files[nf].size = len;
			files[nf].kind = CG_KIND_PROGRAM;
			snprintf(path, sizeof path, "%s/%s", out, files[nf].path);
			rc = cg_write_file_atomic(path, buf, len, 0755);
			nf++;
		}
		if (rc)
			cg_cli_err(
			    cg_tr("%s: %s (cần chương trình canhgac ELF của Linux hoặc .exe của "
			          "Windows)",
			          "%s: %s (a canhgac Linux ELF or Windows .exe program is "
			          "expected)"),
			    programs[i], cg_strerror(rc));
		cg_free(buf);
	}
	m.format = CG_MANIFEST_FORMAT;
	m.name = (char *)"canhgac-agent";
	m.version = (char *)(version ? version : CG_VERSION);
	m.expires = INT64_MIN;
	m.files = files;
	m.nfiles = nf;
	if (rc == 0)
		rc = cg_manifest_to_json(&m, &json, &jlen);
	snprintf(path, sizeof path, "%s/manifest.json", out);
	if (rc == 0)
		rc = cg_write_file_atomic(path, json, jlen, 0644);
	if (rc == 0)
		printf(
		    cg_tr("Gói tác tử %s ở %s; ký bằng: canhgac bundle sign %s --key KHÓA.key "
		          "--expires NGÀY, rồi: canhgac admin bundles publish %s --kind agent\n",
		          "Agent package %s in %s; sign it: canhgac bundle sign %s --key KEY.key "
		          "--expires DATE, then: canhgac admin bundles publish %s --kind agent\n"),
		    m.version, out, out, out);
	else
		cg_cli_err("bundle agent-package: %s", cg_strerror(rc));
	cg_free(json);
	for (size_t i = 0; i < nf; i++)
		cg_free(files[i].path);
	return rc ? CG_EXIT_ERROR : CG_EXIT_OK;
}

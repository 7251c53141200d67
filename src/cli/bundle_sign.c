/* bundle_sign.c - `canhgac bundle keygen` and `canhgac bundle sign` (Linux only). */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "canhgac/alloc.h"
#include "canhgac/bundle_sign.h"
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

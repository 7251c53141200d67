/* admin_bundles.c - `canhgac admin bundles list|publish|canary|release|withdraw` (admin.h): the
 * Department's signed bundles on the server. publish sends manifest.json and its signature,
 * then every file in 1 MiB chunks; run again after an interruption, it resumes where the server
 * stopped. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/crypto.h"
#include "canhgac/limits.h"
#include "canhgac/sys.h"
#include "admin.h"
#include "banned.h"

#define CHUNK (1u << 20)
#define MAX_SIG_FILE 1024

static const struct cg_admin_col bundle_cols[] = {
    {"kind", "Loại", "Kind", CG_COL_TEXT},
    {"version", "Phiên bản", "Version", CG_COL_TEXT},
    {"name", "Tên", "Name", CG_COL_TEXT},
    {"state", "Trạng thái", "State", CG_COL_TEXT},
    {"hosts", "Số máy", "Hosts", CG_COL_TEXT},
    {"expires_ms", "Hết hạn", "Expires", CG_COL_DATE},
    {"created_ms", "Tải lên", "Uploaded", CG_COL_DATE},
};

/* The signature file as base64 text: kept as is when it is text, encoded when raw bytes. */
static char *sig_text(const uint8_t *b, size_t n)
{
	int text = n > 0;
	for (size_t i = 0; i < n; i++)
		if (!((b[i] >= 'A' && b[i] <= 'Z') || (b[i] >= 'a' && b[i] <= 'z') ||
		      (b[i] >= '0' && b[i] <= '9') || b[i] == '+' || b[i] == '/' || b[i] == '=' ||
		      b[i] == '\n' || b[i] == '\r' || b[i] == ' '))
			text = 0;
	char *s = cg_malloc(CG_BASE64_LEN(n) + n + 2);
	if (!s)
		return NULL;
	if (text) {
		memcpy(s, b, n);
		s[n] = 0;
	} else if (cg_base64_encode(b, n, s, CG_BASE64_LEN(n) + 1) < 0) {
		cg_free(s);
		return NULL;
	}
	return s;
}

/* Sends what the server lacks of file f (its answer entry) from dir. */
static int send_file(struct cg_admin *a, const char *kind, const char *dir, const char *ver,
                     json_t *f, uint8_t *buf)
{
	const char *name = json_string_value(json_object_get(f, "path"));
	json_int_t idx = json_integer_value(json_object_get(f, "index"));
	json_int_t size = json_integer_value(json_object_get(f, "size"));
	json_int_t have = json_integer_value(json_object_get(f, "have"));
	char p[4400], url[512];
	if (!name || have >= size)
		return 0;
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *in = fopen(p, "rb");
	int rc = in ? 0 : CG_ENOENT;
	if (rc == 0 && fseeko(in, (off_t)have, SEEK_SET) != 0)
		rc = CG_EIO;
	while (rc == 0 && have < size) {
		size_t want = size - have < CHUNK ? (size_t)(size - have) : CHUNK;
		size_t got = fread(buf, 1, want, in);
		json_t *j = NULL;
		if (got != want) {
			rc = CG_EIO;
			break;
		}
		snprintf(url, sizeof url, "/api/v1/bundles/%s/%s/files/%lld?offset=%lld", kind, ver,
		         (long long)idx, (long long)have);
		rc = cg_admin_post_bytes(a, url, "application/octet-stream", buf, got, &j);
		if (rc == 0)
			have = json_integer_value(json_object_get(j, "have"));
		json_decref(j);
	}
	if (in)
		fclose(in);
	if (rc == CG_ENOENT || rc == CG_EIO)
		cg_cli_err("%s: %s", p, cg_strerror(rc));
	return rc;
}

static int publish(struct cg_admin *a, const char *kind, const char *dir)
{
	char p[4400];
	uint8_t *man = NULL, *sig = NULL, *buf = NULL;
	size_t mlen = 0, slen = 0, i;
	char *st = NULL;
	json_t *body = NULL, *j = NULL, *f;
	snprintf(p, sizeof p, "%s/manifest.json", dir);
	int rc = cg_read_file(p, CG_MAX_MANIFEST, &man, &mlen);
	if (rc == 0) {
		snprintf(p, sizeof p, "%s/manifest.json.sig", dir);
		rc = cg_read_file(p, MAX_SIG_FILE, &sig, &slen);
		if (rc == CG_ENOENT)
			cg_cli_err(
			    "%s: %s", p,
			    cg_tr("bộ mẫu chưa được ký: chạy `canhgac bundle sign` trên máy "
			          "giữ khóa của Sở",
			          "the bundle is not signed: run `canhgac bundle sign` on the "
			          "machine that keeps the Department's key"));
	} else {
		cg_cli_err("%s: %s", p, cg_strerror(rc));
	}
	if (rc == 0 && (!(st = sig_text(sig, slen)) || !(buf = cg_malloc(CHUNK))))
		rc = CG_ENOMEM;
	if (rc == 0 && !(body = json_pack("{s:s,s:s%,s:s}", "kind", kind, "manifest",
	                                  (const char *)man, mlen, "signature", st)))
		rc = CG_EPARSE; /* not UTF-8 */
	if (rc == 0)
		rc = cg_admin_post(a, "/api/v1/bundles", body, &j);
	const char *ver = json_string_value(json_object_get(j, "version"));
	json_array_foreach(json_object_get(j, "files"), i, f)
	{
		if (rc || !ver)
			break;
		rc = send_file(a, kind, dir, ver, f, buf);
	}
	if (rc == 0 && a->c->json)
		cg_admin_json(j);
	else if (rc == 0 && ver)
		printf(cg_tr("Đã tải lên %s %s; đưa cho nhóm thử trước: admin bundles canary "
		             "%s, cho mọi máy: admin bundles release %s\n",
		             "Uploaded %s %s; to the canary group: admin bundles canary %s, to "
		             "every host: admin bundles release %s\n"),
		       kind, ver, ver, ver);
	json_decref(body);
	json_decref(j);
	cg_free(st);
	cg_free(buf);
	cg_free(man);
	cg_free(sig);
	return rc;
}

int cg_admin_bundles(struct cg_admin *a, int argc, char **argv)
{
	char path[512], esc[300];
	if (strcmp(argv[0], "list") == 0 && argc == 1)
		return cg_admin_list(a, "/api/v1/bundles", "bundles", 500, bundle_cols,
		                     sizeof(bundle_cols) / sizeof(bundle_cols[0]));
	const char *kind = a->kind ? a->kind : "bundle";
	if (strcmp(kind, "bundle") != 0 && strcmp(kind, "agent") != 0)
		return cg_admin_usage("--kind bundle|agent", "--kind bundle|agent");
	if (strcmp(argv[0], "publish") == 0 && argc == 2)
		return publish(a, kind, argv[1]);
	const char *to = strcmp(argv[0], "canary") == 0     ? "canary"
	                 : strcmp(argv[0], "release") == 0  ? "released"
	                 : strcmp(argv[0], "withdraw") == 0 ? "withdrawn"
	                                                    : NULL;
	if (!to || argc != 2 || cg_admin_esc(argv[1], esc, sizeof esc))
		return cg_admin_usage("admin bundles list | admin bundles publish THƯ_MỤC | admin "
		                      "bundles canary|release|withdraw PHIÊN_BẢN [--kind agent]",
		                      "admin bundles list | admin bundles publish DIR | admin "
		                      "bundles canary|release|withdraw VERSION [--kind agent]");
	json_t *b = json_pack("{s:s}", "state", to), *j = NULL;
	snprintf(path, sizeof path, "/api/v1/bundles/%s/%s", kind, esc);
	int rc = cg_admin_post(a, path, b, &j);
	if (rc == 0 && a->c->json)
		cg_admin_json(j);
	else if (rc == 0)
		printf(cg_tr("%s %s: %s\n", "%s %s: %s\n"), kind, argv[1], to);
	json_decref(b);
	json_decref(j);
	return rc;
}

static const struct cg_admin_col vuln_cols[] = {
    {"hostname", "Máy", "Host", CG_COL_TEXT},
    {"unit", "Đơn vị", "Unit", CG_COL_TEXT},
    {"advisory", "Cảnh báo", "Warning", CG_COL_TEXT},
    {"package", "Gói", "Package", CG_COL_TEXT},
    {"installed", "Đang cài", "Installed", CG_COL_TEXT},
    {"fixed", "Bản vá", "Fixed in", CG_COL_TEXT},
    {"state", "Trạng thái", "State", CG_COL_TEXT},
    {"due_ms", "Hạn xử lý", "Due", CG_COL_DATE},
    {"first_ms", "Phát hiện", "Found", CG_COL_DATE},
};

/* `admin vulns list [--unit CODE] [--state open|fixed]`: installed packages affected by the
 * Department's warnings, in the caller's scope. */
int cg_admin_vulns(struct cg_admin *a, int argc, char **argv)
{
	char path[700], u[300] = "", st[40] = "";
	if (strcmp(argv[0], "list") != 0 || argc != 1 ||
	    (a->unit && cg_admin_esc(a->unit, u, sizeof u)) ||
	    (a->state && (strcmp(a->state, "open") != 0 && strcmp(a->state, "fixed") != 0)) ||
	    (a->state && cg_admin_esc(a->state, st, sizeof st)))
		return cg_admin_usage("admin vulns list [--unit MÃ] [--state open|fixed]",
		                      "admin vulns list [--unit CODE] [--state open|fixed]");
	snprintf(path, sizeof path, "/api/v1/vulns?unit=%s&state=%s", u, st);
	return cg_admin_list(a, path, "vulns", 5000, vuln_cols,
	                     sizeof(vuln_cols) / sizeof(vuln_cols[0]));
}

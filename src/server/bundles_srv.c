/* bundles_srv.c - signed bundles on the server (docs/api.md "Bundles"): the upload (manifest and
 * signature first, then each file in resumable chunks), the rollout states (ready → canary →
 * released, withdrawn), what each agent is offered in its heartbeat, and what agents download.
 *
 * The server checks what the agents will check (the Department's Ed25519 signature, the
 * expiry, a version above every earlier one, each file's SHA-256) so that a bad bundle is refused
 * at upload; the agents check again, since a server can be broken into. Files are kept under
 * DATA_DIR/server/bundles/<kind>-<version>/<index> and written only through ".part" files that
 * are renamed once their SHA-256 matches the manifest. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "canhgac/auth.h"
#include "canhgac/hashsig.h"
#include "canhgac/manifest.h"
#include "canhgac/sys.h"
#include "server/srv.h"

#include "banned.h"

#define MAX_SIG_TEXT 1024
#define MAX_FILE_BYTES (512ull << 20) /* one file of a bundle */
#define MAX_TOTAL_BYTES (2ull << 30)  /* all the files of a bundle */
#define MAX_VERSIONS 10000            /* bundles of a kind considered */

static int kind_ok(const char *k)
{
	return k && (strcmp(k, "bundle") == 0 || strcmp(k, "agent") == 0);
}

/* A signature bundle holds no program; an agent package holds programs only. */
static int files_fit(const char *kind, const struct cg_manifest *m)
{
	for (size_t i = 0; i < m->nfiles; i++)
		if ((m->files[i].kind == CG_KIND_PROGRAM) != (strcmp(kind, "agent") == 0))
			return 0;
	return m->nfiles > 0;
}

static int version_ok(const char *v)
{
	int c;
	return v && cg_bundle_version_cmp(v, v, &c) == 0;
}

static void bdir(const struct cg_srv *s, const char *kind, const char *ver, char *out, size_t cap)
{
	snprintf(out, cap, "%s/bundles/%s-%s", s->cfg.data_dir, kind, ver);
}

/* Answers 400 with the first diagnostic of d. */
static int diag_err(struct cg_resp *r, int status, const char *code, const struct cg_diags *d,
                    const char *vi, const char *en)
{
	char mv[700], me[700];
	if (d->n) {
		snprintf(mv, sizeof mv, "%s: %s: %s", vi, d->v[0].source, d->v[0].msg_vi);
		snprintf(me, sizeof me, "%s: %s: %s", en, d->v[0].source, d->v[0].msg_en);
		return cg_resp_err(r, status, code, mv, me);
	}
	return cg_resp_err(r, status, code, vi, en);
}

/* The highest version of `kind` ever uploaded (any state) into out ("" when none). */
static int highest(struct cg_db *db, const char *kind, char *out, size_t cap)
{
	struct cg_rows *v = NULL;
	int rc = cg_db_query(db, &v, "SELECT version FROM bundles WHERE kind = ? LIMIT ?", "ti",
	                     kind, (int64_t)MAX_VERSIONS);
	out[0] = 0;
	for (size_t i = 0; rc == 0 && i < v->n; i++) {
		int c = 1;
		const char *x = cg_rows_get(v, i, 0);
		if (out[0] && cg_bundle_version_cmp(x, out, &c) != 0)
			continue;
		if (c > 0)
			snprintf(out, cap, "%s", x);
	}
	cg_rows_free(v);
	return rc;
}

static json_t *files_json(const struct cg_manifest *m, const char *dir)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < m->nfiles; i++) {
		char hex[65], p[1400];
		struct stat st;
		uint64_t have = 0;
		cg_hex_encode(m->files[i].sha256, 32, hex, sizeof hex);
		if (dir) {
			snprintf(p, sizeof p, "%s/%zu", dir, i);
			if (stat(p, &st) == 0) {
				have = m->files[i].size;
			} else {
				snprintf(p, sizeof p, "%s/%zu.part", dir, i);
				if (stat(p, &st) == 0)
					have = (uint64_t)st.st_size;
			}
		}
		json_array_append_new(arr, json_pack("{s:I,s:s,s:s,s:I,s:s,s:I}", "index",
		                                     (json_int_t)i, "path", m->files[i].path,
		                                     "kind", cg_bundle_kind_name(m->files[i].kind),
		                                     "size", (json_int_t)m->files[i].size, "sha256",
		                                     hex, "have", (json_int_t)have));
	}
	return arr;
}

int cg_h_bundles_upload(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	if (cg_need_user(q, r, CG_ROLE_DEPT_ADMIN))
		return CG_EPERM;
	json_t *j = cg_req_json(q, r);
	if (!j)
		return CG_EINVAL;
	struct cg_manifest *m = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	const char *kind = json_string_value(json_object_get(j, "kind"));
	const char *man = json_string_value(json_object_get(j, "manifest"));
	const char *sig = json_string_value(json_object_get(j, "signature"));
	size_t mlen = man ? json_string_length(json_object_get(j, "manifest")) : 0;
	int rc = CG_EINVAL;
	char top[CG_BUNDLE_VERSION_MAX + 1], dir[1300], mhex[CG_SHA256_HEX];
	if (!kind)
		kind = "bundle";
	if (!kind_ok(kind) || !man || !sig || strlen(sig) > MAX_SIG_TEXT) {
		cg_resp_err(
		    r, 400, "bad_request",
		    "Cần 'manifest' (nội dung manifest.json) và 'signature' (manifest.json.sig, "
		    "base64); 'kind' là bundle hoặc agent",
		    "'manifest' (the text of manifest.json) and 'signature' (manifest.json.sig, "
		    "base64) are required; 'kind' is bundle or agent");
		goto out;
	}
	if (!s->bundle_key) {
		rc = CG_ENOENT;
		cg_resp_err(r, 409, "no_bundle_key",
		            "Máy chủ chưa có khóa công khai của Sở: chạy `canhgac server init "
		            "--bundle-key KHÓA.pub`",
		            "The server has no Department public key yet: run `canhgac server init "
		            "--bundle-key KEY.pub`");
		goto out;
	}
	rc = cg_manifest_parse(man, mlen, "manifest.json", &m, &d);
	if (rc) {
		diag_err(r, 400, "bad_manifest", &d, "manifest.json không hợp lệ",
		         "manifest.json is not valid");
		goto out;
	}
	if (!files_fit(kind, m)) {
		rc = CG_EINVAL;
		cg_resp_err(
		    r, 400, "bad_files",
		    "Bộ mẫu không chứa chương trình (kind program); gói tác tử (kind agent) chỉ "
		    "chứa chương trình canhgac-linux-KIẾN_TRÚC",
		    "A bundle holds no program (kind program); an agent package (kind agent) "
		    "holds only programs named canhgac-linux-ARCH");
		goto out;
	}
	cg_sha256_hex(man, mlen, mhex);
	bdir(s, kind, m->version, dir, sizeof dir);
	/* the same upload again (after an interruption): tell what is still missing */
	struct cg_rows *ex = NULL;
	rc = cg_db_query(q->db, &ex,
	                 "SELECT state FROM bundles WHERE kind = ? AND version = ? AND "
	                 "manifest_sha256 = ?",
	                 "ttt", kind, m->version, mhex);
	int again = rc == 0 && ex->n == 1;
	if (again)
		cg_resp_json(r, 200,
		             json_pack("{s:s,s:s,s:s,s:s,s:o}", "kind", kind, "version", m->version,
		                       "name", m->name, "state", cg_rows_get(ex, 0, 0), "files",
		                       files_json(m, dir)));
	cg_rows_free(ex);
	if (rc || again) {
		if (rc)
			cg_resp_dberr(r, rc);
		goto out;
	}
	int sig_ok =
	    cg_manifest_verify((const uint8_t *)man, mlen, (const uint8_t *)sig, strlen(sig),
	                       (const uint8_t *)s->bundle_key, s->bundle_key_len) == 0;
	rc = highest(q->db, kind, top, sizeof top);
	if (rc) {
		cg_resp_dberr(r, rc);
		goto out;
	}
	cg_diags_clear(&d);
	rc = cg_bundle_accept(m, sig_ok, top[0] ? top : NULL, cg_srv_now_ms() / 1000, &d);
	if (rc == CG_EBADSIG || rc == CG_ETIMEOUT || rc == CG_EEXIST || rc == CG_EPARSE) {
		diag_err(r,
		         rc == CG_EEXIST   ? 409
		         : rc == CG_EPARSE ? 400
		                           : 422,
		         rc == CG_EBADSIG    ? "bad_signature"
		         : rc == CG_ETIMEOUT ? "expired"
		         : rc == CG_EEXIST   ? "not_newer"
		                             : "bad_version",
		         &d, "Bộ mẫu bị từ chối", "Bundle refused");
		goto out;
	}
	uint64_t total = 0;
	for (size_t i = 0; i < m->nfiles; i++) {
		total += m->files[i].size;
		if (m->files[i].size > MAX_FILE_BYTES)
			total = MAX_TOTAL_BYTES + 1;
	}
	if (rc == 0 && total > MAX_TOTAL_BYTES) {
		rc = CG_ELIMIT;
		cg_resp_err(r, 413, "too_large", "Bộ mẫu quá lớn (tối đa 2 GiB, 512 MiB mỗi tệp)",
		            "The bundle is too large (2 GiB at most, 512 MiB per file)");
		goto out;
	}
	int64_t now = cg_srv_now_ms();
	if (rc == 0)
		rc = cg_mkdir_p(dir, 0700);
	if (rc == 0)
		rc = cg_db_begin_write(q->db);
	if (rc == 0)
		rc = cg_db_exec(
		    q->db, NULL,
		    "INSERT INTO bundles (kind, version, name, manifest, signature, "
		    "manifest_sha256, expires_ms, nfiles, total_bytes, state, created_ms, "
		    "created_by, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
		    "'uploading', ?, ?, ?)",
		    "ttttttIiiiti", kind, m->version, m->name, man, sig, mhex,
		    m->expires == INT64_MIN ? INT64_MIN : m->expires * 1000, (int64_t)m->nfiles,
		    (int64_t)total, now, q->who.login, now);
	if (rc == 0)
		rc = cg_srv_audit(q, "bundle.upload", m->version,
		                  json_pack("{s:s,s:s}", "kind", kind, "name", m->name));
	if (rc == 0)
		rc = cg_db_commit(q->db);
	if (rc) {
		cg_db_rollback(q->db);
		cg_resp_dberr(r, rc);
		goto out;
	}
	cg_resp_json(r, 201,
	             json_pack("{s:s,s:s,s:s,s:s,s:o}", "kind", kind, "version", m->version, "name",
	                       m->name, "state", "uploading", "files", files_json(m, dir)));
out:
	cg_diags_clear(&d);
	cg_manifest_free(m);
	json_decref(j);
	return rc;
}

#define B_COLS                                                                                     \
	"SELECT id, kind, version, name, manifest, signature, manifest_sha256, expires_ms, "       \
	"nfiles, total_bytes, state, created_ms, created_by, updated_ms FROM bundles "

/* The bundle named by path parameters 0 (kind) and 1 (version), with its manifest parsed;
 * 404 in r otherwise. */
static int load_bundle(struct cg_req *q, struct cg_resp *r, struct cg_rows **row,
                       struct cg_manifest **m)
{
	const char *kind = q->params[0], *ver = q->params[1];
	*row = NULL;
	*m = NULL;
	if (!kind_ok(kind) || !version_ok(ver))
		return cg_resp_404(r), CG_ENOENT;
	int rc = cg_db_query(q->db, row, B_COLS "WHERE kind = ? AND version = ?", "tt", kind, ver);
	if (rc)
		return cg_resp_dberr(r, rc);
	if ((*row)->n != 1) {
		cg_rows_free(*row);
		*row = NULL;
		return cg_resp_404(r), CG_ENOENT;
	}
	const char *man = cg_rows_get(*row, 0, 4);
	rc = cg_manifest_parse(man, strlen(man), "manifest.json", m, NULL);
	if (rc) {
		cg_rows_free(*row);
		*row = NULL;
		return cg_resp_dberr(r, rc);
	}
	return 0;
}

/* Appends body to the ".part" file at offset `off`; renames it into place once complete and
 * matching. *have gets the bytes now held. 0, or an answer in r. */
static int put_chunk(struct cg_req *q, struct cg_resp *r, const char *dir,
                     const struct cg_manifest_file *f, size_t idx, uint64_t off, uint64_t *have)
{
	char part[1400], fin[1400];
	struct stat st;
	snprintf(fin, sizeof fin, "%s/%zu", dir, idx);
	snprintf(part, sizeof part, "%s/%zu.part", dir, idx);
	if (stat(fin, &st) == 0) {
		*have = f->size;
		return 0;
	}
	uint64_t cur = stat(part, &st) == 0 ? (uint64_t)st.st_size : 0;
	*have = cur;
	if (off != cur) {
		cg_resp_json(r, 409,
		             json_pack("{s:s,s:s,s:s,s:I}", "error", "offset", "message_vi",
		                       "Sai vị trí: gửi tiếp từ 'have'", "message_en",
		                       "Wrong offset: continue from 'have'", "have",
		                       (json_int_t)cur));
		return CG_EINVAL;
	}
	if (q->body_len > f->size - cur)
		return cg_resp_err(r, 400, "too_long", "Dữ liệu vượt kích thước tệp trong manifest",
		                   "More bytes than the manifest's size of the file");
	int fd = open(part, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
	int rc = fd < 0 ? CG_EIO : 0;
	size_t done = 0;
	while (rc == 0 && done < q->body_len) {
		ssize_t w = write(fd, q->body + done, q->body_len - done);
		if (w < 0 && errno != EINTR)
			rc = errno == ENOSPC ? CG_ENOSPC : CG_EIO;
		else if (w > 0)
			done += (size_t)w;
	}
	if (rc == 0 && fsync(fd) != 0)
		rc = CG_EIO;
	if (fd >= 0)
		close(fd);
	if (rc)
		return cg_resp_dberr(r, rc);
	*have = cur + q->body_len;
	if (*have < f->size)
		return 0;
	uint8_t got[32];
	uint64_t size = 0;
	rc = cg_file_sha256(part, f->size, got, &size);
	if (rc == 0 && (size != f->size || memcmp(got, f->sha256, 32) != 0)) {
		unlink(part);
		*have = 0;
		return cg_resp_err(
		    r, 422, "sha256_mismatch",
		    "SHA-256 của tệp không khớp manifest; tệp đã bị bỏ, hãy tải lại",
		    "The file's SHA-256 does not match the manifest; it was dropped, "
		    "upload it again");
	}
	if (rc == 0)
		rc = cg_file_fsync_rename(part, fin);
	return rc ? cg_resp_dberr(r, rc) : 0;
}

/* POST /bundles/:kind/:version/files/:index?offset=N, raw bytes. */
int cg_h_bundles_file_put(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	if (cg_need_user(q, r, CG_ROLE_DEPT_ADMIN))
		return CG_EPERM;
	struct cg_rows *b = NULL;
	struct cg_manifest *m = NULL;
	int rc = load_bundle(q, r, &b, &m);
	if (rc)
		return rc;
	char dir[1300];
	long idx = strtol(q->params[2], NULL, 10);
	uint64_t have = 0;
	bdir(s, cg_rows_get(b, 0, 1), cg_rows_get(b, 0, 2), dir, sizeof dir);
	if (strcmp(cg_rows_get(b, 0, 10), "uploading") != 0) {
		rc = cg_resp_err(r, 409, "not_uploading", "Bộ mẫu đã tải lên đủ",
		                 "The bundle is already complete");
		goto out;
	}
	if (idx < 0 || (size_t)idx >= m->nfiles ||
	    strspn(q->params[2], "0123456789") != strlen(q->params[2])) {
		rc = CG_ENOENT;
		cg_resp_404(r);
		goto out;
	}
	rc = put_chunk(q, r, dir, &m->files[idx], (size_t)idx,
	               (uint64_t)cg_req_arg_long(q, "offset", 0, 0, 0x7fffffffL), &have);
	if (rc)
		goto out;
	size_t complete = 0;
	for (size_t i = 0; i < m->nfiles; i++) {
		char p[1400];
		struct stat st;
		snprintf(p, sizeof p, "%s/%zu", dir, i);
		complete += stat(p, &st) == 0;
	}
	if (complete == m->nfiles)
		rc = cg_db_exec(
		    q->db, NULL,
		    "UPDATE bundles SET state = 'ready', updated_ms = ? WHERE id = ? AND "
		    "state = 'uploading'",
		    "ii", cg_srv_now_ms(), cg_rows_int(b, 0, 0, 0));
	if (rc) {
		cg_resp_dberr(r, rc);
		goto out;
	}
	cg_resp_json(r, 200,
	             json_pack("{s:I,s:b,s:s}", "have", (json_int_t)have, "complete",
	                       have == m->files[idx].size, "state",
	                       complete == m->nfiles ? "ready" : "uploading"));
out:
	cg_manifest_free(m);
	cg_rows_free(b);
	return rc;
}

static json_t *bundle_json(struct cg_rows *b, size_t i)
{
	json_t *o = json_pack(
	    "{s:s,s:s,s:s,s:s,s:I,s:I,s:s,s:I,s:s,s:I}", "kind", cg_rows_get(b, i, 1), "version",
	    cg_rows_get(b, i, 2), "name", cg_rows_get(b, i, 3), "manifest_sha256",
	    cg_rows_get(b, i, 6), "files", (json_int_t)cg_rows_int(b, i, 8, 0), "bytes",
	    (json_int_t)cg_rows_int(b, i, 9, 0), "state", cg_rows_get(b, i, 10), "created_ms",
	    (json_int_t)cg_rows_int(b, i, 11, 0), "created_by", cg_rows_get(b, i, 12), "updated_ms",
	    (json_int_t)cg_rows_int(b, i, 13, 0));
	json_object_set_new(o, "expires_ms",
	                    cg_rows_get(b, i, 7) ? json_integer(cg_rows_int(b, i, 7, 0))
	                                         : json_null());
	return o;
}

/* GET /bundles: every bundle, with how many hosts of the caller's scope run each version. */
int cg_h_bundles_list(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_VIEWER))
		return CG_EPERM;
	struct cg_rows *b = NULL, *c = NULL;
	char like[300];
	snprintf(like, sizeof like, "%s%%", q->who.unit_path);
	int rc = cg_db_query(q->db, &b, B_COLS "ORDER BY kind, created_ms DESC LIMIT 500", "");
	if (rc == 0)
		rc = cg_db_query(q->db, &c,
		                 "SELECT g.bundle_version, COUNT(*), SUM(g.canary) FROM agents g "
		                 "JOIN units n ON n.id = g.unit_id WHERE n.path LIKE ? AND "
		                 "g.revoked = 0 GROUP BY g.bundle_version",
		                 "t", like);
	if (rc) {
		cg_rows_free(b);
		return cg_resp_dberr(r, rc);
	}
	json_t *arr = json_array();
	int64_t canary = 0, hosts = 0;
	for (size_t k = 0; k < c->n; k++) {
		hosts += cg_rows_int(c, k, 1, 0);
		canary += cg_rows_int(c, k, 2, 0);
	}
	for (size_t i = 0; i < b->n; i++) {
		json_t *o = bundle_json(b, i);
		int64_t n = 0;
		for (size_t k = 0; k < c->n; k++)
			if (strcmp(cg_rows_get(c, k, 0), cg_rows_get(b, i, 2)) == 0)
				n = cg_rows_int(c, k, 1, 0);
		json_object_set_new(o, "hosts", json_integer(n));
		json_array_append_new(arr, o);
	}
	cg_rows_free(b);
	cg_rows_free(c);
	cg_resp_json(r, 200,
	             json_pack("{s:o,s:I,s:I,s:b}", "bundles", arr, "hosts", (json_int_t)hosts,
	                       "canary_hosts", (json_int_t)canary, "bundle_key",
	                       s->bundle_key != NULL));
	return 0;
}

/* May a bundle go from state `from` to `to`? */
static int transition_ok(const char *from, const char *to)
{
	if (strcmp(to, "canary") == 0)
		return strcmp(from, "ready") == 0;
	if (strcmp(to, "released") == 0)
		return strcmp(from, "ready") == 0 || strcmp(from, "canary") == 0;
	if (strcmp(to, "withdrawn") == 0)
		return strcmp(from, "canary") == 0 || strcmp(from, "released") == 0 ||
		       strcmp(from, "ready") == 0;
	return 0;
}

/* POST /bundles/:kind/:version {"state": "canary" | "released" | "withdrawn"} */
int cg_h_bundles_update(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_DEPT_ADMIN))
		return CG_EPERM;
	json_t *j = cg_req_json(q, r);
	if (!j)
		return CG_EINVAL;
	struct cg_rows *b = NULL;
	struct cg_manifest *m = NULL;
	const char *to = json_string_value(json_object_get(j, "state"));
	int rc = load_bundle(q, r, &b, &m);
	if (rc)
		goto out;
	const char *from = cg_rows_get(b, 0, 10);
	if (!to || (strcmp(to, "canary") && strcmp(to, "released") && strcmp(to, "withdrawn"))) {
		rc = cg_resp_err(r, 400, "bad_state", "'state' là canary, released hoặc withdrawn",
		                 "'state' is canary, released or withdrawn");
		goto out;
	}
	if (!transition_ok(from, to)) {
		char vi[300], en[300];
		snprintf(vi, sizeof vi, "Không chuyển được từ '%s' sang '%s'%s", from, to,
		         strcmp(from, "uploading") == 0 ? " (còn thiếu tệp)" : "");
		snprintf(en, sizeof en, "Cannot go from '%s' to '%s'%s", from, to,
		         strcmp(from, "uploading") == 0 ? " (files are missing)" : "");
		rc = cg_resp_err(r, 409, "bad_transition", vi, en);
		goto out;
	}
	if (strcmp(to, "withdrawn") != 0 && m->expires != INT64_MIN &&
	    m->expires * 1000 <= cg_srv_now_ms()) {
		rc = cg_resp_err(r, 422, "expired", "Bộ mẫu đã hết hạn", "The bundle has expired");
		goto out;
	}
	rc = cg_db_begin_write(q->db);
	if (rc == 0)
		rc = cg_db_exec(q->db, NULL,
		                "UPDATE bundles SET state = ?, updated_ms = ? WHERE id = ?", "tii",
		                to, cg_srv_now_ms(), cg_rows_int(b, 0, 0, 0));
	if (rc == 0)
		rc = cg_srv_audit(
		    q, "bundle.state", m->version,
		    json_pack("{s:s,s:s,s:s}", "kind", q->params[0], "from", from, "to", to));
	if (rc == 0)
		rc = cg_db_commit(q->db);
	if (rc) {
		cg_db_rollback(q->db);
		cg_resp_dberr(r, rc);
		goto out;
	}
	cg_resp_json(r, 200, json_pack("{s:s,s:s}", "version", m->version, "state", to));
out:
	cg_manifest_free(m);
	cg_rows_free(b);
	json_decref(j);
	return rc;
}

int cg_srv_bundle_offer(struct cg_db *db, const char *kind, int canary, const char *installed,
                        json_t **out)
{
	struct cg_rows *v = NULL;
	*out = NULL;
	int rc = cg_db_query(db, &v,
	                     "SELECT version, manifest_sha256, state FROM bundles WHERE kind = ? "
	                     "AND state IN ('canary', 'released', 'withdrawn') LIMIT ?",
	                     "ti", kind, (int64_t)MAX_VERSIONS);
	if (rc)
		return rc;
	size_t best = (size_t)-1;
	int withdrawn = 0;
	for (size_t i = 0; i < v->n; i++) {
		const char *st = cg_rows_get(v, i, 2);
		int c = 1;
		if (strcmp(st, "withdrawn") == 0) {
			if (installed && strcmp(installed, cg_rows_get(v, i, 0)) == 0)
				withdrawn = 1;
			continue;
		}
		if (strcmp(st, "canary") == 0 && !canary)
			continue;
		if (best != (size_t)-1 &&
		    cg_bundle_version_cmp(cg_rows_get(v, i, 0), cg_rows_get(v, best, 0), &c) != 0)
			continue;
		if (c > 0)
			best = i;
	}
	if (best != (size_t)-1)
		*out = json_pack("{s:s,s:s,s:b}", "version", cg_rows_get(v, best, 0), "sha256",
		                 cg_rows_get(v, best, 1), "rollback", withdrawn);
	else if (withdrawn) /* nothing left to offer: back to what the host had before any */
		*out = json_pack("{s:s,s:s,s:b}", "version", "0", "sha256", "", "rollback", 1);
	cg_rows_free(v);
	return 0;
}

/* The bundle of path parameters 0 and 1 if this agent may have it; 404 otherwise. */
static int agent_bundle(struct cg_req *q, struct cg_resp *r, struct cg_rows **b,
                        struct cg_manifest **m)
{
	int64_t canary = 0;
	int rc = load_bundle(q, r, b, m);
	if (rc)
		return rc;
	const char *st = cg_rows_get(*b, 0, 10);
	rc = cg_db_query_int(q->db, &canary, "SELECT canary FROM agents WHERE id = ?", "i",
	                     q->who.agent_id);
	if (rc == 0 && (strcmp(st, "released") == 0 || (strcmp(st, "canary") == 0 && canary)))
		return 0;
	cg_manifest_free(*m);
	cg_rows_free(*b);
	*m = NULL;
	*b = NULL;
	return rc ? cg_resp_dberr(r, rc) : (cg_resp_404(r), CG_ENOENT);
}

/* GET /agent/bundles/:kind/:version */
int cg_h_agent_bundle_get(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_agent(q, r))
		return CG_EPERM;
	struct cg_rows *b = NULL;
	struct cg_manifest *m = NULL;
	int rc = agent_bundle(q, r, &b, &m);
	if (rc)
		return rc;
	cg_resp_json(r, 200,
	             json_pack("{s:s,s:s,s:s,s:s,s:o}", "kind", cg_rows_get(b, 0, 1), "version",
	                       cg_rows_get(b, 0, 2), "manifest", cg_rows_get(b, 0, 4), "signature",
	                       cg_rows_get(b, 0, 5), "files", files_json(m, NULL)));
	cg_manifest_free(m);
	cg_rows_free(b);
	return 0;
}

/* GET /agent/bundles/:kind/:version/files/:index?offset=N: at most CG_SRV_CHUNK bytes. */
int cg_h_agent_bundle_file(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	struct cg_rows *b = NULL;
	struct cg_manifest *m = NULL;
	if (cg_need_agent(q, r))
		return CG_EPERM;
	int rc = agent_bundle(q, r, &b, &m);
	if (rc)
		return rc;
	char dir[1300], p[1400];
	long idx = strtol(q->params[2], NULL, 10);
	long off = cg_req_arg_long(q, "offset", 0, 0, 0x7fffffffL);
	int fd = -1;
	if (idx < 0 || (size_t)idx >= m->nfiles ||
	    strspn(q->params[2], "0123456789") != strlen(q->params[2]) ||
	    (uint64_t)off > m->files[idx].size) {
		rc = CG_ENOENT;
		cg_resp_404(r);
		goto out;
	}
	bdir(s, cg_rows_get(b, 0, 1), cg_rows_get(b, 0, 2), dir, sizeof dir);
	snprintf(p, sizeof p, "%s/%ld", dir, idx);
	uint64_t left = m->files[idx].size - (uint64_t)off;
	size_t want = left < CG_SRV_CHUNK ? (size_t)left : CG_SRV_CHUNK;
	r->raw = malloc(want ? want : 1);
	fd = open(p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	rc = !r->raw ? CG_ENOMEM : fd < 0 ? CG_EIO : 0;
	size_t got = 0;
	while (rc == 0 && got < want) {
		ssize_t n = pread(fd, r->raw + got, want - got, off + (off_t)got);
		if (n < 0 && errno != EINTR)
			rc = CG_EIO;
		else if (n == 0)
			rc = CG_EIO; /* shorter than the manifest says */
		else if (n > 0)
			got += (size_t)n;
	}
	if (rc) {
		free(r->raw);
		r->raw = NULL;
		cg_resp_dberr(r, rc);
		goto out;
	}
	r->status = 200;
	r->raw_len = got;
	r->raw_type = "application/octet-stream";
out:
	if (fd >= 0)
		close(fd);
	cg_manifest_free(m);
	cg_rows_free(b);
	return rc;
}

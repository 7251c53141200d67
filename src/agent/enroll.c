/* enroll.c - enrolment with a token (pin the CA whose fingerprint the token carries, then
 * POST /api/v1/agent/enroll verified) and re-enrolment after an identity conflict
 * (docs/agent-protocol.md). */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "canhgac/alloc.h"
#include "canhgac/crypto.h"
#include "canhgac/sys.h"
#include "agent_int.h"
#include "banned.h"

#define ENROLL_TRIES 6

static json_t *facts_now(void)
{
	struct cg_agent_facts f;
	cg_agent_facts_get(&f);
	return cg_agent_facts_json(&f);
}

/* Takes agent_id and secret (and unit when given) from a 200/201 answer. */
static int take_identity(struct cg_agent *a, const struct cg_http_resp *r)
{
	const char *id = json_string_value(json_object_get(r->json, "agent_id"));
	const char *sec = json_string_value(json_object_get(r->json, "secret"));
	const char *unit = json_string_value(json_object_get(r->json, "unit"));
	char path[4200], keep[CG_SECRET_LEN];

	/* A re-enrolment that keeps this identity (200) may not send the secret again. */
	if (!sec && r->status == 200 && a->have_id) {
		snprintf(keep, sizeof(keep), "%s", a->id.secret);
		sec = keep;
	}
	if (!id || !sec || strlen(id) >= sizeof(a->id.agent_id) || strlen(sec) >= CG_SECRET_LEN ||
	    (unit && strlen(unit) >= sizeof(a->id.unit)))
		return CG_EPARSE;
	snprintf(a->id.agent_id, sizeof(a->id.agent_id), "%s", id);
	snprintf(a->id.secret, sizeof(a->id.secret), "%s", sec);
	if (unit)
		snprintf(a->id.unit, sizeof(a->id.unit), "%s", unit);
	snprintf(path, sizeof(path), "%s/identity.json", a->dir);
	a->have_id = 1;
	return cg_agent_identity_save(path, &a->id) || cg_agent_client_set_secret(a->client, sec)
	           ? CG_EIO
	           : 0;
}

/* POST with retries on 429/503 and network errors (backoff with jitter, Retry-After). */
static int post_retry(struct cg_agent *a, const char *path, json_t *body, struct cg_http_resp *r)
{
	int rc = CG_EIO;
	for (unsigned i = 0; i < ENROLL_TRIES && !cg_stop_requested(); i++) {
		cg_http_resp_clear(r);
		a->retry_after = 0;
		rc = cg_agent_call(a, "POST", path, body, r);
		if (rc == CG_ECRYPTO)
			return rc; /* a TLS failure against the pinned CA does not go away by
			              waiting */
		if (rc == 0 && r->status != 429 && r->status != 503)
			return 0;
		cg_sleep_ms((long)cg_agent_backoff_random(i, a->retry_after));
	}
	return rc ? rc : CG_ETIMEOUT;
}

/* Keeps the Department's bundle key the server gave at enrolment (over the pinned channel) as
 * DATA_DIR/agent/bundle.pub, unless a key is already there (put by hand before enrolment, or
 * from an earlier enrolment): a key once pinned is never replaced by the server. */
static int pin_bundle_key(struct cg_agent *a, const char *pem)
{
	char p[4200];
	struct stat st;
	uint8_t raw[CG_ED25519_KEY_LEN];
	snprintf(p, sizeof(p), "%s/bundle.pub", a->dir);
	if (!pem || stat(p, &st) == 0)
		return 0;
	if (strlen(pem) > CG_ED25519_MAX_KEY_TEXT ||
	    cg_ed25519_key_read((const uint8_t *)pem, strlen(pem), raw) != 0) {
		cg_agent_log(CG_LOG_WARNING, "máy chủ gửi khóa bộ mẫu không hợp lệ: bỏ qua",
		             "the server sent an invalid bundle key: ignored");
		return 0;
	}
	return cg_write_file_atomic(p, pem, strlen(pem), 0644);
}

int cg_agent_enroll(struct cg_agent *a, const char *url, const char *token, struct cg_diags *d)
{
	struct cg_enroll_token t;
	struct cg_http_resp r = {0};
	char ca[4200], err[256], epoch[CG_SPOOL_EPOCH_LEN];
	json_t *body = NULL;
	int rc;

	if (a->have_id)
		return CG_EEXIST;
	memset(&t, 0, sizeof(t));
	rc = cg_enroll_token_decode(token, &t, d);
	if (rc)
		goto out;
	if (t.expires > 0 && t.expires < cg_now_ms() / 1000) {
		rc = cg_diags_add(d, CG_EPERM, "token", 0, 0, "mã đăng ký đã hết hạn",
		                  "the enrolment token has expired");
		goto out;
	}
	if (!url || !*url)
		url = t.url;
	if (strncmp(url, "https://", 8) != 0) {
		rc = cg_diags_add(d, CG_EINVAL, "url", 0, 0,
		                  "chỉ chấp nhận https://, không dùng '%.200s'",
		                  "only https:// is accepted, not '%.200s'", url);
		goto out;
	}
	snprintf(ca, sizeof(ca), "%s/ca.pem", a->dir);
	rc = cg_agent_fetch_ca(url, t.ca_fp, ca, err, sizeof(err));
	if (rc) {
		cg_diags_add(d, rc, url, 0, 0, "không lấy được chứng chỉ CA đúng dấu vân tay: %s",
		             "could not fetch a CA certificate matching the fingerprint: %s", err);
		goto out;
	}
	snprintf(a->id.server, sizeof(a->id.server), "%s", url);
	snprintf(a->id.unit, sizeof(a->id.unit), "%s", t.unit);
	rc = cg_agent_client_new(url, ca, NULL, &a->client);
	if (rc == 0) /* a new identity starts a new epoch */
		rc = cg_spool_new_epoch(a->spool, epoch);
	if (rc == 0 && !(body = json_pack("{s:s, s:s, s:o*}", "token", token, "epoch", epoch,
	                                  "facts", facts_now())))
		rc = CG_ENOMEM;
	if (rc == 0)
		rc = post_retry(a, "/api/v1/agent/enroll", body, &r);
	if (rc == 0 && r.status != 201 && r.status != 200) {
		rc = r.status == 401 ? CG_EPERM : CG_EIO;
		cg_diags_add(d, rc, url, 0, 0, "máy chủ từ chối đăng ký: HTTP %ld %s",
		             "the server refused enrolment: HTTP %ld %s", r.status,
		             cg_agent_errcode(&r));
	} else if (rc == 0) {
		rc = take_identity(a, &r);
	}
	if (rc == 0)
		rc = pin_bundle_key(a, json_string_value(json_object_get(r.json, "bundle_key")));
	if (rc == 0) {
		json_int_t hb = json_integer_value(json_object_get(r.json, "heartbeat_s"));
		if (hb >= 10 && hb <= 86400)
			a->heartbeat_s = (int)hb;
	}
out:
	json_decref(body);
	cg_http_resp_clear(&r);
	memset(&t, 0, sizeof(t));
	return rc;
}

int cg_agent_reenroll(struct cg_agent *a)
{
	struct cg_spool_stats st;
	struct cg_http_resp r = {0};
	char from[CG_SPOOL_EPOCH_LEN] = "";
	json_t *body = NULL;
	int rc;

	/* Remember the epoch the conflict was found in, then leave it: after a restart in between,
	 * the flag says whether the renumbering already happened. */
	rc = cg_spool_stats(a->spool, &st);
	if (rc == 0 && (cg_spool_meta_get(a->spool, "reenroll_from", from, sizeof(from)) != 0 ||
	                from[0] == '\0')) {
		memcpy(from, st.epoch, sizeof(from));
		rc = cg_spool_meta_set(a->spool, "reenroll_from", from);
	}
	if (rc == 0 && strcmp(from, st.epoch) == 0)
		rc = cg_spool_new_epoch(a->spool, st.epoch);
	cg_agent_log(CG_LOG_WARNING, "xung đột danh tính: đăng ký lại với epoch %s",
	             "identity conflict: re-enrolling with epoch %s", st.epoch);
	if (rc == 0 && !(body = json_pack("{s:s, s:o*}", "epoch", st.epoch, "facts", facts_now())))
		rc = CG_ENOMEM;
	if (rc == 0)
		rc = cg_agent_call(a, "POST", "/api/v1/agent/reenroll", body, &r);
	if (rc == 0 && (r.status == 200 || r.status == 201)) {
		if (r.status == 201)
			cg_agent_log(CG_LOG_WARNING, "máy chủ cấp danh tính mới (máy nhân bản)",
			             "the server gave a new identity (a cloned machine)");
		rc = take_identity(a, &r);
		if (rc == 0)
			rc = cg_spool_meta_set(a->spool, "reenroll_from", "");
	} else if (rc == 0) {
		rc = r.status == 401 ? CG_EPERM : CG_EIO;
	}
	json_decref(body);
	cg_http_resp_clear(&r);
	return rc;
}

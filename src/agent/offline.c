/* offline.c - tasks carried on a USB stick to a site that is rarely online (docs/agent.md
 * "Offline"): the server's signed document (POST /api/v1/hosts/ID/offline) is checked against the
 * CA pinned at enrolment, must name this agent and be unexpired; each task runs once (the
 * highest task id run offline is remembered), its result spooled for `agent export`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/auth.h"
#include "canhgac/crypto.h"
#include "canhgac/sys.h"
#include "agent_int.h"
#include "banned.h"

#define MAX_PAYLOAD (1u << 20)
#define MAX_SIG_TEXT 512

/* Decodes base64 text s into a new buffer of at most max bytes. */
static int b64(const char *s, size_t max, uint8_t **out, size_t *n)
{
	size_t len = s ? strlen(s) : 0;
	if (!s || len == 0 || len > CG_BASE64_LEN(max))
		return CG_EPARSE;
	*out = cg_malloc(len + 1);
	if (!*out)
		return CG_ENOMEM;
	if (cg_base64_decode(s, len, *out, len + 1, n) != 0) {
		cg_free(*out);
		*out = NULL;
		return CG_EPARSE;
	}
	return 0;
}

int cg_agent_offline_open(struct cg_agent *a, const char *buf, size_t len, const char *source,
                          json_t **tasks, struct cg_diags *d)
{
	json_t *env = json_loadb(buf, len, JSON_REJECT_DUPLICATES, NULL), *doc = NULL;
	uint8_t *payload = NULL, *sig = NULL, *ca = NULL;
	size_t plen = 0, slen = 0, calen = 0;
	char cap[4200];
	int rc = 0;
	*tasks = NULL;
	const char *fmt = json_string_value(json_object_get(env, "format"));
	const char *cert = json_string_value(json_object_get(env, "cert"));
	if (!fmt || strcmp(fmt, "canhgac.offline/1") != 0 || !cert) {
		rc = cg_diags_add(d, CG_EPARSE, source, 0, 0,
		                  "không phải tệp nhiệm vụ của canhgac (canhgac.offline/1)",
		                  "not a canhgac tasks file (canhgac.offline/1)");
		goto out;
	}
	rc = b64(json_string_value(json_object_get(env, "payload")), MAX_PAYLOAD, &payload, &plen);
	if (rc == 0)
		rc = b64(json_string_value(json_object_get(env, "signature")), CG_PKI_MAX_SIG, &sig,
		         &slen);
	snprintf(cap, sizeof cap, "%s/ca.pem", a->dir);
	if (rc == 0)
		rc = cg_read_file(cap, CG_AGENT_MAX_CA_PEM, &ca, &calen);
	char *capem = rc == 0 ? cg_malloc(calen + 1) : NULL;
	if (rc == 0 && !capem)
		rc = CG_ENOMEM;
	if (rc == 0) {
		memcpy(capem, ca, calen);
		capem[calen] = 0;
		rc = slen > CG_PKI_MAX_SIG
		         ? CG_EBADSIG
		         : cg_pki_verify(capem, cert, payload, plen, sig, slen, cg_now_ms() / 1000);
	}
	cg_free(capem);
	if (rc) {
		cg_diags_add(d, rc, source, 0, 0,
		             "chữ ký không hợp lệ: tệp không do máy chủ của máy này tạo (%s)",
		             "bad signature: the file was not made by this host's server (%s)",
		             cg_strerror(rc));
		goto out;
	}
	doc = json_loadb((const char *)payload, plen, JSON_REJECT_DUPLICATES, NULL);
	const char *who = json_string_value(json_object_get(doc, "agent_id"));
	json_int_t exp = json_integer_value(json_object_get(doc, "expires_ms"));
	if (!who || strcmp(who, a->id.agent_id) != 0) {
		rc = cg_diags_add(d, CG_EPERM, source, 0, 0, "tệp dành cho máy khác (%.100s)",
		                  "the file is for another host (%.100s)", who ? who : "?");
	} else if (exp <= cg_now_ms()) {
		rc = cg_diags_add(d, CG_ETIMEOUT, source, 0, 0, "tệp nhiệm vụ đã hết hạn",
		                  "the tasks file has expired");
	} else if (!json_is_array(json_object_get(doc, "tasks"))) {
		rc =
		    cg_diags_add(d, CG_EPARSE, source, 0, 0, "thiếu 'tasks'", "'tasks' is missing");
	} else {
		*tasks = json_incref(json_object_get(doc, "tasks"));
	}
out:
	json_decref(doc);
	json_decref(env);
	cg_free(payload);
	cg_free(sig);
	cg_free(ca);
	return rc;
}

int cg_agent_offline_run(struct cg_agent *a, json_t *tasks, size_t *ran, size_t *skipped)
{
	char v[32];
	long long done = 0;
	json_t *t;
	size_t i;
	*ran = *skipped = 0;
	if (cg_spool_meta_get(a->spool, "offline_max_task", v, sizeof v) == 0)
		done = strtoll(v, NULL, 10);
	json_array_foreach(tasks, i, t)
	{
		json_int_t id = json_integer_value(json_object_get(t, "id"));
		if (id <= done || cg_stop_requested()) {
			(*skipped)++;
			continue;
		}
		/* remembered first: a task is never run twice, even after a crash mid-task */
		snprintf(v, sizeof v, "%lld", (long long)id);
		int rc = cg_spool_meta_set(a->spool, "offline_max_task", v);
		if (rc)
			return rc;
		done = id;
		(void)cg_agent_task_offline(a, t);
		(*ran)++;
	}
	return 0;
}

/* quartask.c - the server's quarantine and restore tasks. A quarantine names a (path, SHA-256)
 * this agent reported; the file is taken only if it still has that digest (the quarantine store
 * checks while it copies, on the descriptor it opened without following links). Each outcome is
 * a spooled event (quarantine.added / quarantine.refused / quarantine.restored) with the task
 * id, so the server's view follows. */
#include <stdio.h>
#include <string.h>

#include "canhgac/event.h"
#include "canhgac/quarantine.h"
#include "agent_int.h"
#include "canhgac/sys.h"
#include "banned.h"

static int hex32(const char *s, uint8_t out[32])
{
	if (!s || strlen(s) != 64)
		return CG_EINVAL;
	for (int i = 0; i < 32; i++) {
		unsigned v = 0;
		for (int k = 0; k < 2; k++) {
			char c = s[i * 2 + k];
			v <<= 4;
			if (c >= '0' && c <= '9')
				v |= (unsigned)(c - '0');
			else if (c >= 'a' && c <= 'f')
				v |= (unsigned)(c - 'a' + 10);
			else
				return CG_EINVAL;
		}
		out[i] = (uint8_t)v;
	}
	return 0;
}

static int open_store(struct cg_agent *a, struct cg_quar **q)
{
	char dir[4200], log[4200];
	snprintf(dir, sizeof(dir), "%s/quarantine", a->data_dir);
	snprintf(log, sizeof(log), "%s/actions.log", a->data_dir);
	return cg_quar_open2(dir, log, q);
}

static int spool_outcome(struct cg_agent *a, long task, const char *kind, const char *action,
                         enum cg_severity sev, const char *path, const char *sha,
                         const char *detail)
{
	json_t *ev =
	    json_pack("{s:s, s:I, s:s, s:s, s:i, s:s?, s:s, s:s?, s:I}", "schema", CG_EVENT_SCHEMA,
	              "time_ms", (json_int_t)cg_now_ms(), "kind", kind, "severity",
	              cg_severity_name(sev), "severity_level", (int)sev, "path", path, "action",
	              action, "detail", detail, "task", (json_int_t)task);
	if (ev && sha)
		json_object_set_new(ev, "digests", json_pack("{s:s}", "sha256", sha));
	int rc = ev ? cg_agent_spool_json(a, ev) : CG_ENOMEM;
	json_decref(ev);
	return rc;
}

int cg_agent_task_quarantine(struct cg_agent *a, long task, json_t *args, json_t **result)
{
	const char *path = json_string_value(json_object_get(args, "path"));
	const char *sha = json_string_value(json_object_get(args, "sha256"));
	uint8_t digest[32];
	char id[CG_QUAR_ID_LEN], why[160];
	char reason[64];
	struct cg_quar *q = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	if (!path || !cg_path_is_absolute(path) || hex32(sha, digest) != 0)
		return CG_EINVAL;
	snprintf(reason, sizeof(reason), "server task %ld", task);
	struct cg_quar_req req = {.path = path, .sha256 = digest, .reason = reason};
	int rc = open_store(a, &q);
	if (rc == 0)
		rc = cg_quar_add(q, &req, id, &d);
	cg_quar_close(q);
	if (rc == 0) {
		*result = json_pack("{s:s}", "id", id);
		rc = spool_outcome(a, task, "quarantine.added", "quarantined", CG_SEV_HIGH, path,
		                   sha, id);
	} else {
		snprintf(why, sizeof(why), "%s",
		         d.n ? cg_tr(d.v[0].msg_vi, d.v[0].msg_en) : cg_strerror(rc));
		*result = json_pack("{s:s}", "error", why);
		(void)spool_outcome(a, task, "quarantine.refused",
		                    rc == CG_EREFUSED ? "refused" : "failed", CG_SEV_MEDIUM, path,
		                    sha, why);
	}
	cg_diags_clear(&d);
	return rc;
}

int cg_agent_task_restore(struct cg_agent *a, long task, json_t *args, json_t **result)
{
	const char *id = json_string_value(json_object_get(args, "id"));
	struct cg_quar *q = NULL;
	struct cg_quar_entry e;
	memset(&e, 0, sizeof(e));
	if (!id || strlen(id) != CG_QUAR_ID_LEN - 1)
		return CG_EINVAL;
	int rc = open_store(a, &q);
	if (rc == 0)
		rc = cg_quar_get(q, id, &e);
	if (rc == 0)
		rc = cg_quar_restore(q, id, NULL, 0);
	cg_quar_close(q);
	if (rc == 0) {
		char sha[65];
		for (int i = 0; i < 32; i++)
			snprintf(sha + i * 2, 3, "%02x", e.sha256[i]);
		*result = json_pack("{s:s, s:s?}", "id", id, "path", e.path);
		rc = spool_outcome(a, task, "quarantine.restored", "restored", CG_SEV_MEDIUM,
		                   e.path, sha, id);
	}
	cg_quar_entry_clear(&e);
	return rc;
}

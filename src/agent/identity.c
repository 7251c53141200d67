/* identity.c - the agent's identity file (DATA_DIR/agent/identity.json, mode 0600, written
 * atomically) and the retry schedule: exponential backoff with full jitter. */
#include <jansson.h>
#include <sodium.h>
#include <string.h>

#include "canhgac/agentclient.h"
#include "canhgac/alloc.h"
#include "canhgac/sys.h"
#include "banned.h"

int64_t cg_agent_backoff_ms(unsigned attempt, long retry_after_s, uint32_t rnd)
{
	int64_t cap = CG_AGENT_BACKOFF_MIN_MS, ms;

	for (unsigned i = 0; i < attempt && cap < CG_AGENT_BACKOFF_MAX_MS; i++)
		cap *= 2;
	if (cap > CG_AGENT_BACKOFF_MAX_MS)
		cap = CG_AGENT_BACKOFF_MAX_MS;
	ms = (int64_t)(((uint64_t)rnd * (uint64_t)(cap + 1)) >> 32); /* uniform in [0, cap] */
	if (retry_after_s > 0) {
		int64_t ra = (int64_t)(retry_after_s > 86400 ? 86400 : retry_after_s) * 1000;
		if (ms < ra)
			ms = ra;
	}
	return ms;
}

int64_t cg_agent_backoff_random(unsigned attempt, long retry_after_s)
{
	if (sodium_init() < 0)
		return cg_agent_backoff_ms(attempt, retry_after_s, 0x7fffffffu);
	return cg_agent_backoff_ms(attempt, retry_after_s, randombytes_random());
}

static int get_str(json_t *o, const char *k, char *out, size_t cap, int required)
{
	const char *v = json_string_value(json_object_get(o, k));
	if (!v)
		return required ? CG_EPARSE : 0;
	if (strlen(v) >= cap)
		return CG_EPARSE;
	memcpy(out, v, strlen(v) + 1);
	return 0;
}

int cg_agent_identity_load(const char *path, struct cg_agent_identity *id)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	json_t *o = NULL;
	int rc;

	memset(id, 0, sizeof(*id));
	rc = cg_read_file(path, 64 << 10, &buf, &len);
	if (rc)
		return rc;
	o = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, NULL);
	rc = json_is_object(o) ? 0 : CG_EPARSE;
	if (rc == 0)
		rc = get_str(o, "agent_id", id->agent_id, sizeof(id->agent_id), 1);
	if (rc == 0)
		rc = get_str(o, "secret", id->secret, sizeof(id->secret), 1);
	if (rc == 0)
		rc = get_str(o, "server", id->server, sizeof(id->server), 1);
	if (rc == 0)
		rc = get_str(o, "unit", id->unit, sizeof(id->unit), 0);
	json_decref(o);
	sodium_memzero(buf, len);
	cg_free(buf);
	return rc;
}

int cg_agent_identity_save(const char *path, const struct cg_agent_identity *id)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "agent_id", id->agent_id, "secret",
	                      id->secret, "server", id->server, "unit", id->unit);
	char *js = o ? json_dumps(o, JSON_INDENT(2)) : NULL;
	int rc = js ? cg_write_file_atomic(path, js, strlen(js), 0600) : CG_ENOMEM;
	if (js)
		sodium_memzero(js, strlen(js));
	cg_free(js);
	json_decref(o);
	return rc;
}

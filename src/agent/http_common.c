/* http_common.c - the parts of the agent's HTTPS client (agentclient.h) that do not depend on
 * the transport: answers, and JSON requests over cg_agent_request_raw (libcurl on Linux, client.c;
 * WinHTTP on Windows, src/platform/win/agent_http.c). */
#include <string.h>

#include "canhgac/agentclient.h"
#include "canhgac/alloc.h"
#include "banned.h"

void cg_http_resp_clear(struct cg_http_resp *r)
{
	if (!r)
		return;
	cg_free(r->body);
	json_decref(r->json);
	memset(r, 0, sizeof(*r));
}

int cg_agent_request(struct cg_agent_client *c, const char *method, const char *path,
                     const json_t *body, struct cg_http_resp *r, char *err, size_t errcap)
{
	char *js = NULL;
	int rc;

	if (!c || !method || !path || !r)
		return CG_EINVAL;
	if (strcmp(method, "POST") == 0) {
		js = body ? json_dumps(body, JSON_COMPACT) : cg_strdup("{}");
		if (!js)
			return CG_ENOMEM;
	}
	rc = cg_agent_request_raw(c, method, path, "application/json", js, js ? strlen(js) : 0, r,
	                          err, errcap);
	cg_free(js);
	return rc;
}

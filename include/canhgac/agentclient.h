/* agentclient.h - the agent's HTTPS client of docs/agent-protocol.md (libcurl): the pinned CA
 * only (DATA_DIR/agent/ca.pem), peer and host-name verification, https:// only, connect timeout
 * 10 s, total 60 s, responses of at most 4 MiB, `Authorization: Bearer <agent secret>`. Also the
 * agent's identity file and the retry schedule. Not thread-safe per client. */
#ifndef CANHGAC_AGENTCLIENT_H
#define CANHGAC_AGENTCLIENT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "canhgac/auth.h"
#include "canhgac/error.h"

#define CG_AGENT_MAX_RESPONSE (4ul << 20)
/* The largest response cap a client may set (cg_agent_client_set_max_response). */
#define CG_AGENT_MAX_RESPONSE_CAP (16ul << 20)
#define CG_AGENT_MAX_CA_PEM (64ul << 10)
#define CG_AGENT_BACKOFF_MIN_MS 2000
#define CG_AGENT_BACKOFF_MAX_MS 600000

struct cg_agent_client;

/* One answer: HTTP status, body (NUL-terminated, cg_free), Retry-After in seconds (0 when
 * absent), the parsed JSON body when it was JSON (json_decref), else NULL. */
struct cg_http_resp {
	long status;
	char *body;
	size_t len;
	long retry_after;
	json_t *json;
};
void cg_http_resp_clear(struct cg_http_resp *r);

/* A client for base_url (must be https://, CG_EINVAL otherwise) trusting only the CA in
 * ca_file. secret may be NULL (enrolment). */
int cg_agent_client_new(const char *base_url, const char *ca_file, const char *secret,
                        struct cg_agent_client **out);
void cg_agent_client_free(struct cg_agent_client *c);
/* Process-wide: the local address every connection leaves from ("" or NULL = any). */
void cg_agent_client_set_source(const char *addr);
int cg_agent_client_set_secret(struct cg_agent_client *c, const char *secret);
/* Answers larger than max bytes give CG_ELIMIT (default CG_AGENT_MAX_RESPONSE; at most
 * CG_AGENT_MAX_RESPONSE_CAP, CG_EINVAL otherwise). */
int cg_agent_client_set_max_response(struct cg_agent_client *c, size_t max);

/* method "GET" or "POST"; path e.g. "/api/v1/agent/heartbeat"; body may be NULL. Returns 0 when
 * an HTTP answer arrived (any status: look at r->status), CG_ETIMEOUT, CG_ELIMIT (answer too
 * large), CG_ECRYPTO (TLS or certificate verification failed) or CG_EIO (network). *err (may be
 * NULL) receives curl's message for logs. */
int cg_agent_request(struct cg_agent_client *c, const char *method, const char *path,
                     const json_t *body, struct cg_http_resp *r, char *err, size_t errcap);

/* The same with a body of any type: method "GET" (body ignored) or "POST" with len bytes of
 * body (at most CG_AGENT_MAX_RESPONSE, CG_ELIMIT otherwise) sent as Content-Type ctype (one
 * header line: CG_EINVAL when it holds CR/LF). cg_agent_request is this with JSON. */
int cg_agent_request_raw(struct cg_agent_client *c, const char *method, const char *path,
                         const char *ctype, const void *body, size_t len, struct cg_http_resp *r,
                         char *err, size_t errcap);

/* Enrolment's first step: GET base_url/api/v1/ca.pem WITHOUT verifying TLS (the only such
 * fetch), check that SHA-256 over the first certificate's DER equals fp_hex (CG_ECRYPTO when
 * not), and save that certificate alone, as PEM, atomically at save_path. */
int cg_agent_fetch_ca(const char *base_url, const char *fp_hex, const char *save_path, char *err,
                      size_t errcap);

/* The wait before retry number `attempt` (0-based): full jitter, a uniform random value in
 * [0, min(10 min, 2 s * 2^attempt)], but never less than Retry-After (seconds, 0 = none). rnd is
 * a uniform 32-bit random number (pure: tests pass their own). */
int64_t cg_agent_backoff_ms(unsigned attempt, long retry_after_s, uint32_t rnd);
/* The same with a random number from the CSPRNG. */
int64_t cg_agent_backoff_random(unsigned attempt, long retry_after_s);

/* DATA_DIR/agent/identity.json, mode 0600, written atomically. */
struct cg_agent_identity {
	char agent_id[128];
	char secret[CG_SECRET_LEN];
	char server[512];
	char unit[64];
};
int cg_agent_identity_load(const char *path, struct cg_agent_identity *id);
int cg_agent_identity_save(const char *path, const struct cg_agent_identity *id);

#endif

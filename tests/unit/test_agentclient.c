/* test_agentclient.c - the agent client's pure parts: the retry schedule (full jitter, caps,
 * Retry-After), the identity file (mode 0600, round trip, refusals) and the refusal of
 * plain http://. The TLS exchanges are tested by tests/integration/test_agent_server.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "canhgac/agentclient.h"
#include "canhgac/error.h"

static void backoff(void **state)
{
	(void)state;
	assert_int_equal(cg_agent_backoff_ms(0, 0, 0), 0);
	assert_int_equal(cg_agent_backoff_ms(0, 0, UINT32_MAX), 2000);
	assert_int_equal(cg_agent_backoff_ms(1, 0, UINT32_MAX), 4000);
	assert_int_equal(cg_agent_backoff_ms(3, 0, UINT32_MAX), 16000);
	assert_int_equal(cg_agent_backoff_ms(20, 0, UINT32_MAX), 600000); /* capped at 10 min */
	assert_int_equal(cg_agent_backoff_ms(1000, 0, UINT32_MAX), 600000);
	assert_int_equal(cg_agent_backoff_ms(2, 0, UINT32_MAX / 2), 4000); /* half of 8 s */
	/* Retry-After is a floor, even above the cap */
	assert_int_equal(cg_agent_backoff_ms(0, 30, 0), 30000);
	assert_int_equal(cg_agent_backoff_ms(20, 3600, UINT32_MAX), 3600000);
	assert_int_equal(cg_agent_backoff_ms(20, 5, UINT32_MAX), 600000);
	for (int i = 0; i < 100; i++) {
		int64_t ms = cg_agent_backoff_random(4, 0);
		assert_true(ms >= 0 && ms <= 32000);
	}
}

static void identity(void **state)
{
	char dir[64], path[128];
	struct cg_agent_identity id, back;
	struct stat st;
	FILE *f;
	(void)state;

	snprintf(dir, sizeof(dir), "/tmp/cg-id-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/identity.json", dir);
	memset(&id, 0, sizeof(id));
	snprintf(id.agent_id, sizeof(id.agent_id), "ag-42");
	snprintf(id.secret, sizeof(id.secret), "cga_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG");
	snprintf(id.server, sizeof(id.server), "https://cg.example:8443");
	snprintf(id.unit, sizeof(id.unit), "THPT-A");
	assert_int_equal(cg_agent_identity_save(path, &id), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(cg_agent_identity_load(path, &back), 0);
	assert_memory_equal(&id, &back, sizeof(id));
	/* a missing secret, a wrong type, a secret too long: refused */
	f = fopen(path, "w");
	fputs("{\"agent_id\":\"a\",\"server\":\"https://x\"}", f);
	fclose(f);
	assert_int_equal(cg_agent_identity_load(path, &back), CG_EPARSE);
	f = fopen(path, "w");
	fputs("{\"agent_id\":1,\"secret\":\"s\",\"server\":\"https://x\"}", f);
	fclose(f);
	assert_int_equal(cg_agent_identity_load(path, &back), CG_EPARSE);
	f = fopen(path, "w");
	fprintf(f, "{\"agent_id\":\"a\",\"server\":\"https://x\",\"secret\":\"%0100d\"}", 0);
	fclose(f);
	assert_int_equal(cg_agent_identity_load(path, &back), CG_EPARSE);
	unlink(path);
	assert_int_equal(cg_agent_identity_load(path, &back), CG_ENOENT);
	rmdir(dir);
}

static void https_only(void **state)
{
	struct cg_agent_client *c = NULL;
	(void)state;
	assert_int_equal(cg_agent_client_new("http://cg.example", "/nonexistent", NULL, &c),
	                 CG_EINVAL);
	assert_null(c);
	assert_int_equal(cg_agent_client_new("cg.example", "/nonexistent", NULL, &c), CG_EINVAL);
	assert_int_equal(cg_agent_fetch_ca("http://cg.example", "00", "/tmp/x", NULL, 0),
	                 CG_EINVAL);
	assert_int_equal(cg_agent_client_new("https://cg.example/", "/nonexistent", NULL, &c), 0);
	assert_int_equal(cg_agent_client_set_secret(c, "cga_x\r\nX-Evil: 1"), CG_EINVAL);
	cg_agent_client_free(c);
}

/* The raw request and the response cap refuse bad arguments before any network use. */
static void raw_args(void **state)
{
	struct cg_agent_client *c = NULL;
	struct cg_http_resp r;
	static char big[CG_AGENT_MAX_RESPONSE + 1];
	(void)state;
	assert_int_equal(cg_agent_client_new("https://127.0.0.1:1", "/nonexistent", "cgt_x", &c),
	                 0);
	assert_int_equal(cg_agent_client_set_max_response(c, 0), CG_EINVAL);
	assert_int_equal(cg_agent_client_set_max_response(c, CG_AGENT_MAX_RESPONSE_CAP + 1),
	                 CG_EINVAL);
	assert_int_equal(cg_agent_client_set_max_response(c, CG_AGENT_MAX_RESPONSE_CAP), 0);
	assert_int_equal(
	    cg_agent_request_raw(c, "POST", "/x", "text/csv\r\nX-Evil: 1", "a", 1, &r, NULL, 0),
	    CG_EINVAL);
	assert_int_equal(
	    cg_agent_request_raw(c, "POST", "/x", "text/csv", big, sizeof(big), &r, NULL, 0),
	    CG_ELIMIT);
	assert_int_equal(cg_agent_request_raw(c, "POST", "/x", "text/csv", NULL, 5, &r, NULL, 0),
	                 CG_EINVAL);
	assert_int_equal(cg_agent_request_raw(c, "PUT", "/x", "text/csv", "a", 1, &r, NULL, 0),
	                 CG_EINVAL);
	assert_int_equal(cg_agent_request_raw(c, "GET", "x", NULL, NULL, 0, &r, NULL, 0),
	                 CG_EINVAL);
	cg_agent_client_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(backoff),
	    cmocka_unit_test(identity),
	    cmocka_unit_test(https_only),
	    cmocka_unit_test(raw_args),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

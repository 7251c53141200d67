/* fuzz_offline.c - fuzzes the agent's reader of a tasks file carried on a USB stick
 * (cg_agent_offline_open: the canhgac.offline/1 envelope, its base64 payload and signature, the
 * certificate checked against the pinned CA, the payload's fields). The input is the file.
 * The pinned CA is fixed here; fuzz/corpus/offline/valid is a document signed by a server
 * certificate of that CA (its private key was thrown away). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "canhgac/agentrun.h"
#include "canhgac/sys.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char ca_pem[] = "-----BEGIN CERTIFICATE-----\n"
                             "MIIBjTCCATSgAwIBAgIQQmkpZBnpbDUWwO2ciwJtpzAKBggqhkjOPQQDAjAVMRMw\n"
                             "EQYDVQQDDApjYW5oZ2FjIENBMB4XDTI2MTIwMzEyNDU1MFoXDTM2MTEzMDEzNDU1\n"
                             "MFowFTETMBEGA1UEAwwKY2FuaGdhYyBDQTBZMBMGByqGSM49AgEGCCqGSM49AwEH\n"
                             "A0IABMxMzholo6lxIwdDeYG67vO6zHuKWSSxgQOw2HiJu4qJUTaRKX2RmHcGQlkF\n"
                             "bZboJ397mu8ZF58jKjVpUNF/+tijZjBkMBIGA1UdEwEB/wQIMAYBAf8CAQAwDgYD\n"
                             "VR0PAQH/BAQDAgEGMB0GA1UdDgQWBBS+19EDp/tZrShAdqeQBWbiw8o8KjAfBgNV\n"
                             "HSMEGDAWgBS+19EDp/tZrShAdqeQBWbiw8o8KjAKBggqhkjOPQQDAgNHADBEAiB9\n"
                             "suMcsed5tpJmb9QczcAzgNTIQu6LX21iyVeUVPTt7AIgNqyBr5sisGviUxdtRvC2\n"
                             "55kYY+VmcbiP6A33OvNsrlA=\n"
                             "-----END CERTIFICATE-----\n";

static char dir[] = "/tmp/cg-fuzz-offline-XXXXXX";
static struct cg_agent agent;
static int ready;

static void cleanup(void)
{
	char p[128];
	snprintf(p, sizeof p, "%s/ca.pem", dir);
	unlink(p);
	rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char p[128];
	json_t *tasks = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	if (!ready) {
		if (!mkdtemp(dir))
			abort();
		snprintf(p, sizeof p, "%s/ca.pem", dir);
		if (cg_write_file_atomic(p, ca_pem, strlen(ca_pem), 0644) != 0)
			abort();
		atexit(cleanup);
		snprintf(agent.dir, sizeof agent.dir, "%s", dir);
		snprintf(agent.id.agent_id, sizeof agent.id.agent_id, "ag-fuzz");
		ready = 1;
	}
	int rc = cg_agent_offline_open(&agent, (const char *)data, size, "fuzz", &tasks, &d);
	if (rc == 0 && !json_is_array(tasks))
		abort(); /* success always gives the task list */
	if (getenv("CG_FUZZ_OFFLINE_TRACE"))
		fprintf(stderr, "-> %s\n", cg_strerror(rc));
	json_decref(tasks);
	cg_diags_clear(&d);
	return 0;
}

/* fuzz_agentconf.c - fuzzes the agent's configuration parser (agent.conf) and the schedule
 * parser on the raw input. */
#include <stdint.h>
#include <string.h>

#include "canhgac/agentconf.h"
#include "canhgac/error.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cg_agentconf c;
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_agent_sched s;
	char line[64];

	cg_agentconf_defaults(&c);
	(void)cg_agentconf_parse((const char *)data, size, "fuzz.conf", &c, &d);
	cg_diags_clear(&d);
	if (size < sizeof(line)) {
		memcpy(line, data, size);
		line[size] = '\0';
		(void)cg_agent_sched_parse(line, &s);
	}
	return 0;
}

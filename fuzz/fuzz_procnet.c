/* fuzz_procnet.c - fuzzes the /proc/net/{tcp,udp}{,6} parser: the first byte picks the file
 * kind, the rest is its text; then the net.connections event is built from what was read. */
#include <stdint.h>

#include "canhgac/agent.h"
#include "canhgac/error.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const protos[4] = {"tcp", "tcp6", "udp", "udp6"};
	struct cg_netconns c = {0};
	size_t bad = 0;
	json_t *e;

	if (size < 1)
		return 0;
	if (cg_procnet_parse((const char *)data + 1, size - 1, protos[data[0] & 3], &c, &bad) ==
	    0) {
		e = cg_netconns_event(&c, 0);
		json_decref(e);
	}
	cg_netconns_clear(&c);
	return 0;
}

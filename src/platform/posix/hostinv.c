/* hostinv.c - the PC inventory (hostinv.h) exists only on Windows. */
#include <string.h>

#include "canhgac/hostinv.h"
#include "banned.h"

int cg_host_inventory(struct cg_wininv *out, struct cg_diags *d)
{
	(void)d;
	memset(out, 0, sizeof(*out));
	return CG_EUNSUPP;
}

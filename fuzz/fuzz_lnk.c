/* fuzz_lnk.c - fuzzes the shortcut (.lnk) parser, then plans usb-clean over the parsed link
 * standing beside a hidden folder of its own name. */
#include <stdint.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/lnk.h"
#include "canhgac/usbclean.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_lnk l;
	if (cg_lnk_parse(data, size, "fuzz", &l, &d) == 0) {
		struct cg_usb_entry e[3] = {
		    {"a.lnk", 0, size, &l},
		    {"a", CG_FA_DIRECTORY | CG_FA_HIDDEN, 0, NULL},
		    {l.arguments ? l.arguments : "x.vbs", CG_FA_HIDDEN, 1, NULL},
		};
		struct cg_usb_decision out[3];
		int infected;
		if (cg_usbclean_plan(e, 3, out, &infected) != 0)
			__builtin_trap();
		cg_lnk_clear(&l);
	}
	cg_diags_clear(&d);
	return 0;
}

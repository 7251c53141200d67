/* winrel_cli.c - the Windows releases data (winrel.h) for the commands: the Department's own
 * copy DATA_DIR/windows-releases.csv when it exists, else the copy of
 * data/windows-releases.csv built into the program. Loaded once. */
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/limits.h"
#include "canhgac/sys.h"
#include "canhgac/winrel.h"
#include "cli.h"
#include "banned.h"

extern const unsigned char cg_winrels_builtin[];
extern const size_t cg_winrels_builtin_len;

static struct cg_winrels *loaded;
static int tried;

const struct cg_winrels *cg_cli_winrels(const struct cg_cli *c)
{
	struct cg_diags d = CG_DIAGS_INIT;
	char path[4200];
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc;

	if (tried)
		return loaded;
	tried = 1;
	if (cg_cli_read_override(c, "windows-releases.csv", CG_MAX_WINREL_FILE, &buf, &len, path,
	                         sizeof(path))) {
		rc = cg_winrels_parse(buf, len, path, &loaded, &d);
		cg_cli_print_diags(&d);
		cg_diags_clear(&d);
		cg_free(buf);
		if (rc)
			cg_cli_err(cg_tr("%s: %s; dùng bảng phiên bản Windows có sẵn",
			                 "%s: %s; using the built-in Windows releases table"),
			           path, cg_strerror(rc));
	}
	if (!loaded && cg_winrels_parse(cg_winrels_builtin, cg_winrels_builtin_len,
	                                "windows-releases.csv", &loaded, NULL) != 0)
		loaded = NULL;
	return loaded;
}

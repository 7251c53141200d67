/* families_cli.c - the botnet families data (families.h) for the commands: the Department's own
 * copy DATA_DIR/families.csv when it exists, else the copy of data/families.csv built into the
 * program. Loaded once. */
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/families.h"
#include "canhgac/limits.h"
#include "canhgac/sys.h"
#include "cli.h"
#include "banned.h"

extern const unsigned char cg_families_builtin[];
extern const size_t cg_families_builtin_len;

static struct cg_families *loaded;
static int tried;

const struct cg_families *cg_cli_families(const struct cg_cli *c)
{
	struct cg_diags d = CG_DIAGS_INIT;
	char path[4200];
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc;

	if (tried)
		return loaded;
	tried = 1;
	if (cg_cli_read_override(c, "families.csv", CG_MAX_FAMILIES_FILE, &buf, &len, path,
	                         sizeof(path))) {
		rc = cg_families_parse(buf, len, path, &loaded, &d);
		cg_cli_print_diags(&d);
		cg_diags_clear(&d);
		cg_free(buf);
		if (rc)
			cg_cli_err(cg_tr("%s: %s; dùng bảng họ mã độc có sẵn",
			                 "%s: %s; using the built-in families table"),
			           path, cg_strerror(rc));
	}
	if (!loaded && cg_families_parse(cg_families_builtin, cg_families_builtin_len,
	                                 "families.csv", &loaded, NULL) != 0)
		loaded = NULL;
	return loaded;
}

/* cli_units.h - what `match units`, `feed split` and `feed merge-replies` share: loading the
 * units file and spreadsheets, and the botnet rows of a feed from the store. */
#ifndef CANHGAC_CLI_UNITS_H
#define CANHGAC_CLI_UNITS_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/feedstore.h"
#include "canhgac/roundtrip.h"
#include "canhgac/table.h"
#include "canhgac/units.h"
#include "cli.h"

/* Reads a CSV/XLSX file into a table; prints problems. */
int cg_cli_read_table(const char *path, struct cg_table **out);
/* Reads and parses the units file; prints errors and warnings. */
int cg_cli_load_units(const char *path, struct cg_units **out);
/* Opens the feed store of the data directory; prints problems. */
int cg_cli_open_feeds(struct cg_cli *c, struct cg_feedstore **out);

/* Botnet rows collected from the store; strings owned here. */
struct cg_cli_rows {
	struct cg_rt_row *v;
	size_t n, cap;
	char **strs;
	size_t nstrs, capstrs;
};
/* Every entry of one feed (id >= 0) or of every current botnet feed (id < 0, optionally of one
 * list). Entries without a time take the feed's date received. */
int cg_cli_rows_load(struct cg_feedstore *s, int64_t id, const char *list,
                     struct cg_cli_rows *rows);
void cg_cli_rows_clear(struct cg_cli_rows *rows);

/* "Sở GDĐT (SGD) › UBND phường An Lạc (PHUONG-AL)": the ancestors of x, root first. */
void cg_cli_unit_chain(const struct cg_unit *x, char *out, size_t cap);

int cg_cmd_match_units(struct cg_cli *c, int argc, char **argv);
int cg_cmd_feed_split(struct cg_cli *c, int argc, char **argv);
int cg_cmd_feed_merge_replies(struct cg_cli *c, int argc, char **argv);

#endif

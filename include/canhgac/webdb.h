/* webdb.h - the website checks' baselines in DATA_DIR/web.db (SQLite, WAL, numbered
 * migrations; src/web). One row per page URL, as given by the user: the title, the text shingle
 * sketch and hash, the domains of links and scripts, and when it was recorded. */
#ifndef CANHGAC_WEBDB_H
#define CANHGAC_WEBDB_H

#include "canhgac/webcheck.h"

struct cg_webdb;

/* Opens (creating) the database at path. */
int cg_webdb_open(const char *path, struct cg_webdb **out);
void cg_webdb_close(struct cg_webdb *db); /* accepts NULL */

/* Records (replaces) the baseline of url; unit may be NULL. */
int cg_webdb_put(struct cg_webdb *db, const char *url, const char *unit,
                 const struct cg_web_page *p);
/* Reads the baseline of url into *p (cg_web_page_clear): 1 when found, 0 when none, <0 on
 * error. A row that does not read back (a damaged sketch) is CG_EPARSE. */
int cg_webdb_get(struct cg_webdb *db, const char *url, struct cg_web_page *p);

#endif

/* admin.h - what the files of `canhgac admin` share: the connection to the server API
 * (admin_http.c, over the agent's HTTPS client agentclient.h) and the output for people
 * (admin_out.c). Linux only for now. */
#ifndef CANHGAC_CLI_ADMIN_H
#define CANHGAC_CLI_ADMIN_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"

#define CG_ADMIN_MAX_RESPONSE (16ul << 20) /* one answer of the server */
#define CG_ADMIN_MAX_UPLOAD (4ul << 20)    /* one imported file: the server's bound on bodies */
#define CG_ADMIN_MAX_TOKEN_FILE 4096
#define CG_ADMIN_MAX_PATHS 64    /* --path of one scan task: the server's bound */
#define CG_ADMIN_MAX_ROWS 100000 /* rows of one listing, all pages together */

struct cg_agent_client;

/* The options of every admin subcommand (one a subcommand does not take is refused). */
struct cg_admin {
	struct cg_cli *c;
	struct cg_agent_client *cl;
	const char *server, *token_file, *ca;
	const char *parent, *role, *unit, *columns, *state, *kind, *assignee, *comment, *action;
	const char *paths[CG_ADMIN_MAX_PATHS];
	size_t npaths;
	unsigned given; /* bit i: the i-th option of the list above (server = 0) was given */
};

/* Connects: the server URL (--server, else CANHGAC_SERVER; https:// only), the API token
 * (--token-file, else CANHGAC_TOKEN), the CA (--ca, else DATA_DIR/server/ca.pem when it exists,
 * else DATA_DIR/agent/ca.pem). Prints what is wrong; 0 or a negative CG_E* code. */
int cg_admin_connect(struct cg_admin *a);
void cg_admin_close(struct cg_admin *a);

/* One call. path is below the server's root, e.g. "/api/v1/units" (query included). On a 2xx
 * answer returns 0 with the JSON body in *out (json_decref; an empty object when the answer had
 * no JSON). Otherwise prints the server's message (message_vi or message_en, and its
 * diagnostics with their lines) or the network/TLS failure and returns a negative code; with
 * --json the server's error body is also printed on standard output. */
int cg_admin_get(struct cg_admin *a, const char *path, json_t **out);
/* Every page of a listing: GET path (query allowed) with limit=page and offset=0, page, ...
 * until a page comes back short (or CG_ADMIN_MAX_ROWS rows); the arrays `member` of the answers
 * joined into *out (json_decref). Errors as cg_admin_get. */
int cg_admin_get_all(struct cg_admin *a, const char *path, const char *member, long page,
                     json_t **out);
/* POST with a JSON body (body is not stolen; NULL = {}). */
int cg_admin_post(struct cg_admin *a, const char *path, const json_t *body, json_t **out);
/* POST with the bytes of a file as the body (at most CG_ADMIN_MAX_UPLOAD). */
int cg_admin_post_file(struct cg_admin *a, const char *path, const char *file, json_t **out);

/* POST len bytes of buf as Content-Type ctype. */
int cg_admin_post_bytes(struct cg_admin *a, const char *path, const char *ctype, const void *buf,
                        size_t len, json_t **out);

/* Percent-encodes s for a path segment or a query value into out; CG_ELIMIT when it does not
 * fit. */
int cg_admin_esc(const char *s, char *out, size_t cap);

/* Output (admin_out.c). */
enum { CG_COL_TEXT = 0, CG_COL_DATE = 1 };
struct cg_admin_col {
	const char *key; /* member of each row object */
	const char *vi, *en;
	int kind; /* CG_COL_* */
};
/* "dd/mm/yyyy HH:MM" in UTC+7 (Asia/Ho_Chi_Minh has no daylight saving); "-" for 0. */
void cg_admin_date(int64_t ms, char out[32]);
/* Copies s into out (cap bytes, NUL-terminated) with control characters (C0, DEL, C1) as '?'
 * and at most max characters ("..." after a cut); returns the characters kept. */
size_t cg_admin_clean(const char *s, char *out, size_t cap, size_t max);
/* The rows of arr (objects) as a table with a header in the current language. */
void cg_admin_table(const json_t *arr, const struct cg_admin_col *cols, size_t ncols);
/* An object for people: scalars as "key: value" (dates for *_ms), nested objects as JSON,
 * arrays of objects as tables of their members. */
void cg_admin_show(const json_t *obj);
/* Prints j as indented JSON on standard output (--json). */
void cg_admin_json(const json_t *j);
/* Prints server diagnostics [{source, line, message_vi, message_en}] on standard error. */
void cg_admin_diags(const json_t *diags);

/* Prints "expected: ..." and the help hint; returns CG_EINVAL. */
int cg_admin_usage(const char *expected_vi, const char *expected_en);
/* A listing (cg_admin_get_all) as a table, or as {"member": [...]} with --json. */
int cg_admin_list(struct cg_admin *a, const char *path, const char *member, long page,
                  const struct cg_admin_col *cols, size_t ncols);
/* GET path and print the object (cg_admin_show, or JSON). */
int cg_admin_show_path(struct cg_admin *a, const char *path);

/* The subcommand groups (cmd_admin.c, admin_cmds.c): argv[0] is the verb. */
int cg_admin_units(struct cg_admin *a, int argc, char **argv);
int cg_admin_users(struct cg_admin *a, int argc, char **argv);
int cg_admin_feeds(struct cg_admin *a, int argc, char **argv);
int cg_admin_hosts(struct cg_admin *a, int argc, char **argv);
int cg_admin_tasks(struct cg_admin *a, int argc, char **argv);
int cg_admin_alerts(struct cg_admin *a, int argc, char **argv);
int cg_admin_botnet(struct cg_admin *a, int argc, char **argv);
int cg_admin_bundles(struct cg_admin *a, int argc, char **argv); /* admin_bundles.c */
int cg_admin_vulns(struct cg_admin *a, int argc, char **argv);   /* admin_bundles.c */

#endif

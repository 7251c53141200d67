/* feed_cli.h - what the files of `canhgac feed` share: options, opening the store, printing
 * records and dates. */
#ifndef CANHGAC_FEED_CLI_H
#define CANHGAC_FEED_CLI_H

#include <jansson.h>
#include <stdint.h>

#include "canhgac/feedstore.h"
#include "cli.h"

/* Times written without a zone and dates shown to people are Vietnam time. */
#define CG_FEED_TZ_OFFSET 25200

struct feed_opts {
	int kind;            /* --kind, 0 when not given */
	const char *list;    /* --list */
	const char *columns; /* --columns */
	int format;          /* --format (CG_FMT_AUTO by default) */
	int strict;          /* --strict */
	int64_t received;    /* --received, UTC seconds; CG_TIME_NONE when not given */
	int all;             /* --all */
	int entries;         /* --entries */
	unsigned long limit; /* --limit, 0 = no limit */
};

/* Opens DATA_DIR/feeds.db; prints and returns nonzero on failure. */
int cg_feed_cli_open(struct cg_cli *c, struct cg_feedstore **s);
/* `canhgac feed import FILE...`; returns the exit code. */
int cg_feed_cli_import(struct cg_cli *c, const struct feed_opts *o, char **files, int n);
/* The record as a JSON object (docs/cli.md); NULL on allocation failure. */
json_t *cg_feed_cli_record_json(const struct cg_feed_record *r);
/* Prints a JSON value on one line and releases it. */
void cg_feed_cli_print_json(json_t *o);
/* dd/mm/yyyy (Vietnam time) of UTC seconds. */
void cg_feed_cli_date(char out[32], int64_t t);
/* dd/mm/yyyy HH:MM (Vietnam time). */
void cg_feed_cli_datetime(char out[32], int64_t t);
/* ISO 8601 UTC of UTC seconds into out (32 bytes); "" when out of range. */
void cg_feed_cli_iso(char out[32], int64_t t);

#endif

/* cli.h - what the command files of the canhgac program share: options common to every command,
 * message helpers, and the command table. Only programs print or exit. */
#ifndef CANHGAC_CLI_H
#define CANHGAC_CLI_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "canhgac/error.h"

/* Exit codes shared by commands that have no convention of their own. */
enum { CG_EXIT_OK = 0, CG_EXIT_FOUND = 1, CG_EXIT_ERROR = 2 };

/* Options that keep one meaning across all commands. */
struct cg_cli {
	const char *prog;
	const char *data_dir_opt; /* --data-dir */
	char data_dir[4096];      /* resolved */
	const char *bundle_dir;   /* --bundle */
	const char *trust_keys[16];
	size_t n_trust_keys;
	int allow_partial; /* --allow-partial */
	int json;          /* --json */
	int quiet;         /* --quiet */
	int force;         /* --force */
};

/* Long options every command accepts; values >= 0x1000 are handled by cg_cli_common_opt. */
enum {
	OPT_DATA_DIR = 0x1000,
	OPT_BUNDLE,
	OPT_JSON,
	OPT_LANG,
	OPT_QUIET,
	OPT_HELP,
	OPT_TRUST_KEY,
	OPT_ALLOW_PARTIAL,
	OPT_FORCE,
	OPT_PORTABLE,
	OPT_COMMON_LAST
};
#define CG_COMMON_LONGOPTS                                                                         \
	{"data-dir", required_argument, NULL, OPT_DATA_DIR},                                       \
	    {"bundle", required_argument, NULL, OPT_BUNDLE},                                       \
	    {"json", no_argument, NULL, OPT_JSON}, {"lang", required_argument, NULL, OPT_LANG},    \
	    {"quiet", no_argument, NULL, OPT_QUIET}, {"help", no_argument, NULL, OPT_HELP},        \
	    {"trust-key", required_argument, NULL, OPT_TRUST_KEY},                                 \
	    {"allow-partial", no_argument, NULL, OPT_ALLOW_PARTIAL},                               \
	    {"portable", no_argument, NULL, OPT_PORTABLE},                                         \
	{                                                                                          \
		"force", no_argument, NULL, OPT_FORCE                                              \
	}

/* Handles one common option; returns 0 when handled, 1 when not a common option, -1 (after
 * printing) on a bad value, 2 when --help was asked (help already printed). */
int cg_cli_common_opt(struct cg_cli *c, int opt, const char *arg, const char *cmd);

/* Prints an error for people: "canhgac: <context>: <reason>" in the current language. */
void cg_cli_err(const char *fmt, ...) __attribute__((format(CG_FMT_PRINTF, 1, 2)));
/* Prints every diagnostic as "source:line:col: message". */
void cg_cli_print_diags(const struct cg_diags *d);
/* Resolves and creates the data directory; prints and returns nonzero on failure. */
int cg_cli_data_dir(struct cg_cli *c);
/* Joins the data directory and a name. */
int cg_cli_path(const struct cg_cli *c, const char *name, char *out, size_t cap);
/* An absolute, normalised path to `in` whose last component is not resolved (a link stays a
 * link), for the quarantine. */
int cg_cli_abs_path(const char *in, char *out, size_t cap);
struct cg_quar;
/* Opens DATA_DIR/quarantine with DATA_DIR/actions.log as its log; prints and returns nonzero on
 * failure. */
int cg_cli_quar_open(struct cg_cli *c, struct cg_quar **q);
/* Parses "100", "64K", "100M", "2G". */
int cg_cli_parse_size(const char *s, uint64_t *out);
/* Prints `len` path bytes, escaping control characters and invalid UTF-8 as \xHH. */
void cg_cli_print_path(FILE *f, const char *p, size_t len);

/* Help for one command (or the overview when name is NULL) in the current language. */
int cg_cli_help(const char *name, FILE *f);
void cg_cli_usage_hint(const char *cmd);

/* Reads DATA_DIR/name, the Department's own copy of a data file built into the program, when it
 * exists (at most max bytes): returns 1 with *buf (cg_free) and its path, else 0 (a read error
 * is printed). The data directory is not created. */
int cg_cli_read_override(const struct cg_cli *c, const char *name, size_t max, uint8_t **buf,
                         size_t *len, char *path, size_t pcap);

struct cg_families;
/* The botnet families data: DATA_DIR/families.csv when present (c may be NULL: then only what
 * was already loaded, or the built-in copy of data/families.csv). Loaded once; NULL when
 * unusable. */
const struct cg_families *cg_cli_families(const struct cg_cli *c);

struct cg_winrels;
/* The Windows releases data: DATA_DIR/windows-releases.csv when present, else the built-in copy
 * of data/windows-releases.csv. Loaded once; NULL when unusable. */
const struct cg_winrels *cg_cli_winrels(const struct cg_cli *c);
/* `canhgac vulns --windows-inventory FILE`: advisory files adv[0..nadv) (any advisory format),
 * or the feed store's current advisories when nadv is 0; support status on UTC time now. */
int cg_vulns_windows(struct cg_cli *c, const char *inv_path, const char *const *adv, size_t nadv,
                     int64_t now);
struct cg_wininv;
struct cg_winrel;
struct cg_winvulns;
struct cg_winrel_support;
/* The matching behind cg_vulns_windows, for other commands: *out (cg_winvulns_free), *rel (NULL
 * when the release is unknown) and *sup (when *rel) filled. Prints problems; 0 or -1. */
int cg_vulns_windows_match(struct cg_cli *c, const struct cg_wininv *inv, const char *const *adv,
                           size_t nadv, int64_t now, struct cg_winvulns **out,
                           const struct cg_winrel **rel, struct cg_winrel_support *sup);

int cg_cmd_scan(struct cg_cli *c, int argc, char **argv);
int cg_cmd_quarantine(struct cg_cli *c, int argc, char **argv);
int cg_cmd_bundle(struct cg_cli *c, int argc, char **argv);
int cg_cmd_vercmp(struct cg_cli *c, int argc, char **argv);
int cg_cmd_vulns(struct cg_cli *c, int argc, char **argv);
int cg_cmd_feed(struct cg_cli *c, int argc, char **argv);
int cg_cmd_match(struct cg_cli *c, int argc, char **argv);
int cg_cmd_usbclean(struct cg_cli *c, int argc, char **argv);
int cg_cmd_inventory(struct cg_cli *c, int argc, char **argv);
int cg_cmd_report(struct cg_cli *c, int argc, char **argv);
int cg_cmd_logs(struct cg_cli *c, int argc, char **argv);
int cg_cmd_rules(struct cg_cli *c, int argc, char **argv);
int cg_cmd_server(struct cg_cli *c, int argc, char **argv);
int cg_cmd_fim(struct cg_cli *c, int argc, char **argv);
int cg_cmd_web(struct cg_cli *c, int argc, char **argv);
/* The language of messages: Vietnamese unless CANHGAC_LANG, or else the locale, says English;
 * --lang wins over both (common.c). */
void cg_cli_pick_language(int argc, char **argv);
/* getline(3) for every platform: the next line with its '\n' into *line (grown with realloc:
 * free() it), its length, or -1 at the end or on ENOMEM. */
int64_t cg_cli_getline(char **line, size_t *cap, FILE *f);
/* `canhgac agent` (Linux) and `canhgac-agent` (Linux, and the Windows service) */
int cg_cmd_agent(struct cg_cli *c, int argc, char **argv);
#ifndef _WIN32
int cg_cmd_admin(struct cg_cli *c, int argc, char **argv); /* Linux only for now */
#endif
/* `logs export-json` (logs_evtx.c): argv[0] is the command's name, options follow. */
int cg_logs_evtx(int argc, char **argv);
int cg_cmd_evtx(struct cg_cli *c, int argc, char **argv);

struct cg_bundle;
/* Loads the bundle of --bundle / $CANHGAC_BUNDLE / DATA_DIR/bundle; prints problems. */
int cg_cli_load_bundle(struct cg_cli *c, int backend, struct cg_bundle **out);

/* `bundle keygen --out PREFIX` and `bundle sign DIR --key K` (bundle_sign.c, Linux only). */
struct cg_bundle_sign_opts {
	const char *key;     /* the PEM private key file */
	const char *version; /* a new version, or NULL */
	int expires_set;     /* whether expires below is to be written */
	int64_t expires;     /* unix seconds */
};
int cg_cli_bundle_keygen(const char *prefix);
int cg_cli_bundle_sign(const char *dir, const struct cg_bundle_sign_opts *so);
/* `bundle agent-package --out DIR [--version V] PROGRAM...`: a package of canhgac programs
 * (canhgac-linux-ARCH, from each ELF header) with its manifest, to sign and publish. */
int cg_cli_bundle_agent_package(const char *out, const char *version, char *const *programs,
                                size_t n);

#endif

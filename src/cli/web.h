/* web.h - what the files of `canhgac web` share (cmd_web.c, web_sites.c, web_out.c). */
#ifndef CANHGAC_CLI_WEB_H
#define CANHGAC_CLI_WEB_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/webcheck.h"
#include "canhgac/webfetch.h"
#include "cli.h"

struct web_site {
	char *url;  /* http(s)://... */
	char *unit; /* unit code, or NULL */
	char *name; /* unit name, or NULL */
};

struct web_sites {
	struct web_site *v;
	size_t n, cap;
};

/* Reads a sites file (CSV or XLSX): columns "unit code"/"mã đơn vị", "url"/"trang web" and
 * optionally "name"/"tên đơn vị"; prints problems. 0 or -1. */
int web_sites_load(const char *path, struct web_sites *s);
/* Adds a URL given on the command line ("thpt-a.edu.vn" becomes "https://thpt-a.edu.vn/"). */
int web_sites_add(struct web_sites *s, const char *url, const char *unit, const char *name);
void web_sites_free(struct web_sites *s);

/* One site's check, for the output. */
struct web_report {
	const struct web_site *site;
	const struct cg_fetch_result *fr; /* the browser's view */
	int have_baseline;
	int64_t baseline_ms;
	int crawler_failed; /* the second fetch failed (a warning) */
	const char *crawler_error;
	const struct cg_web_findings *f;
};

void web_out_report(const struct cg_cli *c, const struct web_report *r, int64_t now_ms);
/* A site that could not be checked: rc and the fetch's words. */
void web_out_error(const struct cg_cli *c, const struct web_site *s, int rc,
                   const struct cg_fetch_result *fr, int64_t now_ms);
/* `web baseline`: one line (or a web.baseline record) per recorded page. */
void web_out_baseline(const struct cg_cli *c, const struct web_site *s, const struct cg_web_page *p,
                      const struct cg_web_findings *f);

#endif

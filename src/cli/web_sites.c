/* web_sites.c - the sites of `canhgac web`: URLs on the command line or a sites file (CSV or
 * XLSX: "unit code,url[,name]", Vietnamese headers accepted). */
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/limits.h"
#include "canhgac/sys.h"
#include "canhgac/table.h"
#include "canhgac/text.h"
#include "web.h"
#include "banned.h"

int web_sites_add(struct web_sites *s, const char *url, const char *unit, const char *name)
{
	struct web_site *w;
	size_t n = strlen(url);
	int full = strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0;

	if (!n || n > CG_MAX_URL)
		return CG_EINVAL;
	if (cg_grow((void **)&s->v, &s->cap, s->n + 1, sizeof(*s->v), CG_MAX_WEB_SITES))
		return s->n + 1 > CG_MAX_WEB_SITES ? CG_ELIMIT : CG_ENOMEM;
	w = &s->v[s->n];
	memset(w, 0, sizeof(*w));
	w->url = cg_malloc(n + 10);
	if (!w->url)
		return CG_ENOMEM;
	/* a bare host name is a site's home page over https */
	snprintf(w->url, n + 10, "%s%s%s", full ? "" : "https://", url,
	         !full && !strchr(url, '/') ? "/" : "");
	w->unit = unit && *unit ? cg_strdup(unit) : NULL;
	w->name = name && *name ? cg_strdup(name) : NULL;
	s->n++;
	return CG_OK;
}

void web_sites_free(struct web_sites *s)
{
	for (size_t i = 0; i < s->n; i++) {
		cg_free(s->v[i].url);
		cg_free(s->v[i].unit);
		cg_free(s->v[i].name);
	}
	cg_free(s->v);
	memset(s, 0, sizeof(*s));
}

/* Which column a header cell names: 0 unit code, 1 url, 2 name, -1 none. */
static int header_kind(const char *cell)
{
	static const char *const names[3][6] = {
	    {"unit code", "unit", "code", "ma don vi", "ma", NULL},
	    {"url", "website", "trang web", "web", "dia chi trang web", "site"},
	    {"name", "unit name", "ten don vi", "ten", "don vi", NULL},
	};
	char *f = NULL;
	int k = -1;
	if (cg_text_fold(cell, strlen(cell), &f) != CG_OK)
		return -1;
	for (int i = 0; i < 3 && k < 0; i++)
		for (int j = 0; j < 6 && names[i][j] && k < 0; j++)
			if (strcmp(f, names[i][j]) == 0)
				k = i;
	cg_free(f);
	return k;
}

static int add_rows(const char *path, const struct cg_sheet *sh, size_t first, const long col[3],
                    struct web_sites *s)
{
	for (size_t r = first; r < sh->nrows; r++) {
		const struct cg_row *row = &sh->rows[r];
		const char *url = cg_table_cell(row, (size_t)col[1]);
		int rc;
		if (!url[0] || url[0] == '#')
			continue;
		rc = web_sites_add(s, url, col[0] >= 0 ? cg_table_cell(row, (size_t)col[0]) : NULL,
		                   col[2] >= 0 ? cg_table_cell(row, (size_t)col[2]) : NULL);
		if (rc) {
			cg_cli_err("%s:%u: %s", path, row->line, cg_strerror(rc));
			if (rc != CG_EINVAL)
				return -1;
		}
	}
	return 0;
}

int web_sites_load(const char *path, struct web_sites *s)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_table *t = NULL;
	uint8_t *buf = NULL;
	size_t len = 0, r;
	long col[3] = {-1, -1, -1};
	int rc = cg_read_file(path, CG_MAX_TABLE_INPUT, &buf, &len), ret = -1;

	if (rc) {
		cg_cli_err("%s: %s", path, cg_strerror(rc));
		return -1;
	}
	rc = cg_table_read(buf, len, path, &t, &d);
	cg_cli_print_diags(&d);
	cg_diags_clear(&d);
	cg_free(buf);
	if (rc || !t->nsheets) {
		cg_cli_err("%s: %s", path, cg_strerror(rc ? rc : CG_EPARSE));
		goto out;
	}
	const struct cg_sheet *sh = &t->sheets[0];
	for (r = 0; r < sh->nrows && r < CG_MAX_UNIT_HEADER_SCAN && col[1] < 0; r++)
		for (size_t c = 0; c < sh->rows[r].ncells; c++) {
			int k = header_kind(sh->rows[r].cells[c].text);
			if (k >= 0 && col[k] < 0)
				col[k] = (long)c;
		}
	if (col[1] < 0) {
		/* no header: "code,url[,name]" */
		col[0] = 0;
		col[1] = 1;
		col[2] = 2;
		r = 0;
	}
	if (add_rows(path, sh, r, col, s) == 0)
		ret = 0;
	if (ret == 0 && !s->n) {
		cg_cli_err(cg_tr("%s: không có trang web nào (cột 'url' hoặc 'trang web')",
		                 "%s: no site listed (column 'url' or 'trang web')"),
		           path);
		ret = -1;
	}
out:
	cg_table_free(t);
	return ret;
}

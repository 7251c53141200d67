/* cli_units.c - shared by the units commands: reading the units file and spreadsheets, the
 * feed store, and a feed's botnet rows. */
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/limits.h"
#include "canhgac/sys.h"
#include "canhgac/families.h"
#include "cli_units.h"
#include "banned.h"

int cg_cli_read_table(const char *path, struct cg_table **out)
{
	struct cg_diags d = CG_DIAGS_INIT;
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc = cg_read_file(path, CG_MAX_FEED_FILE, &buf, &len);

	*out = NULL;
	if (rc) {
		cg_cli_err(cg_tr("không đọc được '%s': %s", "cannot read '%s': %s"), path,
		           cg_strerror(rc));
		return rc;
	}
	rc = cg_table_read(buf, len, path, out, &d);
	cg_free(buf);
	cg_cli_print_diags(&d);
	cg_diags_clear(&d);
	if (rc)
		cg_cli_err(cg_tr("không đọc được bảng '%s': %s", "cannot read the table '%s': %s"),
		           path, cg_strerror(rc));
	return rc;
}

int cg_cli_load_units(const char *path, struct cg_units **out)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_table *t = NULL;
	int rc = cg_cli_read_table(path, &t);

	*out = NULL;
	if (rc)
		return rc;
	rc = cg_units_parse(t, path, CG_UNITS_TZ_VN, out, &d);
	cg_table_free(t);
	cg_cli_print_diags(&d);
	cg_diags_clear(&d);
	if (rc)
		cg_cli_err(cg_tr("tệp đơn vị '%s' không dùng được: %s",
		                 "the units file '%s' cannot be used: %s"),
		           path, cg_strerror(rc));
	return rc;
}

int cg_cli_open_feeds(struct cg_cli *c, struct cg_feedstore **out)
{
	char path[4200];
	int rc;

	*out = NULL;
	if (cg_cli_data_dir(c))
		return CG_EIO;
	if ((rc = cg_cli_path(c, "feeds.db", path, sizeof(path))))
		return rc;
	cg_cli_families(c);
	rc = cg_feedstore_open_sqlite(path, out);
	if (rc)
		cg_cli_err(cg_tr("không mở được kho danh sách '%s': %s",
		                 "cannot open the feed store '%s': %s"),
		           path, cg_strerror(rc));
	return rc;
}

static const char *keep(struct cg_cli_rows *r, const char *s)
{
	char *d;
	if (!s)
		return NULL;
	if (cg_grow((void **)&r->strs, &r->capstrs, r->nstrs + 1, sizeof(char *), SIZE_MAX / 8))
		return NULL;
	if (!(d = cg_strdup(s)))
		return NULL;
	r->strs[r->nstrs++] = d;
	return d;
}

static int take_entry(const struct cg_feed_record *rec, const struct cg_feed_entry *e, void *arg)
{
	struct cg_cli_rows *r = arg;
	struct cg_rt_row *x;

	if (e->type != CG_IOC_IP)
		return 0;
	if (cg_grow((void **)&r->v, &r->cap, r->n + 1, sizeof(*r->v), CG_MAX_FEED_ENTRIES))
		return CG_ENOMEM;
	x = &r->v[r->n];
	memset(x, 0, sizeof(*x));
	x->addr = keep(r, e->value);
	x->family = e->family ? keep(r, e->family) : NULL;
	x->list = keep(r, rec->list);
	x->time = e->time != CG_TIME_NONE ? e->time : rec->received;
	if (!x->addr || (e->family && !x->family) || !x->list)
		return CG_ENOMEM;
	if (e->family) {
		const struct cg_family *fam = cg_families_lookup(cg_cli_families(NULL), e->family);
		if (fam) {
			x->device = keep(r, cg_tr(fam->device_vi, fam->device_en));
			x->remediation = keep(r, cg_tr(fam->fix_vi, fam->fix_en));
		}
	}
	r->n++;
	return 0;
}

int cg_cli_rows_load(struct cg_feedstore *s, int64_t id, const char *list, struct cg_cli_rows *rows)
{
	memset(rows, 0, sizeof(*rows));
	if (id >= 0)
		return cg_feedstore_entries(s, id, take_entry, rows);
	return cg_feedstore_current_entries(s, CG_FEED_BOTNET, list, take_entry, rows);
}

void cg_cli_rows_clear(struct cg_cli_rows *rows)
{
	for (size_t i = 0; i < rows->nstrs; i++)
		cg_free(rows->strs[i]);
	cg_free(rows->strs);
	cg_free(rows->v);
	memset(rows, 0, sizeof(*rows));
}

void cg_cli_unit_chain(const struct cg_unit *x, char *out, size_t cap)
{
	const struct cg_unit *chain[CG_MAX_UNIT_DEPTH + 1];
	size_t n = 0, k = 0;

	out[0] = '\0';
	for (const struct cg_unit *p = x ? x->parent : NULL; p && n <= CG_MAX_UNIT_DEPTH;
	     p = p->parent)
		chain[n++] = p;
	while (n-- > 0) {
		int w = snprintf(out + k, cap - k, "%s%s (%s)", k ? " › " : "", chain[n]->name,
		                 chain[n]->code);
		if (w < 0 || (size_t)w >= cap - k)
			break;
		k += (size_t)w;
	}
}

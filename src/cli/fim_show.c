/* fim_show.c - `canhgac fim list` and `canhgac fim show`: what the baselines hold. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/event.h"
#include "canhgac/fileio.h"
#include "canhgac/fimdb.h"
#include "canhgac/hashsig.h"
#include "fim_cli.h"
#include "banned.h"

static int list_one(void *arg, const struct cg_fim_info *i)
{
	struct fim_run *r = arg;
	char t1[32], t2[32];

	if (r->c->json) {
		json_t *j =
		    json_pack("{s:s,s:o?,s:o?,s:I,s:I,s:I,s:b}", "name", i->name, "paths",
		              json_loads(i->roots_json, 0, NULL), "excludes",
		              json_loads(i->excludes_json, 0, NULL), "files", (json_int_t)i->files,
		              "created_ms", (json_int_t)i->created_ms, "updated_ms",
		              (json_int_t)i->updated_ms, "webroot", i->webroot);
		char *t = j ? json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
		if (t)
			printf("%s\n", t);
		free(t);
		json_decref(j);
		return 0;
	}
	cg_time_human(t1, i->created_ms, 7 * 60);
	cg_time_human(t2, i->updated_ms, 7 * 60);
	printf(cg_tr("%s: %" PRId64 " mục, tạo %s, cập nhật %s%s, đường dẫn %s\n",
	             "%s: %" PRId64 " entries, created %s, updated %s%s, paths %s\n"),
	       i->name, i->files, t1, t2, i->webroot ? cg_tr(", thư mục web", ", web root") : "",
	       i->roots_json);
	if (strcmp(i->excludes_json, "[]") != 0)
		printf(cg_tr("    bỏ qua %s\n", "    excludes %s\n"), i->excludes_json);
	return 0;
}

int fim_cmd_list(struct fim_run *r)
{
	int rc = cg_fimdb_list(r->db, list_one, r);
	if (rc) {
		cg_cli_err("fim list: %s", cg_strerror(rc));
		return CG_EXIT_ERROR;
	}
	return CG_EXIT_OK;
}

/* A name as "key" when it is UTF-8, else as "key_b64" (docs/events.md does the same). */
static void put_bytes(json_t *o, const char *key, const char *p, size_t n)
{
	char k[32];
	char *b;

	if (cg_utf8_valid((const uint8_t *)p, n) && !memchr(p, '\0', n)) {
		json_object_set_new(o, key, json_stringn(p, n));
		return;
	}
	snprintf(k, sizeof(k), "%s_b64", key);
	b = cg_base64((const uint8_t *)p, n);
	if (b)
		json_object_set_new(o, k, json_string(b));
	cg_free(b);
}

static void show_one(const struct fim_run *r, const struct cg_fim_entry *e)
{
	char hx[65] = "-";

	if (e->flags & CG_FIM_HAVE_SHA)
		cg_hex_encode(e->sha256, 32, hx, sizeof(hx));
	if (r->c->json) {
		json_t *j =
		    json_pack("{s:s,s:I,s:i,s:i,s:i,s:I,s:I,s:s,s:s?}", "type",
		              CG_S_ISLNK(e->mode)   ? "link"
		              : CG_S_ISDIR(e->mode) ? "dir"
		                                    : "file",
		              "size", (json_int_t)e->size, "mode", (int)(e->mode & 07777u), "uid",
		              (int)e->uid, "gid", (int)e->gid, "mtime_ns", (json_int_t)e->mtime_ns,
		              "inode", (json_int_t)e->ino, "sha256", hx, "markers", e->marks);
		if (j)
			put_bytes(j, "path", e->path, e->path_len);
		if (j && e->link)
			put_bytes(j, "link", e->link, strlen(e->link));
		char *t = j ? json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
		if (t)
			printf("%s\n", t);
		free(t);
		json_decref(j);
		return;
	}
	printf("%04o %u:%u %12" PRId64 " %s ", e->mode & 07777u, e->uid, e->gid, e->size, hx);
	cg_cli_print_path(stdout, e->path, e->path_len);
	if (e->link) {
		fputs(" -> ", stdout);
		cg_cli_print_path(stdout, e->link, strlen(e->link));
	}
	if (e->marks)
		printf("  [%s]", e->marks);
	putchar('\n');
}

int fim_cmd_show(struct fim_run *r)
{
	struct cg_fim_entry *v = NULL;
	size_t n = 0;
	int rc = cg_fimdb_load(r->db, r->name, &v, &n);

	if (rc) {
		cg_cli_err("fim show %s: %s", r->name, cg_strerror(rc));
		return CG_EXIT_ERROR;
	}
	for (size_t i = 0; i < n; i++)
		show_one(r, &v[i]);
	cg_fim_entries_free(v, n);
	return CG_EXIT_OK;
}

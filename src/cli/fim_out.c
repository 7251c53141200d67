/* fim_out.c - `canhgac fim`: differences and the summary as text or JSON records
 * (docs/events.md). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/event.h"
#include "canhgac/fileio.h"
#include "canhgac/hashsig.h"
#include "canhgac/limits.h"
#include "canhgac/sys.h"
#include "canhgac/webshell.h"
#include "fim_cli.h"
#include "banned.h"

static const struct {
	unsigned bit;
	const char *name, *vi, *en;
} changes[] = {
    {CG_FIM_ADDED, "added", "tệp mới", "new file"},
    {CG_FIM_DELETED, "deleted", "đã bị xóa", "deleted"},
    {CG_FIM_CONTENT, "content", "nội dung thay đổi", "content changed"},
    {CG_FIM_TYPE, "type", "đổi loại (tệp/liên kết)", "type changed (file/link)"},
    {CG_FIM_LINK, "link", "liên kết trỏ chỗ khác", "link target changed"},
    {CG_FIM_PERM, "mode", "quyền thay đổi", "permissions changed"},
    {CG_FIM_OWNER, "owner", "chủ sở hữu thay đổi", "owner changed"},
    {CG_FIM_GROUP, "group", "nhóm thay đổi", "group changed"},
    {CG_FIM_NEW_SCRIPT, "new_script", "tệp kịch bản mới trong thư mục web",
     "new server script in a web root"},
    {CG_FIM_DOUBLE_EXT, "double_extension", "đuôi kép giấu kịch bản (x.php.jpg)",
     "double extension hiding a script (x.php.jpg)"},
    {CG_FIM_WEBSHELL, "webshell", "có dấu hiệu web shell", "web-shell markers"},
};

static const char *kind_word(const struct cg_fim_entry *e)
{
	return CG_S_ISLNK(e->mode) ? "link" : CG_S_ISDIR(e->mode) ? "dir" : "file";
}

static json_t *side_json(const struct cg_fim_entry *e)
{
	json_t *o = json_object();
	char hx[65];

	if (!o)
		return NULL;
	json_object_set_new(o, "type", json_string(kind_word(e)));
	json_object_set_new(o, "size", json_integer(e->size));
	json_object_set_new(o, "mode", json_integer(e->mode & 07777u));
	json_object_set_new(o, "uid", json_integer(e->uid));
	json_object_set_new(o, "gid", json_integer(e->gid));
	json_object_set_new(o, "mtime_ns", json_integer(e->mtime_ns));
	json_object_set_new(o, "inode", json_integer((json_int_t)e->ino));
	if (e->flags & CG_FIM_HAVE_SHA) {
		cg_hex_encode(e->sha256, 32, hx, sizeof(hx));
		json_object_set_new(o, "sha256", json_string(hx));
	}
	if (e->link)
		json_object_set_new(o, "link", json_string(e->link));
	return o;
}

/* Calls cb for every marker id of a comma-separated list. */
static void each_mark(const char *marks, void (*cb)(void *arg, const char *id), void *arg)
{
	char id[CG_MAX_WS_FIELD + 1];
	while (marks && *marks) {
		size_t n = strcspn(marks, ",");
		snprintf(id, sizeof(id), "%.*s", (int)n, marks);
		cb(arg, id);
		marks += n + (marks[n] == ',');
	}
}

struct mark_ctx {
	const struct cg_webshell *ws;
	json_t *arr;
	enum cg_severity sev;
};

static void mark_json(void *arg, const char *id)
{
	struct mark_ctx *m = arg;
	long i = cg_webshell_find(m->ws, id);
	const struct cg_wsmark *w = i >= 0 ? cg_webshell_get(m->ws, (size_t)i) : NULL;
	json_t *o = json_object();

	if (!o)
		return;
	json_object_set_new(o, "id", json_string(id));
	if (w) {
		json_object_set_new(o, "severity", json_string(cg_severity_name(w->severity)));
		json_object_set_new(o, "vi", json_string(w->desc_vi));
		json_object_set_new(o, "en", json_string(w->desc_en));
		if (w->severity > m->sev)
			m->sev = w->severity;
	}
	json_array_append_new(m->arr, o);
}

static void mark_sev(void *arg, const char *id)
{
	struct mark_ctx *m = arg;
	long i = cg_webshell_find(m->ws, id);
	const struct cg_wsmark *w = i >= 0 ? cg_webshell_get(m->ws, (size_t)i) : NULL;

	if (w && w->severity > m->sev)
		m->sev = w->severity;
}

static void mark_text(void *arg, const char *id)
{
	struct mark_ctx *m = arg;
	long i = cg_webshell_find(m->ws, id);
	const struct cg_wsmark *w = i >= 0 ? cg_webshell_get(m->ws, (size_t)i) : NULL;

	printf("    %s %s%s%s\n", cg_tr("dấu hiệu", "marker"), id, w ? ": " : "",
	       w ? cg_tr(w->desc_vi, w->desc_en) : "");
}

static void print_json(struct fim_run *r, const struct cg_fim_diff *d, enum cg_severity sev,
                       const char *detail)
{
	const struct cg_fim_entry *e = d->cur ? d->cur : d->old;
	struct cg_digest_result dig = {0};
	struct cg_event ev = {0};
	struct mark_ctx m = {r->ws, json_array(), sev};
	json_t *j, *fim = json_object(), *ch = json_array();
	char *txt;

	if (d->cur && (d->cur->flags & CG_FIM_HAVE_SHA)) {
		dig.have = CG_HASH_SHA256;
		memcpy(dig.sha256, d->cur->sha256, 32);
	}
	if ((d->what & CG_FIM_WEBSHELL) && d->cur)
		each_mark(d->cur->marks, mark_json, &m);
	ev.time_ms = cg_now_ms();
	ev.kind = cg_fim_kind(d);
	ev.severity = m.sev;
	ev.path = (const uint8_t *)e->path;
	ev.path_len = e->path_len;
	ev.size = d->cur ? d->cur->size : -1;
	ev.digests = dig.have ? &dig : NULL;
	ev.host = cg_host_facts();
	ev.action = "none";
	ev.detail = detail;
	j = cg_event_to_json(&ev);
	if (!j || !fim || !ch || !m.arr)
		goto out;
	for (size_t i = 0; i < sizeof(changes) / sizeof(changes[0]); i++)
		if (d->what & changes[i].bit)
			json_array_append_new(ch, json_string(changes[i].name));
	json_object_set_new(fim, "baseline", json_string(r->name));
	json_object_set(fim, "changes", ch);
	json_object_set_new(fim, "webroot", json_boolean(e->flags & CG_FIM_WEBROOT));
	if (d->old)
		json_object_set_new(fim, "old", side_json(d->old));
	if (d->cur)
		json_object_set_new(fim, "new", side_json(d->cur));
	if (json_array_size(m.arr))
		json_object_set(fim, "markers", m.arr);
	json_object_set(j, "fim", fim);
	txt = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);
	if (txt)
		printf("%s\n", txt);
	free(txt);
out:
	json_decref(j);
	json_decref(fim);
	json_decref(ch);
	json_decref(m.arr);
}

/* What changed, for people: "content changed; permissions changed 0644 -> 0777". */
static void describe(const struct cg_fim_diff *d, char *out, size_t cap)
{
	size_t n = 0;

	out[0] = '\0';
	for (size_t i = 0; i < sizeof(changes) / sizeof(changes[0]) && n < cap; i++) {
		if (!(d->what & changes[i].bit))
			continue;
		n += (size_t)snprintf(out + n, cap - n, "%s%s", n ? "; " : "",
		                      cg_tr(changes[i].vi, changes[i].en));
		if (n >= cap)
			break;
		if (changes[i].bit == CG_FIM_PERM)
			n += (size_t)snprintf(out + n, cap - n, " %04o -> %04o",
			                      d->old->mode & 07777u, d->cur->mode & 07777u);
		else if (changes[i].bit == CG_FIM_OWNER)
			n += (size_t)snprintf(out + n, cap - n, " %u -> %u", d->old->uid,
			                      d->cur->uid);
		else if (changes[i].bit == CG_FIM_GROUP)
			n += (size_t)snprintf(out + n, cap - n, " %u -> %u", d->old->gid,
			                      d->cur->gid);
	}
}

int fim_print_diff(void *arg, const struct cg_fim_diff *d)
{
	struct fim_run *r = arg;
	const struct cg_fim_entry *e = d->cur ? d->cur : d->old;
	const char *kind = cg_fim_kind(d);
	struct mark_ctx m = {r->ws, NULL, d->severity};
	char detail[512];

	if (d->what & CG_FIM_WEBSHELL)
		r->st.webshell++;
	if (d->what & CG_FIM_ADDED)
		r->st.added++;
	else if (d->what & CG_FIM_DELETED)
		r->st.deleted++;
	else if (d->what & (CG_FIM_CONTENT | CG_FIM_TYPE | CG_FIM_LINK))
		r->st.changed++;
	else if (d->what & (CG_FIM_PERM | CG_FIM_OWNER | CG_FIM_GROUP))
		r->st.meta++;
	describe(d, detail, sizeof(detail));
	if ((d->what & CG_FIM_WEBSHELL) && d->cur)
		each_mark(d->cur->marks, mark_sev, &m);
	if (r->c->json) {
		print_json(r, d, m.sev, detail);
		return 0;
	}
	printf("[%s] %s ", cg_severity_label(m.sev), kind);
	cg_cli_print_path(stdout, e->path, e->path_len);
	printf(": %s\n", detail);
	if (d->cur && d->cur->link && (d->what & (CG_FIM_LINK | CG_FIM_TYPE | CG_FIM_ADDED))) {
		fputs("    -> ", stdout);
		cg_cli_print_path(stdout, d->cur->link, strlen(d->cur->link));
		putchar('\n');
	}
	if ((d->what & CG_FIM_WEBSHELL) && d->cur)
		each_mark(d->cur->marks, mark_text, &m);
	return 0;
}

void fim_print_summary(struct fim_run *r, const char *cmd, int64_t duration_ms, int exit_code)
{
	const struct fim_stats *s = &r->st;

	if (r->c->json) {
		struct cg_event ev = {0};
		json_t *j, *c;
		char *txt = NULL;
		ev.time_ms = cg_now_ms();
		ev.kind = "fim.summary";
		ev.size = -1;
		ev.host = cg_host_facts();
		j = cg_event_to_json(&ev);
		c = json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:i}",
		              "command", cmd, "baseline", r->name, "files", (json_int_t)s->files,
		              "links", (json_int_t)s->links, "dirs", (json_int_t)s->dirs,
		              "files_read", (json_int_t)s->files_read, "files_cached",
		              (json_int_t)s->files_cached, "bytes_read", (json_int_t)s->bytes_read,
		              "errors", (json_int_t)s->errors, "added", (json_int_t)s->added,
		              "deleted", (json_int_t)s->deleted, "changed", (json_int_t)s->changed,
		              "meta", (json_int_t)s->meta, "webshell", (json_int_t)s->webshell,
		              "duration_ms", (json_int_t)duration_ms, "exit_code", exit_code);
		if (j && c && json_object_update(j, c) == 0)
			txt = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);
		json_decref(c);
		if (txt)
			printf("%s\n", txt);
		free(txt);
		json_decref(j);
		return;
	}
	if (r->c->quiet)
		return;
	printf(cg_tr("%s: %" PRIu64 " tệp, %" PRIu64 " liên kết, %" PRIu64 " thư mục (%" PRIu64
	             " tệp đọc lại, %" PRIu64 " lấy từ bộ đệm); mới %" PRIu64 ", xóa %" PRIu64
	             ", sửa %" PRIu64 ", đổi quyền/chủ %" PRIu64 ", web shell %" PRIu64
	             ", lỗi %" PRIu64 "; %.1f s\n",
	             "%s: %" PRIu64 " files, %" PRIu64 " links, %" PRIu64 " folders (%" PRIu64
	             " files read, %" PRIu64 " from the cache); added %" PRIu64 ", deleted %" PRIu64
	             ", changed %" PRIu64 ", owner/mode %" PRIu64 ", web shells %" PRIu64
	             ", errors %" PRIu64 "; %.1f s\n"),
	       r->name, s->files, s->links, s->dirs, s->files_read, s->files_cached, s->added,
	       s->deleted, s->changed, s->meta, s->webshell, s->errors,
	       (double)duration_ms / 1000.0);
}

/* agent_export.c - `canhgac agent export DIR`: the spool's pending events written as files that
 * an admin imports on the server (POST /api/v1/hosts/ID/spool, or `canhgac admin`) when the site
 * is rarely online: spool-0001.json, spool-0002.json... each one agent batch (at most 1,000 events
 * and 3 MiB) with the agent's id and epoch. Nothing is deleted here: when the agent reaches the
 * server itself, the events it resends are acknowledged as duplicates and only then leave the
 * spool. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "canhgac/alloc.h"
#include "canhgac/spool.h"
#include "canhgac/sys.h"
#include "agent_cli.h"
#include "cli.h"
#include "banned.h"

#define FILE_EVENTS 1000
#define FILE_BYTES (3u << 20)
#define EXPORT_MAX_EVENTS 1000000
#define EXPORT_MAX_BYTES (1024u << 20)

/* Writes events [from, to) of b as DIR/spool-NNNN.json. */
static int write_part(const struct cg_agent *a, const struct cg_spool_batch *b, size_t from,
                      size_t to, const char *dir, unsigned part)
{
	json_t *evs = json_array(), *o = NULL;
	char path[4200], *text = NULL;
	int rc = evs ? 0 : CG_ENOMEM;
	for (size_t i = from; rc == 0 && i < to; i++) {
		json_t *e = json_loadb(b->v[i].json, b->v[i].len, 0, NULL);
		if (!json_is_object(e) ||
		    json_array_append_new(
		        evs, json_pack("{s:I, s:o}", "seq", (json_int_t)b->v[i].seq, "event", e)))
			rc = CG_EPARSE;
	}
	if (rc == 0 &&
	    !(o = json_pack("{s:s, s:s, s:s, s:s, s:O}", "format", "canhgac.spool/1", "agent_id",
	                    a->id.agent_id, "unit", a->id.unit, "epoch", b->epoch, "events", evs)))
		rc = CG_ENOMEM;
	if (rc == 0 && !(text = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII)))
		rc = CG_ENOMEM;
	snprintf(path, sizeof(path), "%s" CG_DIRSEP "spool-%04u.json", dir, part);
	if (rc == 0)
		rc = cg_write_file_atomic(path, text, strlen(text), 0600);
	if (rc == 0)
		printf("%s: %zu\n", path, to - from);
	free(text);
	json_decref(o);
	json_decref(evs);
	return rc;
}

int cg_agent_cli_export(struct cg_agent *a, const char *dir)
{
	struct cg_spool_batch b = {0};
	int rc;
	if (!a->have_id) {
		cg_cli_err("%s", cg_tr("chưa đăng ký: không có gì để gửi thay",
		                       "not enrolled: there is nothing to carry"));
		return CG_EXIT_ERROR;
	}
	rc = cg_mkdir_p(dir, 0700);
	if (rc == 0)
		rc = cg_spool_peek(a->spool, EXPORT_MAX_EVENTS, EXPORT_MAX_BYTES, &b);
	unsigned part = 0;
	for (size_t i = 0; rc == 0 && i < b.n;) {
		size_t j = i, bytes = 0;
		while (j < b.n && j - i < FILE_EVENTS && bytes + b.v[j].len + 64 < FILE_BYTES)
			bytes += b.v[j++].len + 64;
		if (j == i)
			j++; /* a single event larger than a part still goes, alone */
		rc = write_part(a, &b, i, j, dir, ++part);
		i = j;
	}
	if (rc == 0 && !b.n)
		printf("%s\n", cg_tr("Hàng đợi trống: không có sự kiện nào cần mang đi.",
		                     "The spool is empty: no event to carry."));
	cg_spool_batch_clear(&b);
	if (rc) {
		cg_cli_err("%s: %s", dir, cg_strerror(rc));
		return CG_EXIT_ERROR;
	}
	return CG_EXIT_OK;
}

/* Installs DIR (or DIR/bundle) when it holds a bundle; 1 when there was none. */
static int import_bundle(struct cg_agent *a, const char *dir)
{
	char p[4400], b[4200];
	struct stat st;
	struct cg_diags d = CG_DIAGS_INIT;
	if (strlen(dir) > 4000)
		return CG_ELIMIT;
	snprintf(b, sizeof b, "%s", dir);
	snprintf(p, sizeof p, "%s/manifest.json", b);
	if (stat(p, &st) != 0) {
		snprintf(b, sizeof b, "%s/bundle", dir);
		snprintf(p, sizeof p, "%s/manifest.json", b);
		if (stat(p, &st) != 0)
			return 1;
	}
	int rc = cg_agent_bundle_import(a, b, &d);
	cg_cli_print_diags(&d);
	cg_diags_clear(&d);
	if (rc == 0) {
		cg_agent_bundle_installed(a, p, sizeof p);
		printf(cg_tr("Đã cài bộ mẫu %s từ %s\n", "Installed bundle %s from %s\n"), p, b);
	} else if (rc == CG_EEXIST) {
		printf(cg_tr("Bộ mẫu ở %s không mới hơn bộ đang dùng: giữ nguyên\n",
		             "The bundle in %s is not newer than the one in use: kept\n"),
		       b);
		rc = 0;
	}
	return rc;
}

int cg_agent_cli_import(struct cg_agent *a, const char *dir)
{
	char p[4400];
	uint8_t *buf = NULL;
	size_t len = 0, ran = 0, skipped = 0;
	json_t *tasks = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	if (!a->have_id) {
		cg_cli_err("%s", cg_tr("chưa đăng ký: không nhận nhiệm vụ ngoại tuyến",
		                       "not enrolled: offline tasks cannot be taken"));
		return CG_EXIT_ERROR;
	}
	int rb = import_bundle(a, dir);
	snprintf(p, sizeof p, "%s" CG_DIRSEP "tasks-%s.json", dir, a->id.agent_id);
	int rc = cg_read_file(p, 4u << 20, &buf, &len);
	if (rc == CG_ENOENT && rb != 1) {
		rc = 0; /* only a bundle was carried */
	} else if (rc == CG_ENOENT) {
		cg_cli_err(cg_tr("%s: không có bộ mẫu (manifest.json) hay tệp nhiệm vụ %s",
		                 "%s: holds no bundle (manifest.json) and no tasks file %s"),
		           dir, p);
	} else if (rc) {
		cg_cli_err("%s: %s", p, cg_strerror(rc));
	} else {
		rc = cg_agent_offline_open(a, (const char *)buf, len, p, &tasks, &d);
		cg_cli_print_diags(&d);
		if (rc == 0)
			rc = cg_agent_offline_run(a, tasks, &ran, &skipped);
		if (rc == 0)
			printf(
			    cg_tr(
			        "%s: đã chạy %zu nhiệm vụ, bỏ qua %zu đã chạy trước đó; mang kết "
			        "quả về bằng `canhgac agent export`\n",
			        "%s: ran %zu tasks, skipped %zu run before; carry the results back "
			        "with `canhgac agent export`\n"),
			    p, ran, skipped);
	}
	cg_diags_clear(&d);
	json_decref(tasks);
	cg_free(buf);
	return rc == 0 && (rb == 0 || rb == 1) ? CG_EXIT_OK : CG_EXIT_ERROR;
}

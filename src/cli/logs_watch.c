/* logs_watch.c - `canhgac logs watch FILE...`: follows logs as they grow (follow.h: rotation,
 * truncation), runs each new line through the same decoders and rules as `logs analyze`, and
 * keeps the files' positions and the rules' counters in DATA_DIR/logwatch.db, so that a restart
 * goes on where it stopped: no line is missed and none is counted twice.
 *
 * Order of work per round: read and evaluate the new lines, flush the alerts to stdout, then save
 * positions and counters in one transaction. A crash between the two repeats, at worst, the
 * alerts of that round; it never loses one. */
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/sys.h"
#include "logs/follow.h"
#include "logs/logstate.h"
#include "logs_run.h"
#include "banned.h"

struct watch {
	struct logs_ctx *c;
	struct cg_logstate *db;
	struct cg_follow *f[LOGS_MAX_FILES];
	char *abs[LOGS_MAX_FILES]; /* the key of each file in logwatch.db */
	struct cg_follow_pos pos[LOGS_MAX_FILES];
};

static int on_line(void *arg, const char *line, size_t n)
{
	return logs_line(arg, line, n);
}

static int save(struct watch *w)
{
	uint8_t *blob = NULL;
	size_t blen = 0;
	int rc;
	if (fflush(stdout) != 0)
		return CG_EIO; /* alerts not delivered: do not move the positions past them */
	for (size_t i = 0; i < w->c->nfiles; i++)
		cg_follow_get_pos(w->f[i], &w->pos[i]);
	rc = cg_rulestate_save(w->c->st, cg_now_ms() / 1000, &blob, &blen);
	if (rc == 0)
		rc = cg_logstate_save(w->db, (const char *const *)w->abs, w->pos, w->c->nfiles,
		                      blob, blen);
	cg_free(blob);
	return rc;
}

static int open_all(struct watch *w)
{
	char path[4096];
	void *blob = NULL;
	size_t blen = 0;
	int rc;

	if ((rc = cg_cli_path(&w->c->cli, "logwatch.db", path, sizeof(path))) != 0 ||
	    (rc = cg_logstate_open(path, &w->db)) != 0) {
		cg_cli_err("%s: %s", path, cg_strerror(rc));
		return rc;
	}
	rc = cg_logstate_get_blob(w->db, &blob, &blen);
	if (rc == 0 && cg_rulestate_restore(w->c->st, blob, blen) != 0)
		cg_cli_err(cg_tr("%s: bộ đếm đã lưu bị hỏng, bắt đầu đếm lại",
		                 "%s: the saved counters are damaged; counting starts again"),
		           path);
	cg_free(blob);
	for (size_t i = 0; i < w->c->nfiles; i++) {
		struct cg_follow_pos saved;
		char abs[4096];
		if (cg_cli_abs_path(w->c->files[i], abs, sizeof(abs)) != 0)
			snprintf(abs, sizeof(abs), "%s", w->c->files[i]);
		if (!(w->abs[i] = cg_strdup(abs)))
			return CG_ENOMEM;
		rc = cg_logstate_get_pos(w->db, abs, &saved);
		if (rc && rc != CG_ENOENT)
			return rc;
		rc = cg_follow_new(&w->f[i], abs, rc == 0 ? &saved : NULL, w->c->from_start);
		if (rc)
			return rc;
	}
	return 0;
}

static int round_once(struct watch *w, uint64_t *got)
{
	*got = 0;
	w->c->dec.now = cg_now_ms() / 1000;
	for (size_t i = 0; i < w->c->nfiles; i++) {
		uint64_t n = 0;
		w->c->cur_path = w->abs[i];
		int rc = cg_follow_poll(w->f[i], on_line, w->c, &n);
		*got += n;
		if (rc == CG_ENOMEM)
			return rc;
		if (rc < 0) {
			cg_cli_err("%s: %s", w->abs[i], cg_strerror(rc));
			w->c->errors++;
		} else if (rc) {
			return rc;
		}
	}
	return 0;
}

int cg_logs_watch(struct cg_cli *cli, int argc, char **argv)
{
	struct watch *w = cg_calloc(1, sizeof(*w));
	struct logs_ctx *c = cg_calloc(1, sizeof(*c));
	int rc = CG_ENOMEM, code = CG_EXIT_ERROR;
	uint64_t got;

	if (!w || !c)
		goto out;
	c->cli = *cli;
	c->is_watch = 1;
	w->c = c;
	code = logs_parse(c, argc, argv, "logs");
	if (code) {
		code = code < 0 ? CG_EXIT_OK : code;
		rc = 0;
		goto out;
	}
	code = CG_EXIT_ERROR;
	if (c->nchannels) {
		cg_cli_err("%s",
		           cg_tr("logs watch theo dõi tệp; kênh sự kiện Windows: logs analyze "
		                 "--channel",
		                 "logs watch follows files; for Windows event channels use logs "
		                 "analyze --channel"));
		goto out;
	}
	if ((rc = logs_setup(c)) != 0 || (rc = open_all(w)) != 0)
		goto out;
	c->files_read = c->nfiles;
	cg_stop_on_signals();
	if (!c->once && !c->cli.quiet && !c->cli.json)
		fprintf(stderr,
		        cg_tr("Đang theo dõi %zu tệp (Ctrl-C để dừng; vị trí được lưu trong "
		              "logwatch.db).\n",
		              "Watching %zu files (Ctrl-C stops; positions are kept in "
		              "logwatch.db).\n"),
		        c->nfiles);
	for (;;) {
		if ((rc = round_once(w, &got)) != 0)
			break;
		if ((got || c->once) && (rc = save(w)) != 0) {
			cg_cli_err(cg_tr("không lưu được vị trí: %s", "cannot save positions: %s"),
			           cg_strerror(rc));
			break;
		}
		if (c->once || cg_stop_requested())
			break;
		cg_sleep_ms(c->interval_ms);
		if (cg_stop_requested()) {
			rc = save(w);
			break;
		}
	}
	if (rc == 0) {
		logs_print_summary(c);
		code = c->errors ? CG_EXIT_ERROR : c->alerts ? CG_EXIT_FOUND : CG_EXIT_OK;
	}
out:
	if (rc && code != CG_EXIT_OK)
		cg_cli_err("%s", cg_strerror(rc));
	for (size_t i = 0; w && c && i < c->nfiles; i++) {
		cg_follow_free(w->f[i]);
		cg_free(w->abs[i]);
	}
	if (w)
		cg_logstate_close(w->db);
	if (c)
		logs_teardown(c);
	cg_free(c);
	cg_free(w);
	return code;
}

/* agent_event.c - `canhgac agent event [FILE]`: other commands' --json output into the agent's
 * spool. Every line is checked first (JSON object, schema canhgac.event/1, kind, time_ms, and
 * severity when present: summaries have none and count as info); one bad line and nothing is
 * appended. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/event.h"
#include "canhgac/spool.h"
#include "canhgac/sys.h"
#include "agent_cli.h"
#include "cli.h"
#include "banned.h"

struct lines {
	struct cg_spool_item *v;
	size_t n, cap;
	size_t bad;
};

/* Checks one record; returns the compact JSON to spool (malloc'd by jansson) or NULL after
 * printing why. */
static char *check_line(const char *line, size_t len, const char *src, unsigned long ln,
                        enum cg_severity *sev, int64_t *t)
{
	json_error_t err;
	json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &err);
	const char *schema = json_string_value(json_object_get(o, "schema"));
	const char *sv = json_string_value(json_object_get(o, "severity"));
	json_t *tm = json_object_get(o, "time_ms");
	char *out = NULL;

	*sev = CG_SEV_INFO; /* summaries carry no severity */
	if (!o)
		fprintf(stderr, cg_tr("%s:%lu: JSON sai: %s\n", "%s:%lu: bad JSON: %s\n"), src, ln,
		        err.text);
	else if (!json_is_object(o) || !schema || strcmp(schema, CG_EVENT_SCHEMA) != 0)
		fprintf(stderr,
		        cg_tr("%s:%lu: không phải bản ghi %s\n", "%s:%lu: not a %s record\n"), src,
		        ln, CG_EVENT_SCHEMA);
	else if (!json_is_string(json_object_get(o, "kind")) ||
	         json_string_length(json_object_get(o, "kind")) == 0)
		fprintf(stderr, cg_tr("%s:%lu: thiếu trường kind\n", "%s:%lu: no kind field\n"),
		        src, ln);
	else if ((sv && cg_severity_parse(sv, sev) != 0) || (!sv && json_object_get(o, "severity")))
		fprintf(stderr,
		        cg_tr("%s:%lu: severity phải là info, low, medium, high hoặc critical\n",
		              "%s:%lu: severity must be info, low, medium, high or critical\n"),
		        src, ln);
	else if (!json_is_integer(tm) || json_integer_value(tm) < 0)
		fprintf(
		    stderr,
		    cg_tr("%s:%lu: thiếu time_ms (số nguyên)\n", "%s:%lu: no time_ms (integer)\n"),
		    src, ln);
	else if (!(out = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII)))
		fprintf(stderr, "%s:%lu: %s\n", src, ln, cg_strerror(CG_ENOMEM));
	else if (strlen(out) > CG_MAX_SPOOL_EVENT) {
		fprintf(stderr,
		        cg_tr("%s:%lu: bản ghi lớn quá %lu byte\n",
		              "%s:%lu: record larger than %lu bytes\n"),
		        src, ln, CG_MAX_SPOOL_EVENT);
		free(out);
		out = NULL;
	}
	if (out)
		*t = json_integer_value(tm);
	json_decref(o);
	return out;
}

static int add(struct lines *l, char *js, enum cg_severity sev, int64_t t)
{
	if (cg_grow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v), CG_MAX_SPOOL_MANY))
		return -1;
	l->v[l->n].json = js;
	l->v[l->n].len = strlen(js);
	l->v[l->n].severity = sev;
	l->v[l->n].time_ms = t;
	l->n++;
	return 0;
}

static void read_all(FILE *f, const char *src, struct lines *l)
{
	char *line = NULL;
	size_t cap = 0;
	int64_t got;
	unsigned long ln = 0;

	while ((got = cg_cli_getline(&line, &cap, f)) >= 0) {
		enum cg_severity sev;
		int64_t t;
		char *js;
		ln++;
		while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
			got--;
		if (got == 0)
			continue; /* blank lines are allowed */
		if (l->n >= CG_MAX_SPOOL_MANY) {
			fprintf(stderr,
			        cg_tr("%s:%lu: quá %lu bản ghi\n", "%s:%lu: over %lu records\n"),
			        src, ln, CG_MAX_SPOOL_MANY);
			l->bad++;
			break;
		}
		js = check_line(line, (size_t)got, src, ln, &sev, &t);
		if (!js || add(l, js, sev, t)) {
			free(js);
			l->bad++;
		}
	}
	if (ferror(f)) {
		cg_cli_err(cg_tr("lỗi đọc %s", "read error on %s"), src);
		l->bad++;
	}
	free(line); /* getline's allocation */
}

int cg_agent_cli_event(struct cg_agent *a, const char *file)
{
	struct lines l = {NULL, 0, 0, 0};
	int use_stdin = !file || strcmp(file, "-") == 0;
	FILE *f = use_stdin ? stdin : fopen(file, "r");
	const char *src = use_stdin ? "stdin" : file;
	uint64_t first = 0;
	int rc = 0;

	if (!f) {
		cg_cli_err(cg_tr("không mở được %s", "cannot open %s"), file);
		return CG_EXIT_ERROR;
	}
	read_all(f, src, &l);
	if (!use_stdin)
		fclose(f);
	if (l.bad) {
		cg_cli_err(cg_tr("%zu dòng sai: không thêm bản ghi nào",
		                 "%zu bad lines: no record was added"),
		           l.bad);
		rc = CG_EINVAL;
	} else if (l.n) {
		rc = cg_spool_append_many(a->spool, l.v, l.n, NULL, &first);
		if (rc)
			cg_cli_err(cg_tr("không ghi được vào hàng đợi: %s",
			                 "cannot write to the spool: %s"),
			           cg_strerror(rc));
	}
	if (rc == 0 && l.n)
		fprintf(
		    stderr,
		    cg_tr("đã thêm %zu bản ghi (seq %llu..)\n", "added %zu records (seq %llu..)\n"),
		    l.n, (unsigned long long)first);
	for (size_t i = 0; i < l.n; i++)
		free((char *)l.v[i].json); /* jansson's allocation */
	cg_free(l.v);
	return rc ? CG_EXIT_ERROR : CG_EXIT_OK;
}

/* logs_out.c - what `logs analyze` and `logs watch` print for an alert: one line for people
 * (dd/mm/yyyy time in the Vietnam zone, severity, rule, key, count, description, file:line) or
 * one docs/events.md record of kind log.alert (--json). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/event.h"
#include "canhgac/logrec.h"
#include "canhgac/logrules.h"
#include "canhgac/sys.h"
#include "canhgac/timeutil.h"
#include "canhgac/units.h"
#include "logs_run.h"
#include "banned.h"

static json_t *view_str(const struct cg_logview *v)
{
	if (!v->ptr)
		return NULL;
	if (cg_utf8_valid((const uint8_t *)v->ptr, v->len))
		return json_stringn(v->ptr, v->len);
	char *b = cg_base64((const uint8_t *)v->ptr, v->len);
	json_t *j = b ? json_pack("{s:s}", "base64", b) : NULL;
	cg_free(b);
	return j;
}

static void print_view(FILE *f, const struct cg_logview *v)
{
	cg_cli_print_path(f, v->ptr ? v->ptr : "", v->ptr ? v->len : 0);
}

static int alert_json(const struct logs_ctx *c, const struct cg_alert *a)
{
	struct cg_event e;
	char sig[160], t0[32], t1[32];
	json_t *o, *key, *fields;
	int rc = 0;

	memset(&e, 0, sizeof(e));
	snprintf(sig, sizeof(sig), "rule:%s", a->rule_id);
	e.time_ms = a->last * 1000 + (a->rec ? a->rec->time_ms : 0);
	e.kind = "log.alert";
	e.severity = a->severity;
	e.sig_id = sig;
	e.sig_name = a->rule_id;
	e.sig_type = "log-rule";
	e.size = -1;
	e.host = cg_host_facts();
	e.detail = cg_tr(a->desc_vi, a->desc_en);
	o = cg_event_to_json(&e);
	key = json_object();
	fields = json_object();
	if (!o || !key || !fields) {
		json_decref(o);
		json_decref(key);
		json_decref(fields);
		return CG_ENOMEM;
	}
	for (size_t i = 0; i < a->nkeys; i++) {
		json_t *v = view_str(&a->key_value[i]);
		if (v)
			json_object_set_new(key, cg_logfield_name(a->key_field[i]), v);
	}
	for (int f = 0; a->rec && f < CG_LF_COUNT; f++) {
		json_t *v = view_str(&a->rec->f[f]);
		if (v)
			json_object_set_new(fields, cg_logfield_name((enum cg_logfield)f), v);
	}
	cg_time_iso8601_ms(t0, a->first * 1000);
	cg_time_iso8601_ms(t1, a->last * 1000);
	json_object_set_new(o, "rule",
	                    json_pack("{s:s,s:s,s:s}", "id", a->rule_id, "description_vi",
	                              a->desc_vi, "description_en", a->desc_en));
	json_object_set_new(o, "key", key);
	json_object_set_new(o, "count", json_integer((json_int_t)a->count));
	json_object_set_new(o, "first", json_string(t0));
	json_object_set_new(o, "last", json_string(t1));
	json_object_set_new(o, "log",
	                    json_pack("{s:s,s:I,s:s?,s:s?,s:o}", "path", c->cur_path, "line",
	                              (json_int_t)c->cur_line, "format",
	                              a->rec ? a->rec->format : NULL, "decoder",
	                              a->rec ? a->rec->decoder : NULL, "fields", fields));
	if (json_dumpf(o, stdout, JSON_COMPACT | JSON_ENSURE_ASCII) != 0 || fputc('\n', stdout) < 0)
		rc = CG_EIO;
	json_decref(o);
	return rc;
}

static void alert_text(const struct logs_ctx *c, const struct cg_alert *a)
{
	char when[32];
	cg_time_human(when, a->last * 1000, CG_UNITS_TZ_VN / 60);
	printf("%s [%s] %s", when, cg_severity_label(a->severity), a->rule_id);
	for (size_t i = 0; i < a->nkeys; i++) {
		printf(" %s=", cg_logfield_name(a->key_field[i]));
		print_view(stdout, &a->key_value[i]);
	}
	/* what an antivirus found, and where: the point of such an alert */
	for (int f = CG_LF_THREAT; a->rec && f <= CG_LF_PATH; f++) {
		if (!a->rec->f[f].ptr)
			continue;
		printf(" %s=", cg_logfield_name((enum cg_logfield)f));
		print_view(stdout, &a->rec->f[f]);
	}
	if (a->count > 1)
		printf(cg_tr(" (%llu lần)", " (%llu times)"), (unsigned long long)a->count);
	printf(" — %s  ", cg_tr(a->desc_vi, a->desc_en));
	cg_cli_print_path(stdout, c->cur_path, strlen(c->cur_path));
	printf(":%llu\n", (unsigned long long)c->cur_line);
}

int logs_on_alert(void *arg, const struct cg_alert *a)
{
	struct logs_ctx *c = arg;
	c->alerts++;
	for (size_t i = 0; i < c->nrules_seen; i++) {
		if (strcmp(c->rules_seen[i].id, a->rule_id) == 0) {
			c->rules_seen[i].n++;
			goto print;
		}
	}
	if (c->nrules_seen < LOGS_MAX_RULE_SUMMARY) {
		snprintf(c->rules_seen[c->nrules_seen].id, sizeof(c->rules_seen[0].id), "%s",
		         a->rule_id);
		c->rules_seen[c->nrules_seen++].n = 1;
	}
print:
	if (c->quiet_alerts)
		return 0;
	if (c->cli.json)
		return alert_json(c, a);
	alert_text(c, a);
	return 0;
}

void logs_print_summary(const struct logs_ctx *c)
{
	if (c->cli.json) {
		json_t *by = json_object();
		for (size_t i = 0; by && i < c->nrules_seen; i++)
			json_object_set_new(by, c->rules_seen[i].id,
			                    json_integer((json_int_t)c->rules_seen[i].n));
		json_t *o =
		    json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:o}", "schema", CG_EVENT_SCHEMA,
		              "kind", "logs.summary", "files", (json_int_t)c->files_read, "lines",
		              (json_int_t)c->lines, "decoded", (json_int_t)c->decoded, "alerts",
		              (json_int_t)c->alerts, "errors", (json_int_t)c->errors, "by_rule",
		              by ? by : json_object());
		if (o) {
			json_dumpf(o, stdout, JSON_COMPACT | JSON_ENSURE_ASCII);
			fputc('\n', stdout);
		}
		json_decref(o);
		return;
	}
	fprintf(c->cli.quiet ? stderr : stdout,
	        cg_tr("%llu tệp, %llu dòng (%llu dòng đọc được trường), %llu cảnh báo, %llu lỗi.\n",
	              "%llu files, %llu lines (%llu decoded into fields), %llu alerts, %llu "
	              "errors.\n"),
	        (unsigned long long)c->files_read, (unsigned long long)c->lines,
	        (unsigned long long)c->decoded, (unsigned long long)c->alerts,
	        (unsigned long long)c->errors);
	for (size_t i = 0; i < c->nrules_seen; i++)
		fprintf(c->cli.quiet ? stderr : stdout, "  %-28s %llu\n", c->rules_seen[i].id,
		        (unsigned long long)c->rules_seen[i].n);
}

/* logs_run.c - `canhgac logs analyze FILE...`: every line of each file (plain or gzip, or a
 * Windows .evtx) is decoded (logdec.h) and evaluated against the rule set (logrules.h): the
 * built-in rules, DATA_DIR/rules and --rules, and a fail2ban filter with --fail2ban. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/f2b.h"
#include "canhgac/limits.h"
#include "canhgac/logdec.h"
#include "canhgac/logrules.h"
#include "canhgac/sys.h"
#include "canhgac/table.h"
#include "canhgac/units.h"
#include "canhgac/fileio.h"
#include "logs/evtx.h"
#include "logs/logread.h"
#include "logs_run.h"
#include "rules_builtin.h"
#include "banned.h"

enum {
	OPT_FORMAT = OPT_COMMON_LAST,
	OPT_RULES,
	OPT_NO_BUILTIN,
	OPT_F2B,
	OPT_F2B_MODE,
	OPT_MAXRETRY,
	OPT_FINDTIME,
	OPT_DATE,
	OPT_TZ,
	OPT_SUMMARY,
	OPT_FROM_START,
	OPT_ONCE,
	OPT_INTERVAL,
	OPT_CHANNEL
};

static const struct option logs_opts[] = {
    CG_COMMON_LONGOPTS,
    {"format", required_argument, NULL, OPT_FORMAT},
    {"rules", required_argument, NULL, OPT_RULES},
    {"no-builtin-rules", no_argument, NULL, OPT_NO_BUILTIN},
    {"fail2ban", required_argument, NULL, OPT_F2B},
    {"mode", required_argument, NULL, OPT_F2B_MODE},
    {"maxretry", required_argument, NULL, OPT_MAXRETRY},
    {"findtime", required_argument, NULL, OPT_FINDTIME},
    {"date", required_argument, NULL, OPT_DATE},
    {"tz", required_argument, NULL, OPT_TZ},
    {"summary", no_argument, NULL, OPT_SUMMARY},
    {"from-start", no_argument, NULL, OPT_FROM_START},
    {"once", no_argument, NULL, OPT_ONCE},
    {"interval", required_argument, NULL, OPT_INTERVAL},
    {"channel", required_argument, NULL, OPT_CHANNEL},
    {NULL, 0, NULL, 0},
};

/* "600", "10m", "2h", "1d", "all" */
static int parse_duration(const char *s, int64_t *out)
{
	char *end;
	long long v;
	if (!strcmp(s, "all")) {
		*out = CG_WINDOW_ALL;
		return 0;
	}
	v = strtoll(s, &end, 10);
	if (end == s || v <= 0 || v > 366LL * 86400)
		return CG_EINVAL;
	switch (*end) {
	case '\0':
	case 's':
		break;
	case 'm':
		v *= 60;
		break;
	case 'h':
		v *= 3600;
		break;
	case 'd':
		v *= 86400;
		break;
	default:
		return CG_EINVAL;
	}
	if (*end && end[1])
		return CG_EINVAL;
	*out = v;
	return 0;
}

/* "+07:00", "-0530", "7", "0", "Z" -> seconds east of UTC */
static int parse_tz(const char *s, int64_t *out)
{
	int sign = 1, h = 0, m = 0;
	if (!strcmp(s, "Z") || !strcmp(s, "UTC")) {
		*out = 0;
		return 0;
	}
	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	if (sscanf(s, "%2d:%2d", &h, &m) < 1 && sscanf(s, "%2d%2d", &h, &m) < 1)
		return CG_EINVAL;
	if (h > 14 || m > 59)
		return CG_EINVAL;
	*out = sign * (h * 3600 + m * 60);
	return 0;
}

static int bad_value(const char *opt, const char *val, const char *vi, const char *en)
{
	cg_cli_err(cg_tr("%s: cần %s, nhận được '%s'", "%s: expected %s, got '%s'"), opt,
	           cg_tr(vi, en), val);
	return CG_EXIT_ERROR;
}

static int one_opt(struct logs_ctx *c, int opt, const char *arg)
{
	char *end;
	switch (opt) {
	case OPT_FORMAT:
		if (!cg_logdec_format_known(arg))
			return bad_value("--format", arg,
			                 "syslog, journald, access, apache-error, ...",
			                 "syslog, journald, access, apache-error, ...");
		c->dec.format = arg;
		return 0;
	case OPT_RULES:
		if (c->nrule_paths >= LOGS_MAX_RULE_PATHS)
			return bad_value("--rules", arg, "ít tệp hơn", "fewer files");
		c->rule_paths[c->nrule_paths++] = arg;
		return 0;
	case OPT_NO_BUILTIN:
		c->no_builtin = 1;
		return 0;
	case OPT_F2B:
		c->f2b_path = arg;
		return 0;
	case OPT_F2B_MODE:
		c->f2b_mode = arg;
		return 0;
	case OPT_MAXRETRY:
		c->maxretry = strtol(arg, &end, 10);
		if (*arg == '\0' || *end || c->maxretry < 1 || c->maxretry > 1000000)
			return bad_value("--maxretry", arg, "một số từ 1 đến 1000000",
			                 "a number from 1 to 1000000");
		return 0;
	case OPT_FINDTIME:
		if (parse_duration(arg, &c->findtime))
			return bad_value("--findtime", arg, "thời lượng như 600, 10m, 1h hoặc all",
			                 "a duration such as 600, 10m, 1h or all");
		return 0;
	case OPT_DATE: {
		int64_t t;
		int z = cg_table_parse_date(arg, 0, &t);
		if (z < 0)
			return bad_value("--date", arg, "ngày dd/mm/yyyy hoặc yyyy-mm-dd",
			                 "a date dd/mm/yyyy or yyyy-mm-dd");
		/* the logs are read as of the end of that day, Vietnam time */
		c->dec.now = z ? t : t + 86399 - CG_UNITS_TZ_VN;
		return 0;
	}
	case OPT_TZ:
		if (parse_tz(arg, &c->dec.tz))
			return bad_value("--tz", arg, "độ lệch như +07:00 hoặc Z",
			                 "an offset such as +07:00 or Z");
		return 0;
	case OPT_SUMMARY:
		c->quiet_alerts = 1;
		return 0;
	case OPT_FROM_START:
		c->from_start = 1;
		return 0;
	case OPT_ONCE:
		c->once = 1;
		return 0;
	case OPT_CHANNEL:
		if (!cg_evtx_has_channels()) {
			cg_cli_err("%s",
			           cg_tr("--channel: nhật ký sự kiện trực tiếp chỉ đọc được trên "
			                 "Windows; ở đây hãy đưa tệp .evtx đã sao chép",
			                 "--channel: live event logs are read on Windows only; "
			                 "here, give a copied .evtx file"));
			return CG_EXIT_ERROR;
		}
		if (c->nchannels >= LOGS_MAX_CHANNELS)
			return bad_value("--channel", arg, "ít kênh hơn", "fewer channels");
		c->channels[c->nchannels++] = arg;
		return 0;
	case OPT_INTERVAL:
		c->interval_ms = strtol(arg, &end, 10);
		if (*arg == '\0' || *end || c->interval_ms < 50 || c->interval_ms > 3600000)
			return bad_value("--interval", arg, "số mili giây từ 50 đến 3600000",
			                 "milliseconds from 50 to 3600000");
		return 0;
	default:
		cg_cli_err("%s", cg_tr("tùy chọn không hợp lệ (xem: canhgac help logs)",
		                       "invalid option (see: canhgac help logs)"));
		return CG_EXIT_ERROR;
	}
}

int logs_parse(struct logs_ctx *c, int argc, char **argv, const char *cmd)
{
	int opt, rc;
	c->dec.now = cg_now_ms() / 1000;
	c->dec.tz = CG_UNITS_TZ_VN;
	c->maxretry = 5;
	c->findtime = 600;
	c->interval_ms = 1000;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", logs_opts, NULL)) != -1) {
		int h = cg_cli_common_opt(&c->cli, opt, optarg, cmd);
		if (h == 0)
			continue;
		if (h < 0)
			return CG_EXIT_ERROR;
		if (h == 2)
			return -1;
		if ((rc = one_opt(c, opt, optarg)) != 0)
			return rc;
	}
	for (int i = optind; i < argc; i++) {
		if (c->nfiles >= LOGS_MAX_FILES) {
			cg_cli_err(
			    cg_tr("quá nhiều tệp (tối đa %d)", "too many files (at most %d)"),
			    LOGS_MAX_FILES);
			return CG_EXIT_ERROR;
		}
		c->files[c->nfiles++] = argv[i];
	}
	/* canhgac.exe logs analyze, with nothing named: this PC's own event logs */
	if (!c->nfiles && !c->nchannels && cg_evtx_has_channels() && strcmp(cmd, "logs") == 0 &&
	    !c->is_watch) {
		static const char *const def[] = {"Security", "System",
		                                  "Microsoft-Windows-Windows Defender/Operational"};
		for (size_t i = 0; i < 3; i++)
			c->channels[c->nchannels++] = def[i];
	}
	if (!c->nfiles && !c->nchannels) {
		cg_cli_err("%s", cg_tr("cần ít nhất một tệp nhật ký (xem: canhgac help logs)",
		                       "at least one log file is needed (see: canhgac help logs)"));
		return CG_EXIT_ERROR;
	}
	if (c->no_builtin && !c->nrule_paths && !c->f2b_path) {
		cg_cli_err("%s", cg_tr("--no-builtin-rules cần --rules hoặc --fail2ban",
		                       "--no-builtin-rules needs --rules or --fail2ban"));
		return CG_EXIT_ERROR;
	}
	return 0;
}

/* The failures of the fail2ban filter become records of decoder "fail2ban", counted by one
 * rule written here from --maxretry and --findtime. */
static int f2b_rule_text(const struct logs_ctx *c, const char *name, char *out, size_t cap)
{
	char window[32];
	if (c->findtime == CG_WINDOW_ALL)
		snprintf(window, sizeof(window), "all");
	else
		snprintf(window, sizeof(window), "%llds", (long long)c->findtime);
	int n = snprintf(out, cap,
	                 "[fail2ban-%s]\n"
	                 "description.vi = Bộ lọc fail2ban %s: %ld lần thất bại từ một địa chỉ\n"
	                 "description.en = fail2ban filter %s: %ld failures from one address\n"
	                 "severity = high\ndecoder = fail2ban\nmatch action = auth_fail\n"
	                 "count = %ld\nwindow = %s\nkey = srcip\n",
	                 name, name, c->maxretry, name, c->maxretry, c->maxretry, window);
	return n < 0 || (size_t)n >= cap ? CG_ELIMIT : 0;
}

static int read_whole(void *ctx, const char *path, char **data, size_t *len)
{
	uint8_t *buf = NULL;
	int rc;
	(void)ctx;
	rc = cg_read_file(path, 1u << 20, &buf, len);
	if (rc == 0)
		*data = (char *)buf;
	return rc;
}

static int load_f2b(struct logs_ctx *c)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_f2b_opt opt = {"mode", c->f2b_mode};
	char text[1024], name[64];
	const char *base = strrchr(c->f2b_path, '/');
	size_t n;
	int rc;

	rc = cg_f2b_load(c->f2b_path, read_whole, NULL, &opt, c->f2b_mode ? 1 : 0, &c->f2b, &d);
	if (rc == 0)
		rc = cg_f2b_state_new(c->f2b, &c->f2b_st);
	if (rc) {
		cg_cli_print_diags(&d);
		cg_cli_err(cg_tr("%s: không nạp được bộ lọc fail2ban: %s",
		                 "%s: cannot load the fail2ban filter: %s"),
		           c->f2b_path, cg_strerror(rc));
		cg_diags_clear(&d);
		return rc;
	}
	cg_diags_clear(&d);
	/* the rule is named after the filter: fail2ban-sshd */
	base = base ? base + 1 : c->f2b_path;
	n = strcspn(base, ".");
	if (n >= sizeof(name))
		n = sizeof(name) - 1;
	for (size_t i = 0; i < n; i++)
		name[i] = (base[i] >= 'a' && base[i] <= 'z') ||
		                  (base[i] >= '0' && base[i] <= '9') || base[i] == '-'
		              ? base[i]
		              : '-';
	name[n] = 0;
	rc = f2b_rule_text(c, n ? name : "filter", text, sizeof(text));
	if (rc == 0) {
		rc = cg_ruleset_load(c->rs, text, strlen(text), "--fail2ban", &d);
		if (rc)
			cg_cli_print_diags(&d);
		cg_diags_clear(&d);
	}
	return rc;
}

/* --rules PATH: a .rules file, or a folder whose *.rules files load in name order */
static int load_rule_path(struct logs_ctx *c, const char *path, struct cg_diags *d)
{
	char **names = NULL;
	size_t n = 0;
	int rc = cg_cli_rules_names(path, &names, &n);
	if (rc == CG_ENOENT) {
		uint8_t *buf = NULL;
		size_t len = 0;
		rc = cg_read_file(path, CG_MAX_RULE_FILE, &buf, &len);
		if (rc == 0)
			rc = cg_ruleset_load(c->rs, (const char *)buf, len, path, d);
		else
			cg_cli_err("%s: %s", path, cg_strerror(rc));
		cg_free(buf);
		return rc;
	}
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char full[4096];
		uint8_t *buf = NULL;
		size_t len = 0;
		snprintf(full, sizeof(full), "%s/%s", path, names[i]);
		rc = cg_read_file(full, CG_MAX_RULE_FILE, &buf, &len);
		if (rc == 0)
			rc = cg_ruleset_load(c->rs, (const char *)buf, len, full, d);
		else
			cg_cli_err("%s: %s", full, cg_strerror(rc));
		cg_free(buf);
	}
	cg_cli_rules_names_free(names, n);
	return rc;
}

int logs_setup(struct logs_ctx *c)
{
	struct cg_diags d = CG_DIAGS_INIT;
	int rc;

	if (cg_cli_data_dir(&c->cli))
		return CG_EIO;
	if (!c->no_builtin) {
		/* the effective set of `rules list`: built-in, then DATA_DIR/rules */
		struct cg_ruleset *eff = NULL;
		rc = cg_cli_rules_load_uncompiled(&c->cli, &eff);
		if (rc)
			return rc;
		c->rs = eff;
	} else if ((rc = cg_ruleset_new(&c->rs)) != 0) {
		return rc;
	}
	for (size_t i = 0; i < c->nrule_paths; i++)
		if ((rc = load_rule_path(c, c->rule_paths[i], &d)) != 0)
			goto out;
	if (c->f2b_path && (rc = load_f2b(c)) != 0)
		goto out;
	rc = cg_ruleset_compile(c->rs, &d);
	if (rc == 0)
		rc = cg_rulestate_new(c->rs, &c->st);
out:
	if (rc)
		cg_cli_print_diags(&d);
	cg_diags_clear(&d);
	return rc;
}

void logs_teardown(struct logs_ctx *c)
{
	cg_rulestate_free(c->st);
	cg_ruleset_free(c->rs);
	cg_f2b_state_free(c->f2b_st);
	cg_f2b_filter_free(c->f2b);
	c->st = NULL;
	c->rs = NULL;
	c->f2b = NULL;
	c->f2b_st = NULL;
}

static int f2b_line(struct logs_ctx *c, const char *line, size_t n)
{
	struct cg_f2b_result res;
	struct cg_logrec rec;
	int rc = cg_f2b_match(c->f2b, c->f2b_st, line, n, c->dec.now, c->dec.tz, &res);
	if (rc && rc != CG_ELIMIT)
		return rc;
	if (res.status != CG_F2B_FAILURE)
		return 0;
	c->f2b_failures++;
	cg_logrec_clear(&rec);
	rec.format = "fail2ban";
	rec.decoder = "fail2ban";
	rec.time = res.time;
	rec.has_time = res.has_time;
	cg_logrec_set(&rec, CG_LF_ACTION, CG_LA_AUTH_FAIL, strlen(CG_LA_AUTH_FAIL));
	cg_logrec_set(&rec, CG_LF_SRCIP, res.addr, strlen(res.addr));
	if (res.user[0])
		cg_logrec_set(&rec, CG_LF_USER, res.user, strlen(res.user));
	cg_logrec_set(&rec, CG_LF_MSG, line, n);
	return cg_rules_eval(c->rs, c->st, &rec, c->dec.now, logs_on_alert, c);
}

int logs_line(struct logs_ctx *c, const char *line, size_t n)
{
	struct cg_logrec rec;
	int rc;
	c->lines++;
	c->cur_line++;
	if (c->f2b && (rc = f2b_line(c, line, n)) != 0)
		return rc;
	if (c->f2b && c->no_builtin && !c->nrule_paths)
		return 0; /* only the filter was asked for */
	rc = cg_logdec_line(&c->dec, line, n, &rec);
	if (rc == 0)
		c->decoded++;
	else if (rc != CG_ENOENT)
		return rc;
	return cg_rules_eval(c->rs, c->st, &rec, c->dec.now, logs_on_alert, c);
}

/* 1 when the file starts as an .evtx file does ("ElfFile\0"). */
static int is_evtx(const char *path)
{
	char head[8];
	int fd = cg_file_open_read(path);
	int64_t n = fd >= 0 ? cg_file_pread(fd, head, sizeof(head), 0) : -1;
	if (fd >= 0)
		cg_file_close(fd);
	return n == 8 && memcmp(head, "ElfFile", 8) == 0;
}

static int on_event(void *arg, const char *json, size_t len)
{
	return logs_line(arg, json, len);
}

/* A Windows event log: a copied .evtx file, or a live channel (Windows). Each event becomes a
 * JSON line read by the winevent decoder. */
static int analyze_events(struct logs_ctx *c, const char *name, int is_channel)
{
	struct cg_diags d = CG_DIAGS_INIT;
	const char *saved = c->dec.format;
	int rc;
	c->cur_path = name;
	c->cur_line = 0;
	c->dec.format = "winevent";
	rc = cg_evtx_each(name, is_channel, on_event, c, &d);
	c->dec.format = saved;
	cg_cli_print_diags(&d);
	cg_diags_clear(&d);
	if (rc == CG_ENOMEM)
		return rc;
	if (rc && rc != CG_EPARTIAL) {
		cg_cli_err("%s: %s", name, cg_strerror(rc));
		c->errors++;
		return 0;
	}
	c->files_read++;
	if (rc == CG_EPARTIAL)
		c->errors++;
	return 0;
}

static int analyze_file(struct logs_ctx *c, const char *path)
{
	struct cg_logread *lr = NULL;
	const char *line;
	size_t n;
	int cut, rc;

	if (is_evtx(path))
		return analyze_events(c, path, 0);
	c->cur_path = path;
	c->cur_line = 0;
	rc = cg_logread_open(path, &lr);
	if (rc) {
		cg_cli_err("%s: %s", path, cg_strerror(rc));
		c->errors++;
		return 0;
	}
	c->files_read++;
	while ((rc = cg_logread_next(lr, &line, &n, &cut)) == 1)
		if ((rc = logs_line(c, line, n)) != 0)
			break;
	if (rc < 0) {
		/* the lines before the damage were analysed; say where it stopped */
		cg_cli_err(cg_tr("%s: dòng %llu: %s", "%s: line %llu: %s"), path,
		           (unsigned long long)c->cur_line + 1, cg_strerror(rc));
		c->errors++;
		rc = rc == CG_ENOMEM ? rc : 0;
	}
	cg_logread_close(lr);
	return rc;
}

int cg_logs_analyze(struct cg_cli *cli, int argc, char **argv)
{
	struct logs_ctx *c = cg_calloc(1, sizeof(*c));
	int rc, code;
	if (!c) {
		cg_cli_err("%s", cg_strerror(CG_ENOMEM));
		return CG_EXIT_ERROR;
	}
	c->cli = *cli;
	code = logs_parse(c, argc, argv, "logs");
	if (code) {
		cg_free(c);
		return code < 0 ? CG_EXIT_OK : code;
	}
	rc = logs_setup(c);
	for (size_t i = 0; rc == 0 && i < c->nchannels; i++)
		rc = analyze_events(c, c->channels[i], 1);
	for (size_t i = 0; rc == 0 && i < c->nfiles; i++)
		rc = analyze_file(c, c->files[i]);
	if (rc) {
		cg_cli_err("%s", cg_strerror(rc));
		code = CG_EXIT_ERROR;
	} else {
		fflush(stdout);
		logs_print_summary(c);
		/* as grep and scan: 1 when something was found, 2 when a file could not be read */
		code = c->errors ? CG_EXIT_ERROR : c->alerts ? CG_EXIT_FOUND : CG_EXIT_OK;
	}
	logs_teardown(c);
	cg_free(c);
	return code;
}

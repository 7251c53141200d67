/* cmd_match.c - `canhgac match ips`: options, and the lists to match against (plain list files
 * given with --list-file, read without any database; imported feeds from the feed store), and
 * the units file of --summary --units. */
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/iplist.h"
#include "canhgac/sys.h"
#include "cli.h"
#include "canhgac/families.h"
#include "canhgac/feedstore.h"
#include "cli_units.h"
#include "feed_cli.h"
#include "match.h"
#include "banned.h"

enum {
	OPT_LIST_FILE = OPT_COMMON_LAST,
	OPT_LIST,
	OPT_COUNT,
	OPT_SUMMARY,
	OPT_THREADS,
	OPT_LINES,
	OPT_UNITS
};

static const struct option m_opts[] = {
    CG_COMMON_LONGOPTS,
    {"list-file", required_argument, NULL, OPT_LIST_FILE},
    {"list", required_argument, NULL, OPT_LIST},
    {"count", no_argument, NULL, OPT_COUNT},
    {"summary", no_argument, NULL, OPT_SUMMARY},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"lines", no_argument, NULL, OPT_LINES},
    {"units", required_argument, NULL, OPT_UNITS},
    {NULL, 0, NULL, 0},
};

struct m_args {
	struct match_opts o;
	const char *list_files[CG_MAX_MATCH_LISTS];
	size_t nlist_files;
	const char *list_names[CG_MAX_MATCH_LISTS];
	size_t nlist_names;
	const char *units; /* --units FILE */
};

/* The likely device and what to do, from the families data (families.h), in the current
 * language: "Camera IP / đầu ghi hình (DVR): đổi mật khẩu...". Kept per family name. */
const char *match_family_hint(const char *family)
{
	static char *cache_name[64], *cache_hint[64];
	static size_t ncache;
	const struct cg_family *fam;
	char buf[2048];

	if (!family || !*family)
		return NULL;
	for (size_t i = 0; i < ncache; i++)
		if (strcmp(cache_name[i], family) == 0)
			return cache_hint[i];
	fam = cg_families_lookup(cg_cli_families(NULL), family);
	if (!fam)
		return NULL;
	snprintf(buf, sizeof(buf), "%s: %s", cg_tr(fam->device_vi, fam->device_en),
	         cg_tr(fam->fix_vi, fam->fix_en));
	if (ncache == sizeof(cache_name) / sizeof(cache_name[0]))
		return NULL;
	cache_name[ncache] = cg_strdup(family);
	cache_hint[ncache] = cg_strdup(buf);
	if (!cache_name[ncache] || !cache_hint[ncache]) {
		cg_free(cache_name[ncache]);
		cg_free(cache_hint[ncache]);
		return NULL;
	}
	return cache_hint[ncache++];
}

/* Adds one listed prefix: its payload is the index of its match_meta. */
static int add_prefix(void *arg, const struct cg_prefix *p, uint16_t port, unsigned long line)
{
	struct match_lists *L = arg;
	int rc;
	(void)port; /* a listed "IP:port" matches the address on any port */
	if (L->nmeta == L->capmeta && (rc = cg_grow((void **)&L->meta, &L->capmeta, L->nmeta + 1,
	                                            sizeof(*L->meta), CG_MAX_IPSET_ENTRIES)))
		return rc;
	rc = cg_ipset_add(L->set, p, (uint32_t)L->nmeta);
	if (rc)
		return rc;
	L->meta[L->nmeta].line = line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
	L->meta[L->nmeta].list = L->cur_list;
	L->meta[L->nmeta].family = L->cur_family;
	L->nmeta++;
	return 0;
}

static int new_list(struct match_lists *L, const char *name)
{
	if (L->nnames >= CG_MAX_MATCH_LISTS) {
		cg_cli_err(cg_tr("quá %d danh sách", "more than %d lists"), CG_MAX_MATCH_LISTS);
		return CG_ELIMIT;
	}
	L->names[L->nnames] = cg_strdup(name);
	if (!L->names[L->nnames])
		return CG_ENOMEM;
	L->cur_list = (uint16_t)L->nnames++;
	L->cur_family = 0;
	return 0;
}

static void print_some_diags(const struct cg_diags *d, size_t nbad)
{
	size_t shown = d->n < 5 ? d->n : 5;
	for (size_t i = 0; i < shown; i++)
		fprintf(stderr, "%s:%lu: %s\n", d->v[i].source, d->v[i].line,
		        cg_diag_msg(&d->v[i]));
	if (nbad > shown)
		fprintf(stderr,
		        cg_tr("... và %zu dòng hỏng khác\n", "... and %zu more bad lines\n"),
		        nbad - shown);
}

static int load_list_file(struct match_lists *L, const char *path, int quiet)
{
	struct cg_diags d = CG_DIAGS_INIT;
	uint8_t *buf = NULL;
	size_t len = 0, nbad = 0, before = L->nmeta;
	const char *base = strrchr(path, '/');
	int rc = cg_read_file(path, CG_MAX_IPLIST_FILE, &buf, &len);

	if (rc) {
		cg_cli_err("%s: %s", path, cg_strerror(rc));
		return rc;
	}
	rc = new_list(L, base ? base + 1 : path);
	/* A list line takes at least 8 bytes ("1.2.3.4\n"): room for that many entries. */
	if (!rc && len / 8 > 1024) {
		rc = cg_ipset_reserve(L->set, L->nmeta + len / 8, 0);
		if (!rc)
			rc = cg_grow((void **)&L->meta, &L->capmeta, L->nmeta + len / 8,
			             sizeof(*L->meta), CG_MAX_IPSET_ENTRIES);
	}
	if (!rc)
		rc = cg_iplist_parse((const char *)buf, len, path, add_prefix, L, &d, &nbad);
	if (rc)
		cg_cli_err("%s: %s", path, cg_strerror(rc));
	else if (nbad && !quiet)
		print_some_diags(&d, nbad);
	if (!rc && L->nmeta == before && nbad)
		cg_cli_err(cg_tr("%s: không có địa chỉ hợp lệ nào", "%s: no valid address at all"),
		           path);
	cg_diags_clear(&d);
	cg_free(buf);
	return rc;
}

/* Interns a family name: its 1-based index in L->families. */
static int intern_family(struct match_lists *L, const char *name, uint16_t *out)
{
	*out = 0;
	if (!name || !*name)
		return 0;
	for (size_t i = L->nfam; i > 0; i--)
		if (strcmp(L->families[i - 1], name) == 0) {
			*out = (uint16_t)i;
			return 0;
		}
	if (L->nfam >= UINT16_MAX)
		return 0; /* more families than we name: the entry still matches, without a name */
	if (cg_grow((void **)&L->families, &L->capfam, L->nfam + 1, sizeof(char *), UINT16_MAX))
		return CG_ENOMEM;
	if (!(L->families[L->nfam] = cg_strdup(name)))
		return CG_ENOMEM;
	*out = (uint16_t)++L->nfam;
	return 0;
}

struct store_load {
	struct match_lists *L;
	const struct m_args *a;
	int64_t cur_id;
};

/* One entry of a current feed: a new list at each feed, its IP entries into the set. */
static int take_store_entry(const struct cg_feed_record *rec, const struct cg_feed_entry *e,
                            void *arg)
{
	struct store_load *s = arg;
	struct cg_prefix p;
	int rc;

	if (s->a->nlist_names) {
		size_t i = 0;
		while (i < s->a->nlist_names && strcmp(s->a->list_names[i], rec->list) != 0)
			i++;
		if (i == s->a->nlist_names)
			return 0;
	}
	if (rec->id != s->cur_id) {
		if ((rc = new_list(s->L, rec->list)))
			return rc;
		s->cur_id = rec->id;
	}
	if (e->type != CG_IOC_IP || cg_prefix_parse(e->value, strlen(e->value), &p) != 0)
		return 0;
	if ((rc = intern_family(s->L, e->family, &s->L->cur_family)))
		return rc;
	return add_prefix(s->L, &p, e->port, e->line);
}

/* The current botnet and IOC lists imported into DATA_DIR/feeds.db (only the --list names
 * when given). */
static int load_store(struct cg_cli *c, const struct m_args *a, struct match_lists *L)
{
	struct cg_feedstore *fs = NULL;
	struct store_load s = {L, a, -1};
	int rc = cg_feed_cli_open(c, &fs);

	if (rc)
		return rc;
	cg_cli_families(c);
	rc = cg_feedstore_current_entries(fs, CG_FEED_BOTNET, NULL, take_store_entry, &s);
	if (!rc)
		rc = cg_feedstore_current_entries(fs, CG_FEED_IOC, NULL, take_store_entry, &s);
	cg_feedstore_close(fs);
	if (rc)
		cg_cli_err(cg_tr("đọc danh sách đã nhập: %s", "reading the imported lists: %s"),
		           cg_strerror(rc));
	for (size_t i = 0; !rc && i < a->nlist_names; i++) {
		size_t j = 0;
		while (j < L->nnames && strcmp(L->names[j], a->list_names[i]) != 0)
			j++;
		if (j == L->nnames) {
			cg_cli_err(cg_tr("không có danh sách '%s' (xem: canhgac feed list)",
			                 "no list '%s' (see: canhgac feed list)"),
			           a->list_names[i]);
			rc = CG_ENOENT;
		}
	}
	return rc;
}

static int load_lists(struct cg_cli *c, struct m_args *a, struct match_lists *L)
{
	int rc = cg_ipset_new(&L->set);
	if (rc)
		return rc;
	for (size_t i = 0; i < a->nlist_files && !rc; i++)
		rc = load_list_file(L, a->list_files[i], c->quiet);
	if (rc)
		return rc;
	if (a->nlist_names || !a->nlist_files) {
		rc = load_store(c, a, L);
		if (rc)
			return rc;
	}
	if (L->nmeta == 0) {
		cg_cli_err("%s", cg_tr("chưa có danh sách nào để so khớp: nhập bằng 'canhgac feed "
		                       "import' hoặc dùng --list-file TỆP",
		                       "no list to match against: import one with 'canhgac feed "
		                       "import' or use --list-file FILE"));
		return CG_ENOENT;
	}
	return cg_ipset_build(L->set);
}

static void free_lists(struct match_lists *L)
{
	cg_ipset_free(L->set);
	cg_free(L->meta);
	for (size_t i = 0; i < L->nnames; i++)
		cg_free(L->names[i]);
	for (size_t i = 0; i < L->nfam; i++)
		cg_free(L->families[i]);
	cg_free(L->families);
}

static int parse_threads(const char *s, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 1 || v > CG_MAX_SCAN_THREADS)
		return -1;
	*out = (int)v;
	return 0;
}

/* Parses options; returns -1 to exit with `*exit_code`. */
static int parse_args(struct cg_cli *c, int argc, char **argv, struct m_args *a, int *exit_code)
{
	int opt;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", m_opts, NULL)) != -1) {
		int h = cg_cli_common_opt(c, opt, optarg, "match");
		*exit_code = h == 2 ? CG_EXIT_OK : CG_EXIT_ERROR;
		if (h == 2 || h < 0)
			return -1;
		if (h == 0)
			continue;
		if (opt == OPT_LIST_FILE && a->nlist_files < CG_MAX_MATCH_LISTS)
			a->list_files[a->nlist_files++] = optarg;
		else if (opt == OPT_LIST && a->nlist_names < CG_MAX_MATCH_LISTS)
			a->list_names[a->nlist_names++] = optarg;
		else if (opt == OPT_COUNT)
			a->o.count = 1;
		else if (opt == OPT_SUMMARY)
			a->o.summary = 1;
		else if (opt == OPT_LINES)
			a->o.lines = 1;
		else if (opt == OPT_UNITS)
			a->units = optarg;
		else if (opt == OPT_THREADS && parse_threads(optarg, &a->o.threads) == 0)
			continue;
		else {
			cg_cli_err(cg_tr("tùy chọn không hợp lệ '%s'", "invalid option '%s'"),
			           argv[optind - 1]);
			cg_cli_usage_hint("match");
			return -1;
		}
	}
	if (optind >= argc || strcmp(argv[optind], "ips") != 0) {
		cg_cli_err("%s", cg_tr("thiếu lệnh con: ips hoặc units",
		                       "missing subcommand: ips or units"));
		cg_cli_usage_hint("match");
		*exit_code = CG_EXIT_ERROR;
		return -1;
	}
	if (a->units && !a->o.summary) {
		cg_cli_err("%s",
		           cg_tr("--units chỉ dùng cùng --summary", "--units goes with --summary"));
		cg_cli_usage_hint("match");
		*exit_code = CG_EXIT_ERROR;
		return -1;
	}
	a->o.files = (const char *const *)argv + optind + 1;
	a->o.nfiles = (size_t)(argc - optind - 1);
	a->o.json = c->json;
	return 0;
}

int cg_cmd_match(struct cg_cli *c, int argc, char **argv)
{
	struct m_args a;
	struct match_lists L;
	struct match_out w;
	struct cg_units *units = NULL;
	int64_t t0 = cg_mono_ns(), t1;
	int rc, code = CG_EXIT_ERROR;

	if (argc > 1 && strcmp(argv[1], "units") == 0)
		return cg_cmd_match_units(c, argc - 1, argv + 1);
	memset(&a, 0, sizeof(a));
	memset(&L, 0, sizeof(L));
	memset(&w, 0, sizeof(w));
	cg_mem_prefer_huge(512u << 20); /* the IP set and the read blocks: fewer page faults */
	a.o.threads = cg_ncpu();
	if (a.o.threads > CG_MAX_SCAN_THREADS)
		a.o.threads = CG_MAX_SCAN_THREADS;
	if (parse_args(c, argc, argv, &a, &code))
		return code;
	if (a.units && cg_cli_load_units(a.units, &units))
		goto out;
	a.o.units = units;
	rc = load_lists(c, &a, &L);
	if (rc)
		goto out;
	t1 = cg_mono_ns();
	rc = match_out_init(&w, &L, &a.o);
	if (!rc)
		rc = match_run(&L, &a.o, &w);
	if (rc && rc != CG_EIO)
		cg_cli_err("%s", cg_strerror(rc));
	if (match_out_finish(&w, (t1 - t0) / 1000000, (cg_mono_ns() - t1) / 1000000) && !rc)
		rc = CG_EIO;
	/* as grep: 0 some line matched, 1 none, 2 error */
	code = rc ? CG_EXIT_ERROR : w.total_matched ? 0 : 1;
out:
	match_out_free(&w);
	free_lists(&L);
	cg_units_free(units);
	return code;
}

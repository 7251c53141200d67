/* report.h - `canhgac report collect` (report_collect.c) and `canhgac report merge`
 * (report_merge.c, report_xlsx.c): what they share. */
#ifndef CANHGAC_REPORT_H
#define CANHGAC_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/result.h"
#include "canhgac/units.h"
#include "cli.h"

struct report_args {
	const char *unit;    /* --unit */
	const char *out;     /* --out DIR (collect) or FILE.xlsx (merge) */
	const char *dir;     /* merge: the folder of result files */
	const char *units;   /* --units FILE */
	const char *wininv;  /* collect: --windows-inventory FILE */
	const char *matches; /* collect: --matches FILE (match ips --json output) */
	const char *pdf;     /* merge: --pdf FILE */
	const char *adv[64]; /* collect: --advisory FILE... */
	size_t nadv;
	int64_t now; /* UTC seconds (--date) */
};

/* A result file that could not be used, and why (in the current language). */
struct report_bad {
	char *name;
	char *why;
};

/* One warning (advisory) missing on some PCs. */
struct report_warn {
	const struct cg_result_vuln *v; /* the first PC's finding */
	size_t npcs;
	char pcs[512]; /* "PC-01, PC-02" (cut) */
};

/* One botnet-listed address and the PCs that saw it. */
struct report_addr {
	const struct cg_result_botnet *b;
	size_t npcs, nclean; /* PCs that saw it; of them, with no malware left unquarantined */
	char pcs[512];
};

struct report {
	const struct cg_unit *unit;
	struct cg_result *pcs; /* one per PC (newest file of a host), sorted by host name */
	size_t npcs;
	struct report_bad *bad;
	size_t nbad;
	size_t other_unit; /* files of other units skipped */
	struct report_warn *warns;
	size_t nwarns;
	struct report_addr *addrs;
	size_t naddrs;
	int64_t now; /* UTC seconds */
};

int report_collect(struct cg_cli *c, const struct report_args *a);
int report_merge(struct cg_cli *c, const struct report_args *a);
/* Writes the unit's workbook. */
int report_write_xlsx(const char *path, const struct report *r);
/* Calls cb for each task left to do (numbered from 1), in Vietnamese and English; stops at
 * the first nonzero return, which it returns. */
int report_todo_each(const struct report *R,
                     int (*cb)(void *arg, size_t n, const char *vi, const char *en), void *arg);
/* Writes the report as PDF; CG_EUNSUPP in builds without cairo and pango. */
int report_write_pdf(const char *path, const struct report *r);
/* Malware findings not quarantined on one PC. */
int64_t report_left(const struct cg_result *pc);
/* 1 when the PC is past end of support (no security updates without ESU). */
int report_eos(const struct cg_result *pc);
/* "dd/mm/yyyy" in Vietnam's time of a UTC ms time; "" for CG_TIME_NONE. */
void report_date(int64_t ms, char out[16]);

#endif

/* winrel.h - Windows releases and their support dates, from the editable data file
 * data/windows-releases.csv (docs/windows-releases.md), and the support status of one Windows
 * installation on a given date (engine, no I/O).
 *
 * The data file is UTF-8 CSV: '#' lines are comments, the first other line is a header naming
 * the columns in any order, fields may be quoted ("...", quotes doubled inside, no newlines):
 *   family          "Windows 10", "Windows 11", "Windows Server 2019", "Windows 7"
 *   version         "22H2", "1809", "SP1", "LTSC 2021" (may be empty)
 *   build           the build number (the third part of 10.0.19045.4046): 19045
 *   channel         client, server, ltsc (Enterprise LTSB/LTSC) or iot-ltsc
 *   editions        home-pro (Home, Pro, Pro Education, Pro for Workstations, SE), ent-edu
 *                   (Enterprise, Education, IoT Enterprise) or all
 *   msrc_name       how Microsoft's update documents name the product, without architecture:
 *                   "Windows 10 Version 22H2", "Windows Server 2022", "Windows 7"
 *   ga              general availability date, YYYY-MM-DD
 *   mainstream_end  end of mainstream support (fixed lifecycle), or empty
 *   end             end of support: the last day of security updates without paying
 *   esu_end         end of the paid Extended Security Updates, or empty
 * Several rows may share a build (Windows 10 1809, LTSC 2019 and Server 2019 are 17763); the
 * channel and editions tell them apart.
 */
#ifndef CANHGAC_WINREL_H
#define CANHGAC_WINREL_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/error.h"

struct cg_winrel {
	const char *family, *version, *channel, *editions, *msrc_name; /* never NULL */
	uint32_t build;
	/* UTC seconds at the start of the day; CG_TIME_NONE (feed.h) when empty */
	int64_t ga, mainstream_end, end, esu_end;
	uint32_t line; /* where the row is in the data file */
};

struct cg_winrels;

/* Parses the data file. Bad rows are reported ("source:line", reason) and left out; returns 0,
 * CG_EPARSE when the header is incomplete or no row is usable, CG_ELIMIT past
 * CG_MAX_WINREL_ROWS or CG_MAX_WINREL_FILE. *out is allocated on success (cg_winrels_free). */
int cg_winrels_parse(const uint8_t *buf, size_t len, const char *source, struct cg_winrels **out,
                     struct cg_diags *d);
void cg_winrels_free(struct cg_winrels *rs); /* accepts NULL */
size_t cg_winrels_count(const struct cg_winrels *rs);
const struct cg_winrel *cg_winrels_get(const struct cg_winrels *rs, size_t i);

/* The release of an installation: product_name as Windows reports it (registry ProductName,
 * "Windows 10 Pro" - which Windows 11 still reports), edition_id (registry EditionID:
 * "Professional", "Enterprise", "EnterpriseS", "ServerStandard"; may be NULL) and build.
 * The channel comes from the name and edition (Server, LTSC/LTSB or EditionID ending in "S",
 * IoT), the editions group from the edition (Pro Education counts as home-pro, as Microsoft's
 * lifecycle pages say). A row of the exact editions group is preferred to an "all" row.
 * NULL when no row fits. */
const struct cg_winrel *cg_winrels_find(const struct cg_winrels *rs, const char *product_name,
                                        const char *edition_id, uint32_t build);

enum cg_winrel_status {
	CG_WINREL_SUPPORTED = 0,    /* mainstream (or modern lifecycle) support */
	CG_WINREL_MAINSTREAM_ENDED, /* extended support: security updates only */
	CG_WINREL_ESU,              /* support ended; security updates only with paid ESU */
	CG_WINREL_ENDED,            /* no security updates at all */
};

struct cg_winrel_support {
	enum cg_winrel_status status;
	int64_t until; /* when the current phase ends (or, when ENDED, ended); CG_TIME_NONE */
	char explain_vi[320];
	char explain_en[320];
};

/* The support status of release r on UTC time now. A phase includes its last day. */
void cg_winrel_support(const struct cg_winrel *r, int64_t now, struct cg_winrel_support *out);
/* "supported", "mainstream-ended", "esu", "ended". */
const char *cg_winrel_status_name(enum cg_winrel_status s);
/* Whether a product name or edition names a server ("Windows Server 2022 Standard",
 * "ServerStandard"). */
int cg_winrel_is_server(const char *product_name, const char *edition_id);

#endif

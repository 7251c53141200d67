/* feed.h - the one data model of imported threat feeds, and the parsers that produce it
 * (engine, no I/O: bytes in, a struct cg_feed out).
 *
 * A feed is one imported file of one kind:
 *  - botnet: addresses (IP, prefix or range, optional port) with time and family, from the
 *    monthly and urgent botnet lists (CSV/XLSX, pasted chat text, plain lists, FireHOL
 *    .ipset/.netset, ipsum "IP<TAB>count");
 *  - ioc: indicators (IP, domain, URL, MD5, SHA-1, SHA-256) from plain text, CSV, STIX 2.1 and
 *    MISP feed events;
 *  - advisory: vulnerability warnings (CISA KEV JSON/CSV, OSV JSON, Microsoft's monthly security
 *    updates in CVRF or CSAF JSON, the CSV/XLSX template of docs/feeds.md for warnings that
 *    arrive by letter).
 * Parsers take the whole input in memory, report every bad row as a diagnostic naming
 * "source:line" or "source:sheet!cell" with the reason, keep the good rows, and cap every size
 * and count (limits.h CG_MAX_FEED_*). Times are seconds since the epoch in UTC; times written
 * without a zone in Vietnamese lists are local time (UTC+7).
 */
#ifndef CANHGAC_FEED_H
#define CANHGAC_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/error.h"

#define CG_TIME_NONE INT64_MIN

enum cg_feed_kind { CG_FEED_BOTNET = 1, CG_FEED_IOC = 2, CG_FEED_ADVISORY = 3 };

/* What an entry's value is. */
enum cg_ioc_type {
	CG_IOC_IP = 1, /* value: "1.2.3.4", "1.2.3.0/24", "2001:db8::/32" (canonical text) */
	CG_IOC_DOMAIN, /* value: lower case, IDNA as given, no trailing dot */
	CG_IOC_URL,    /* value: normalised URL (cg_url_normalize) */
	CG_IOC_MD5,    /* value: lower-case hex */
	CG_IOC_SHA1,
	CG_IOC_SHA256,
};

/* One indicator or one listed address. A range "a-b" becomes several CG_IOC_IP entries (its
 * covering prefixes), all with the same line. */
struct cg_feed_entry {
	uint32_t line;  /* 1-based line (CSV/text) or row (XLSX) of the source */
	char where[48]; /* "Sheet1!B7" for XLSX cells, "" otherwise */
	enum cg_ioc_type type;
	char *value;   /* normalised; never NULL */
	uint16_t port; /* 0 when none */
	int64_t time;  /* when seen/listed, UTC seconds; CG_TIME_NONE when absent */
	char *family;  /* botnet/malware family or tag ("Mirai", "rdp"); NULL when absent */
	char *extra;   /* JSON object text with the other columns (isp, asn, ...); or NULL */
};

/* One version event of an affected range, in the OSV sense. */
struct cg_adv_range {
	char *introduced;    /* "0" means from the beginning; NULL when absent */
	char *fixed;         /* first fixed version; NULL when absent */
	char *last_affected; /* last affected version; NULL when absent */
};

/* Version schemes (see vercmp.h). */
enum cg_ver_scheme {
	CG_VER_NONE = 0,
	CG_VER_DPKG,
	CG_VER_RPM,
	CG_VER_SEMVER,
	CG_VER_WINDOWS,
	CG_VER_APK,
};

/* One vulnerability warning about one package or product. A CVE affecting several packages
 * gives several advisories with the same id. */
struct cg_advisory {
	uint32_t line;
	char where[48];
	char *id;        /* "CVE-2024-3094" or an OSV id ("DSA-5678-1") */
	char *aliases;   /* comma-separated other ids, or NULL */
	char *ecosystem; /* OSV ecosystem ("Debian:12", "Ubuntu:22.04:LTS", "Alpine:v3.19"),
	                    "Windows", or NULL */
	char *package;   /* package name as the ecosystem names it (source package for Debian),
	                    or NULL */
	char *vendor;    /* KEV vendorProject, template "sản phẩm" vendor part; or NULL */
	char *product;   /* product/component as written; or NULL */
	enum cg_ver_scheme scheme;
	size_t nranges;
	struct cg_adv_range *ranges;
	char **versions; /* explicitly listed affected versions, or NULL */
	size_t nversions;
	char *affected_text; /* "phiên bản ảnh hưởng" as written, or NULL */
	char *fixed_text;    /* "phiên bản khắc phục" as written, or NULL */
	char *title;         /* short name or summary, or NULL */
	char *severity;      /* "critical", "high", "medium", "low" (normalised), or NULL */
	double cvss;         /* base score, or -1 */
	int exploited;       /* 1 known exploited, 0 not, -1 unknown */
	int64_t published;   /* UTC seconds or CG_TIME_NONE */
	int64_t due;         /* deadline (hạn xử lý / KEV dueDate), or CG_TIME_NONE */
	char *doc_no;        /* số công văn, or NULL */
	char *action;        /* required action / remediation text, or NULL */
	/* Microsoft security updates (CVRF/CSAF, feed_msrc.c): */
	char *kbs;         /* the updates that fix it, "KB5034763" comma-separated, or NULL */
	char *fixed_build; /* first fixed build, "10.0.19045.4046", or NULL */
	char *supersedes;  /* updates the fixing ones replace, "KB5034122,KB5033372", or NULL */
};

/* Input formats. CG_FMT_AUTO sniffs the bytes and the source name. */
enum cg_feed_format {
	CG_FMT_AUTO = 0,
	CG_FMT_TABLE,    /* CSV or XLSX with a header row (botnet list, IOC CSV, advisory template,
	                    KEV CSV) */
	CG_FMT_PASTE,    /* free text pasted from an e-mail or chat */
	CG_FMT_PLAIN,    /* one value per line, '#'/';' comments (also FireHOL .ipset/.netset and
	                    ipsum "IP<TAB>count") */
	CG_FMT_STIX,     /* STIX 2.1 bundle */
	CG_FMT_MISP,     /* MISP feed event (JSON) */
	CG_FMT_KEV_JSON, /* CISA KEV catalogue, JSON */
	CG_FMT_OSV,      /* OSV JSON: one record, an array of records, or {"vulns":[...]} */
	CG_FMT_CVRF,     /* Microsoft's monthly security updates, CVRF 1.2 JSON (MSRC API v3) */
	CG_FMT_CSAF,     /* a CSAF 2.0 advisory (Microsoft's msrc.microsoft.com/csaf) */
};
#define CG_FMT__LAST CG_FMT_CSAF

/* Logical columns of a table feed. The guess and the user's --columns use these names. */
enum cg_feed_col {
	CG_COL_IP = 0, /* "ip" */
	CG_COL_PORT,   /* "port" */
	CG_COL_TIME,   /* "time" (date, or date and time) */
	CG_COL_FAMILY, /* "family" (botnet / malware / tag) */
	CG_COL_ISP,    /* "isp" */
	CG_COL_ASN,    /* "asn" */
	CG_COL_VALUE,  /* "value" (an IOC of any type) */
	CG_COL_TYPE,   /* "type" (IOC type column) */
	CG_COL_CVE,    /* "cve" */
	CG_COL_PRODUCT,
	CG_COL_VENDOR,
	CG_COL_AFFECTED,
	CG_COL_FIXED,
	CG_COL_SEVERITY,
	CG_COL_CVSS,
	CG_COL_EXPLOITED,
	CG_COL_DUE,
	CG_COL_DOCNO,
	CG_COL_TITLE,
	CG_COL_ACTION,
	CG_COL__COUNT
};

/* Maps logical columns to 0-based source columns (-1 = absent), and says where the header is. */
struct cg_feed_columns {
	int col[CG_COL__COUNT];
	size_t sheet;        /* which sheet holds the data */
	uint32_t header_row; /* index into sheet rows of the header row */
	int guessed;         /* 1 when guessed, 0 when given by the user */
};

struct cg_feed_parse_opts {
	enum cg_feed_kind kind;
	enum cg_feed_format format; /* CG_FMT_AUTO to sniff */
	const char *columns;        /* user mapping "ip=2,family=3" (1-based source columns, or a
	                               letter "B"), or NULL to guess */
	int64_t now;                /* UTC seconds: completes dates written without a year */
	int64_t tz_offset;          /* seconds east of UTC for times without a zone (25200) */
};

struct cg_feed {
	enum cg_feed_kind kind;
	enum cg_feed_format format;     /* what was parsed */
	char format_detail[64];         /* e.g. "XLSX sheet 'DS IP'", "CSV WINDOWS-1258 ';'" */
	struct cg_feed_columns columns; /* table inputs: the mapping used */
	char *header_text;        /* table inputs: the header cells joined by " | ", or NULL */
	size_t rows_total;        /* data rows seen (lines with content, table rows) */
	size_t rows_bad;          /* rows rejected (each has a diagnostic) */
	size_t rows_skipped;      /* comments, blank, totals rows */
	size_t host_bits_cleared; /* prefixes accepted with host bits set ("1.2.3.4/24" stored
	                             as "1.2.3.0/24"); counted, not reported per row */
	struct cg_feed_entry *entries;
	size_t nentries;
	struct cg_advisory *advisories;
	size_t nadvisories;
	/* Private to feed.c: the array capacities and the pool that owns the entries' strings
	 * (value, family, extra). cg_feed_add_entry copies them into the pool, which cg_feed_free
	 * releases at once, so a million-entry list costs a few large allocations instead of a
	 * million small ones. Parsers never free or replace an entry's strings. NULL in a zeroed
	 * struct. */
	void *priv;
};

/* Parses one input. Good rows are kept; each bad row adds a diagnostic and counts in rows_bad.
 * Returns 0 (even with bad rows), CG_EPARSE when nothing usable was found or the whole input is
 * malformed, CG_ELIMIT on caps. *out is allocated on success (cg_feed_free). */
int cg_feed_parse(const uint8_t *buf, size_t len, const char *source,
                  const struct cg_feed_parse_opts *o, struct cg_feed **out, struct cg_diags *d);
/* The format cg_feed_parse would pick for CG_FMT_AUTO, from the bytes and the source name. */
enum cg_feed_format cg_feed_sniff(const uint8_t *buf, size_t len, const char *source,
                                  enum cg_feed_kind kind);
void cg_feed_free(struct cg_feed *f);
/* Frees what a feed holds but not the struct itself (for a feed on the stack); accepts NULL. */
void cg_feed_clear(struct cg_feed *f);

/* Name of a logical column ("ip") and back (-1 when unknown). */
const char *cg_feed_col_name(enum cg_feed_col c);
int cg_feed_col_parse(const char *name);
const char *cg_feed_kind_name(enum cg_feed_kind k); /* "botnet", "ioc", "advisory" */
const char *cg_ioc_type_name(enum cg_ioc_type t);   /* "ip", "domain", "url", "md5", ... */
/* Names of input formats as the --format option spells them ("auto", "table", "paste", "plain",
 * "stix", "misp", "kev", "osv", "cvrf", "csaf"), and the reverse lookups of the three name
 * functions: each returns -1 for an unknown name. */
const char *cg_feed_format_name(enum cg_feed_format f);
int cg_feed_format_parse(const char *name);
int cg_feed_kind_parse(const char *name);
int cg_ioc_type_parse(const char *name);
/* The column mapping of a table feed as "ip=B,time=C" (column letters, in the order of enum
 * cg_feed_col); "" for other formats. Truncated to cap. */
void cg_feed_columns_text(const struct cg_feed *f, char *out, size_t cap);

#endif

/* wininv.h - the inventory of one Windows PC that vulnerability matching needs, and its JSON
 * form (engine, no I/O). The Windows collector (`canhgac.exe inventory`) fills it from the
 * registry; `canhgac vulns --windows-inventory FILE.json` reads it on any system.
 *
 * JSON form (UTF-8, one object; unknown members are ignored, so later collectors may add more):
 *   {
 *     "schema": "canhgac.wininv/1",
 *     "hostname": "PC-LAB-01",
 *     "collected": "2024-02-20T08:00:00Z",
 *     "os": {
 *       "product_name": "Windows 10 Pro",     registry ProductName (Windows 11 says "Windows 10")
 *       "edition_id": "Professional",         registry EditionID
 *       "display_version": "22H2",            registry DisplayVersion (or ReleaseId)
 *       "version": "10.0",                    major.minor (optional: derived from the build)
 *       "build": 19045,                       CurrentBuildNumber
 *       "ubr": 3930,                          UBR (0 or absent when unknown, e.g. Windows 7)
 *       "arch": "x64"                         x64, x86 or arm64
 *     },
 *     "hotfixes": ["KB5034122", "KB5033372"],  installed updates
 *     "programs": [                            optional: installed programs (Uninstall keys)
 *       {"name": "7-Zip 23.01 (x64)", "version": "23.01", "publisher": "Igor Pavlov",
 *        "hive": "HKLM", "view": 64}           HKLM or HKCU; registry view 64 or 32
 *     ],                                       (32: WOW6432Node)
 *     "security": {                            optional; a member absent = not known
 *       "firewall": {"domain": true, "private": true, "public": false},
 *       "smb1": false,                         the SMB server accepts SMBv1
 *       "rdp": true, "rdp_nla": true,          Remote Desktop on; Network Level Authentication
 *       "antivirus": [{"name": "Windows Defender", "source": "defender",
 *                      "enabled": true, "realtime": true, "signature_version": "1.403.1.0",
 *                      "signature_updated": "2024-02-19T10:00:00Z"}]
 *     },                                       source: "defender" (its registry keys) or
 *                                              "security-center" (HKLM\...\Security Center
 *                                              \Provider\Av, where Windows 10 keeps what
 *                                              root\SecurityCenter2 reports)
 *     "admins": ["PC-LAB-01\\Administrator"],   members of S-1-5-32-544, DOMAIN\name
 *     "autoruns": [{"kind": "run", "location": "HKLM\\...\\Run", "name": "x",
 *                   "command": "C:\\x.exe"}],    kind: run, runonce, service, task, startup
 *     "network": [{"adapter": "Ethernet", "mac": "00-11-22-33-44-55",
 *                  "addresses": ["192.168.1.5/24", "fe80::1/64"]}]
 *   }
 * Only os.product_name and os.build are required. KB numbers are normalised to "KB" + digits;
 * other strings in "hotfixes" are reported and skipped. In the optional lists an entry of the
 * wrong type is reported and skipped; text longer than its cap (CG_MAX_WININV_FIELD, commands
 * CG_MAX_WININV_COMMAND) is cut at a UTF-8 character boundary; counts past their limits.h cap
 * are CG_ELIMIT. The writer leaves out empty lists and unknown facts.
 */
#ifndef CANHGAC_WININV_H
#define CANHGAC_WININV_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/error.h"

#define CG_WININV_SCHEMA "canhgac.wininv/1"

/* A yes/no fact that may be unknown; a zeroed struct says "unknown". */
enum cg_tri { CG_TRI_UNKNOWN = 0, CG_TRI_NO = 1, CG_TRI_YES = 2 };

enum cg_wininv_hive { CG_HIVE_HKLM = 0, CG_HIVE_HKCU = 1 };

struct cg_wininv_program {
	char *name;      /* DisplayName, never NULL */
	char *version;   /* DisplayVersion or NULL */
	char *publisher; /* Publisher or NULL */
	enum cg_wininv_hive hive;
	unsigned view; /* 64 or 32 (WOW6432Node) */
};

struct cg_wininv_av {
	char *name;   /* never NULL */
	char *source; /* "defender", "security-center"; never NULL */
	enum cg_tri enabled, realtime, up_to_date;
	char *sig_version;   /* or NULL */
	int64_t sig_updated; /* UTC seconds, CG_TIME_NONE when unknown */
};

struct cg_wininv_autorun {
	char *kind;     /* "run", "runonce", "service", "task", "startup"; never NULL */
	char *location; /* key, folder or task path; never NULL */
	char *name;     /* value, service, task or file name; never NULL */
	char *command;  /* or NULL */
};

struct cg_wininv_adapter {
	char *name;   /* friendly name, never NULL */
	char *mac;    /* "00-11-22-33-44-55" or NULL */
	char **addrs; /* "192.168.1.5/24", "fe80::1/64" */
	size_t naddrs;
};

struct cg_wininv {
	char *hostname;        /* or NULL */
	char *product_name;    /* never NULL after parsing */
	char *edition_id;      /* or NULL */
	char *display_version; /* or NULL */
	char *arch;            /* "x64", "x86", "arm64" (normalised), or NULL */
	unsigned major, minor; /* 10.0, 6.3, 6.1 */
	uint32_t build, ubr;
	int64_t collected; /* UTC seconds, CG_TIME_NONE when absent */
	char **kbs;        /* sorted, unique, "KB5034122" */
	size_t nkbs;

	/* Optional parts (NULL / 0 / CG_TRI_UNKNOWN when not collected). */
	struct cg_wininv_program *programs;
	size_t nprograms;
	struct cg_wininv_sec {
		enum cg_tri fw_domain, fw_private, fw_public;
		enum cg_tri smb1, rdp, rdp_nla;
	} sec;
	struct cg_wininv_av *av;
	size_t nav;
	char **admins; /* in the order Windows lists them */
	size_t nadmins;
	struct cg_wininv_autorun *autoruns;
	size_t nautoruns;
	struct cg_wininv_adapter *adapters;
	size_t nadapters;
};

/* Parses the JSON form into *inv (zeroed first). Returns 0, CG_EPARSE (with diagnostics) when
 * required members are missing or malformed, CG_ELIMIT past CG_MAX_WININV_FILE or
 * CG_MAX_WININV_KBS. On error *inv holds nothing. */
int cg_wininv_parse_json(const uint8_t *buf, size_t len, const char *source, struct cg_wininv *inv,
                         struct cg_diags *d);
/* The JSON form, compact, allocated (free()); NULL on CG_ENOMEM. */
char *cg_wininv_to_json(const struct cg_wininv *inv);
/* Adds an installed update ("5034122", "KB5034122") keeping the list sorted and unique.
 * Returns 0, CG_EINVAL for text that is not a KB number, CG_ELIMIT, CG_ENOMEM. */
int cg_wininv_add_kb(struct cg_wininv *inv, const char *kb);
/* Whether the update is installed ("KB5034122"). */
int cg_wininv_has_kb(const struct cg_wininv *inv, const char *kb);
/* "10.0.19045.3930": major.minor.build.ubr. */
void cg_wininv_version(const struct cg_wininv *inv, char *out, size_t cap);
void cg_wininv_clear(struct cg_wininv *inv);

/* Adders for the collector and the parser. Text is copied (cut to its cap); NULL optional text
 * stays NULL. Each returns 0, CG_EINVAL (a required text NULL or empty, a view other than 32
 * or 64), CG_ELIMIT past the count cap, CG_ENOMEM. */
int cg_wininv_add_program(struct cg_wininv *inv, const char *name, const char *version,
                          const char *publisher, enum cg_wininv_hive hive, unsigned view);
/* Adds a product with every state unknown; *out points at it until the next cg_wininv_add_av. */
int cg_wininv_add_av(struct cg_wininv *inv, const char *name, const char *source,
                     struct cg_wininv_av **out);
int cg_wininv_add_admin(struct cg_wininv *inv, const char *member);
int cg_wininv_add_autorun(struct cg_wininv *inv, const char *kind, const char *location,
                          const char *name, const char *command);
/* Adds an adapter (addresses follow with cg_wininv_add_addr on the last one). */
int cg_wininv_add_adapter(struct cg_wininv *inv, const char *name, const char *mac);
int cg_wininv_add_addr(struct cg_wininv *inv, const char *addr);
/* "yes", "no", "?" */
const char *cg_tri_name(enum cg_tri t);

#endif

/* limits.h - every size and count cap of canhgac, in one place.
 *
 * Outside data (signature files, manifests, archives, scanned files) is hostile: every parser
 * checks these caps and reports CG_ELIMIT with the source and line when one is reached.
 */
#ifndef CANHGAC_LIMITS_H
#define CANHGAC_LIMITS_H

/* Diagnostics kept per operation; more are counted, not stored. */
#define CG_MAX_DIAGS 1000

/* Signature bundles. */
#define CG_MAX_LINE 65536            /* one line of a signature or IOC file */
#define CG_MAX_SIGFILE (512ul << 20) /* one signature file, bytes */
#define CG_MAX_MANIFEST (4ul << 20)  /* manifest.json, bytes */
#define CG_MAX_BUNDLE_FILES 1024     /* files listed in one manifest */
#define CG_MAX_HASH_SIGS 50000000ul  /* hash signatures in one bundle */
#define CG_MAX_BODY_SIGS 2000000ul   /* body (.ndb) signatures in one bundle */
#define CG_MAX_SIGNAME 256           /* signature name, bytes */
#define CG_MAX_HEXSIG 16384          /* hex characters in one body signature */
#define CG_MAX_SIG_JUMP 1048576      /* the largest {n-m} jump or offset honoured */
#define CG_MAX_CVD (1024ul << 20)    /* a .cvd/.cld file, bytes */
#define CG_MAX_CVD_MEMBERS 4096      /* files inside one .cvd */

/* Scanning. */
#define CG_SCAN_CHUNK (1024u << 10) /* bytes per pread() */
#define CG_DEFAULT_MAX_FILESIZE (2048ull << 20)
#define CG_MAX_YARA_BUFFER (64ull << 20) /* YARA rules see at most this many bytes per file */
#define CG_YARA_TIMEOUT_S 10             /* YARA time per file, seconds */
#define CG_MAX_YARA_CACHE (512ul << 20)  /* compiled YARA rules kept in the data directory */
#define CG_MAX_PATH 16384                /* bytes of one path we report */
#define CG_MAX_DEPTH 256                 /* directory depth */
#define CG_MAX_MATCHES_PER_FILE 64       /* findings kept for one file */
#define CG_MAX_SCAN_THREADS 64
#define CG_MAX_EXCLUDES 256

/* Archives (scanned in the confined worker). */
#define CG_ARC_MAX_DEPTH 5                  /* archive inside archive */
#define CG_ARC_MAX_MEMBERS 10000            /* members of one top-level archive, all depths */
#define CG_ARC_MAX_EXPANDED (1024ull << 20) /* bytes expanded from one top-level archive */
#define CG_ARC_MAX_MEMBER (256ull << 20)    /* bytes of one member */
#define CG_ARC_MAX_SECONDS 60               /* time for one top-level archive */
#define CG_ARC_MAX_NAME 4096                /* member path, bytes */
#define CG_ARC_MAX_NESTED (32ull << 20) /* an inner archive is unpacked from memory up to this */

/* Confined worker (sandbox). */
#define CG_WORKER_MAX_MSG (8u << 20) /* one request or reply, bytes */

/* Quarantine. */
#define CG_QUAR_DEFAULT_MASS 20 /* executables matched before auto-quarantine stops */

/* Hash signature sets (hashsig). */
#define CG_MAX_CSV_COLUMNS 256                 /* columns of one CSV IOC file */
#define CG_MAX_HASHSIG_NAMEPOOL (2047ul << 20) /* bytes of distinct names in one hash set */

/* ClamAV containers (cvd). */
#define CG_MAX_CVD_MEMBER (512ul << 20)    /* bytes of one member of a .cvd/.cld */
#define CG_MAX_CVD_EXPANDED (2048ul << 20) /* bytes of all members of a .cvd/.cld */
#define CG_MAX_CVD_NAME 256                /* member name, bytes */

/* Bundle manifests (manifest). */
#define CG_MAX_MANIFEST_STR 4096       /* bytes of one string field of manifest.json */
#define CG_MAX_BUNDLE_PATH 255         /* bytes of a file name listed in a manifest */
#define CG_QUAR_MAX_FILE (16ull << 30) /* largest file moved into quarantine, bytes */
#define CG_QUAR_MAX_META (256u << 10)  /* one <id>.json metadata file, bytes */
#define CG_QUAR_MAX_FIELD 4096         /* one text field (signature name, reason...), bytes */
#define CG_QUAR_MAX_ENTRIES 1000000    /* entries listed from one store */

/* Action log. */
#define CG_ACTLOG_MAX_RECORD (64u << 10) /* one JSON line of the action log, bytes */

/* dpkg guard (packaged files). */
#define CG_DPKG_MAX_MD5SUMS (64ul << 20) /* one info/PKG.md5sums file, bytes */
#define CG_DPKG_MAX_ENTRIES 4000000ul    /* files indexed over all packages */
#define CG_DPKG_MAX_PKGS 200000ul        /* md5sums files read */
#define CG_DPKG_MAX_PKGNAME 256          /* package name, bytes */
#define CG_DPKG_MAX_LINE 8192            /* one md5sums line, bytes */

/* Feeds, tables and units (issue 3). */
#define CG_MAX_FEED_FILE (256ul << 20)   /* one imported feed file, bytes */
#define CG_MAX_FEED_ENTRIES 20000000ul   /* entries in one feed */
#define CG_MAX_FEED_ADVISORIES 1000000ul /* advisories in one feed */
#define CG_MAX_FEED_FIELD 8192           /* one cell or field kept, bytes */
#define CG_MAX_RANGE_PREFIXES 256        /* prefixes one "a-b" range may expand to */
#define CG_MAX_TABLE_CELLS 50000000ul    /* cells in one table, all sheets */
#define CG_MAX_TABLE_COLS 1024           /* columns in one row */
#define CG_MAX_TABLE_SHEETS 256          /* sheets in one workbook */
#define CG_MAX_XLSX_PART (512ul << 20)   /* one uncompressed part of an XLSX zip, bytes */
#define CG_MAX_XML_DEPTH 256             /* XML element nesting */
#define CG_MAX_JSON_INPUT (256ul << 20)  /* one JSON feed, bytes */
#define CG_MAX_UNITS 100000              /* units in one units file */
#define CG_MAX_UNIT_DEPTH 32             /* levels of the units tree */
#define CG_MAX_UNIT_CLAIMS 1000000       /* address prefixes of all units (ranges expanded) */
#define CG_MAX_UNIT_HEADER_SCAN 30       /* rows searched for the units file's header row */
#define CG_MAX_MATCH_LINE (1u << 20)     /* one log line given to `match ips`, bytes */
#define CG_MAX_ADDRS_PER_LINE 64         /* addresses extracted from one log line */
#define CG_MAX_VERSION 1024              /* one version string, bytes */
#define CG_MAX_IOCSET_ENTRIES 50000000ul /* indicators (with payloads) in one IOC set */
#define CG_MAX_URL 8192                  /* one URL, bytes (before and after normalising) */
#define CG_MAX_DOMAIN 253                /* one domain name, bytes */
#define CG_MAX_JSON_OBJECTS 5000000ul    /* objects/attributes read from one JSON feed */
#define CG_MAX_STIX_PATTERN 65536        /* one STIX pattern, bytes */
#define CG_MAX_LNK_FILE (1u << 20)       /* one .lnk shortcut read by usb-clean, bytes */
#define CG_MAX_USB_ENTRIES 100000        /* entries of a stick given to usb-clean */
#define CG_MAX_LNK_STRING 32768          /* one string of a shortcut, bytes of UTF-8 */
#define CG_MAX_STIX_TERMS 256            /* comparisons in one STIX pattern */
#define CG_MAX_PASTE_LINE 65536          /* one line of pasted text, bytes */
#define CG_MAX_FAMILIES 10000            /* rows of the families data file */
#define CG_MAX_FAMILIES_FILE (4ul << 20) /* the families data file, bytes */

/* Table readers (CSV/XLSX). */
#define CG_MAX_TABLE_INPUT (512ul << 20)    /* one CSV/XLSX file given to the table readers */
#define CG_MAX_TABLE_CELL (1ul << 20)       /* bytes of one cell's text */
#define CG_MAX_XLSX_EXPANDED (1024ul << 20) /* all parts of one XLSX read, uncompressed */
#define CG_MAX_XLSX_ENTRIES 10000           /* zip entries of one XLSX looked at */
#define CG_MAX_XLSX_ROWS 1048576            /* rows of one sheet (Excel's own limit) */
#define CG_MAX_XLSX_MERGED 1000000          /* cells filled from merged ranges, one sheet */
#define CG_MAX_XLSX_STYLES 65536            /* cell formats and number formats of a workbook */

/* Package inventory and vulnerability matching (pkginv, vulns). */
#define CG_MAX_DPKG_STATUS (256ul << 20) /* dpkg's status file, bytes */
#define CG_MAX_RPM_QA (64ul << 20)       /* rpm -qa output, bytes */
#define CG_MAX_INV_PKGS 200000ul         /* installed packages in one inventory */
#define CG_MAX_PKG_FIELD 1024            /* package name, architecture or source field, bytes */
#define CG_MAX_VULN_FINDINGS 1000000ul   /* findings of one vulns run */
#define CG_MAX_ADV_RANGES 4096           /* version ranges of one advisory */
#define CG_MAX_ADV_VERSIONS 100000ul     /* listed affected versions of one advisory */
#define CG_MAX_ADV_TITLE 512             /* title kept from an OSV summary/details, bytes */
#define CG_MAX_FEED_RECORDS 1000000      /* feed records listed from one store */

/* Windows: releases data file, Microsoft's update documents, inventory, matching (issue 4). */
#define CG_MAX_WINREL_FILE (1ul << 20) /* data/windows-releases.csv, bytes */
#define CG_MAX_WINREL_ROWS 2000        /* rows of the releases data file */
#define CG_MAX_MSRC_PRODUCTS 200000ul  /* products named in one CVRF/CSAF document */
#define CG_MAX_CSAF_DEPTH 32           /* nesting of CSAF product_tree branches */
#define CG_MAX_WININV_FILE (4ul << 20) /* one inventory JSON file, bytes */
#define CG_MAX_WININV_KBS 20000        /* installed updates listed in one inventory */
#define CG_MAX_WININV_FIELD 512        /* one text field of an inventory, bytes */
#define CG_MAX_KB_CHAIN 64             /* supersedence steps followed from one update */

/* The PC inventory collector (hostinv.h) and the optional parts of wininv.h. */
#define CG_MAX_WININV_COMMAND 2048            /* an auto-start command or image path, bytes */
#define CG_MAX_WININV_PROGRAMS 10000          /* installed programs listed in one inventory */
#define CG_MAX_WININV_AUTORUNS 10000          /* auto-start entries listed in one inventory */
#define CG_MAX_WININV_ADMINS 256              /* members of the local Administrators group */
#define CG_MAX_WININV_AV 16                   /* antivirus products */
#define CG_MAX_WININV_ADAPTERS 64             /* network adapters */
#define CG_MAX_WININV_ADDRS 32                /* addresses of one network adapter */
#define CG_MAX_WININV_TASK_FILE (256ul << 10) /* one scheduled task's XML file, bytes */
#define CG_MAX_WININV_TASK_DEPTH 8            /* folders below %SystemRoot%\System32\Tasks */
#define CG_MAX_WININV_KEYS 100000ul           /* registry subkeys read under one key */

/* IP sets, list files and `match ips` (ipset, iplist, cmd_match). */
#define CG_MAX_IPSET_ENTRIES 50000000ul   /* prefixes added to one IP set */
#define CG_MAX_IPLIST_FILE (1024ul << 20) /* one --list-file, bytes */
#define CG_MAX_MATCH_LISTS 256            /* lists given to one `match ips` */
#define CG_MATCH_CHUNK (8u << 20)         /* bytes read per block by `match ips` */
#define CG_MAX_LOGTIME_SCAN 256           /* bytes of a log line searched for its time */

/* Result files of one PC and `report merge` (result.h, issue 4). */
#define CG_MAX_RESULT_FILE (16ul << 20) /* one result file, bytes */
#define CG_MAX_RESULT_FIELD 4096        /* one text field of a result, bytes */
#define CG_MAX_RESULT_FINDINGS 10000    /* scan findings kept in one result */
#define CG_MAX_RESULT_VULNS 20000       /* missing-update findings in one result */
#define CG_MAX_RESULT_BOTNET 10000      /* botnet-listed addresses in one result */
#define CG_MAX_RESULT_FILES 100000      /* result files read by one `report merge` */
#define CG_MAX_UNIT_PCS 1000000         /* PCs declared for one unit */

/* Log rules (logrules.h, issue 5). */
#define CG_MAX_RULES 4096              /* rules in one set, all files */
#define CG_MAX_RULE_FILE (4ul << 20)   /* one rule file, bytes */
#define CG_MAX_RULE_LINE 8192          /* one line of a rule file, bytes */
#define CG_MAX_RULE_ID 64              /* a rule or list id, bytes */
#define CG_MAX_RULE_DESC 1024          /* one description, bytes */
#define CG_MAX_RULE_CONDS 32           /* match/regex/except lines of one rule */
#define CG_MAX_RULE_VALUES 256         /* values of one `match ... in` or `except` line */
#define CG_MAX_RULE_KEYS 4             /* key fields of one rule */
#define CG_MAX_RULE_COUNT 1000         /* the largest count threshold */
#define CG_MAX_RULE_REGEX 4096         /* one regular expression, bytes */
#define CG_MAX_RULE_LISTS 256          /* named lists in one set */
#define CG_MAX_RULE_LIST_ITEMS 100000  /* entries of one named list */
#define CG_MAX_RULE_KEYSTATE 1000000   /* keys tracked per rule (counters, suppression) */
#define CG_MAX_RULE_KEYBYTES 1024      /* bytes of one key (its field values together) */
#define CG_MAX_FIRSTSEEN 1000000       /* values learned per first-seen rule */
#define CG_MAX_RULESTATE (512ul << 20) /* a saved rule state, bytes */
#define CG_RULE_MATCH_LIMIT 100000     /* PCRE2 match limit on every expression */
#define CG_RULE_DEPTH_LIMIT 10000      /* PCRE2 depth (backtracking) limit */
#define CG_RULE_HEAP_LIMIT_KIB 8192    /* PCRE2 heap limit, KiB */
/* fail2ban filter files (f2b.h, issue 5). */
#define CG_MAX_F2B_FILE (1024ul << 10) /* one filter file (.conf or .local), bytes */
#define CG_MAX_F2B_FILES 32            /* files read for one filter, includes and .local */
#define CG_MAX_F2B_INCLUDE_DEPTH 8     /* nested [INCLUDES] */
#define CG_MAX_F2B_OPTIONS 4096        /* options in all sections of one filter */
#define CG_MAX_F2B_VALUE (256ul << 10) /* one value after interpolation, bytes */
#define CG_MAX_F2B_REPLACE 2000        /* %(name)s and <tag> replacements in one value */
#define CG_MAX_F2B_REGEXES 256         /* failregex + ignoreregex lines of one filter */
#define CG_MAX_F2B_MAXLINES 1000       /* maxlines (multi-line buffer) */
#define CG_MAX_F2B_MLFID 100           /* connection ids remembered (fail2ban: 100) */
#define CG_F2B_MATCH_LIMIT 1000000u    /* PCRE2 match limit per expression and line */
#define CG_F2B_DEPTH_LIMIT 10000u      /* PCRE2 depth limit (interpreter) */
#define CG_F2B_HEAP_LIMIT 20000u       /* PCRE2 heap limit, KiB */
/* File integrity monitoring and web-shell markers (fim.h, webshell.h, issue 5). */
#define CG_MAX_WS_FILE (1ul << 20) /* the web-shell markers data file, bytes */
#define CG_MAX_WS_MARKERS 1000     /* markers in it */
#define CG_MAX_WS_LITERAL 64       /* one marker's prefilter literal, bytes */
#define CG_MAX_WS_REGEX 2048       /* one marker's regular expression, bytes */
#define CG_MAX_WS_FIELD 512        /* any other field of a marker, bytes */
#define CG_WS_MATCH_LIMIT 200000u  /* PCRE2 match limit of one confirmation */
#define CG_WS_DEPTH_LIMIT 10000u   /* PCRE2 depth (backtracking) limit */
#define CG_MAX_WS_SCAN (8ul << 20) /* bytes of one file searched for markers */
#define CG_MAX_FIM_FILES 5000000ul /* entries in one baseline */
#define CG_MAX_FIM_ROOTS 64        /* paths of one baseline */
#define CG_MAX_FIM_NAME 64         /* a baseline's name, bytes */
#define CG_MAX_FIM_LINK 4096       /* a symbolic link's target, bytes */
/* Website checks (html.h, webcheck.h, `canhgac web`, issue 5). */
#define CG_MAX_WEB_BODY (8ul << 20)    /* bytes of one page fetched and analysed */
#define CG_MAX_HTML_DEPTH 256          /* open elements tracked by the HTML scanner */
#define CG_MAX_HTML_REFS 20000         /* links, scripts and frames kept from one page */
#define CG_MAX_HTML_SEGS 50000         /* text runs kept (with their place) from one page */
#define CG_MAX_HTML_ATTR 8192          /* bytes of one attribute value kept */
#define CG_MAX_HTML_CSS_RULES 512      /* simple .class / #id rules read from <style> */
#define CG_MAX_WEB_WORDS 500000        /* words of one page's text matched and shingled */
#define CG_MAX_WEB_KEYWORDS 2000       /* rows of the keywords data file */
#define CG_MAX_WEB_KW_FILE (1ul << 20) /* the keywords data file, bytes */
#define CG_MAX_WEB_FINDINGS 200        /* findings kept for one page */
#define CG_MAX_WEB_DOMAINS 5000        /* link and script domains kept in one baseline */
#define CG_WEB_SKETCH 256              /* text shingle hashes kept per page (bottom-k sketch) */
#define CG_MAX_WEB_REDIRS 10           /* redirects followed, at most */
#define CG_MAX_WEB_SITES 10000         /* sites in one --sites file */
/* Windows event records as XML, turned into JSON lines (winevt.h, src/logs/evtx.c). */
#define CG_MAX_WINEVT_XML (1ul << 20)    /* one event's XML, bytes */
#define CG_MAX_WINEVT_FIELDS 256         /* EventData / UserData values kept from one event */
#define CG_MAX_WINEVT_VALUE 8192         /* one value kept, bytes (longer ones are cut) */
#define CG_MAX_WINEVT_NAME 128           /* one field name, bytes (longer ones are cut) */
#define CG_MAX_WINEVT_DEPTH 32           /* element nesting inside one event */
#define CG_MAX_WINEVT_RECORDS 50000000ul /* records read from one .evtx file or channel */

/* Server authentication (auth.h). */
#define CG_MAX_ENROLL_TOKEN 2048    /* one enrolment token, bytes, prefix included */
#define CG_MAX_PKI_PEM (64ul << 10) /* one PEM certificate or key given to the PKI functions */
#define CG_MAX_PKI_NAMES 32         /* subjectAltName entries of a server certificate */
#define CG_MAX_TOTP_SECRET 128      /* base32 characters of a TOTP secret */

#endif

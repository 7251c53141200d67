/* filescan.h - scanning the bytes of one open file: digests, body signatures, YARA rules and,
 * when asked, archive members. Host layer.
 *
 * A struct cg_filescan belongs to one thread (or one confined worker process) and is reused
 * file after file. It reads the descriptor it is given with pread() in CG_SCAN_CHUNK pieces,
 * once. Hash signatures of the top-level file are matched by the caller from the returned
 * digests (so that cached digests and fresh ones go through the same code); hash signatures of
 * archive members are matched here. Results cross the process boundary from the worker as bytes
 * (cg_fileresult_encode/decode); the decoder treats them as hostile.
 */
#ifndef CANHGAC_FILESCAN_H
#define CANHGAC_FILESCAN_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/digest.h"
#include "canhgac/limits.h"

struct cg_hashsig;
struct cg_bodysig_set;
struct cg_yarars;

enum cg_hit_type {
	CG_HIT_SHA256 = 1,
	CG_HIT_MD5 = 2,
	CG_HIT_SHA1 = 3,
	CG_HIT_BODY = 4,
	CG_HIT_YARA = 5
};

/* Machine name of a hit type: "hash-sha256", "hash-md5", "hash-sha1", "body", "yara". */
const char *cg_hit_type_name(int type);

struct cg_hit {
	int type;
	char name[CG_MAX_SIGNAME + 1];
	char *member; /* archive member path (allocated), NULL for the file itself */
};

enum cg_fileresult_flags {
	CG_FR_ARCHIVE = 1u,       /* the content is an archive or compressed stream */
	CG_FR_ARC_SCANNED = 2u,   /* its members were scanned */
	CG_FR_ARC_LIMIT = 4u,     /* a bound stopped the archive walk early */
	CG_FR_ARC_ENCRYPTED = 8u, /* encrypted members were skipped */
	CG_FR_ARC_CORRUPT = 16u,  /* the archive is damaged */
	CG_FR_YARA_SKIPPED = 32u, /* too large for YARA rules (CG_MAX_YARA_BUFFER) */
	CG_FR_YARA_TIMEOUT = 64u, /* YARA rules timed out */
	CG_FR_CHANGED = 128u,     /* the file changed size while read */
	CG_FR_HITS_TRUNCATED = 256u,
	CG_FR_EXECUTABLE = 512u /* ELF, PE or Mach-O by its first bytes */
};

struct cg_fileresult {
	int rc; /* CG_OK, or why this file could not be scanned */
	unsigned flags;
	uint64_t bytes; /* bytes read from the file */
	struct cg_digest_result dig;
	size_t nhits;
	struct cg_hit hits[CG_MAX_MATCHES_PER_FILE];
};

/* Calls cb(arg, CG_HIT_*, name) for every signature of `hashes` that the digests in dig match,
 * for a stream of `size` bytes: SHA-256 first, then MD5, then SHA-1. */
void cg_match_digests(const struct cg_hashsig *hashes, const struct cg_digest_result *dig,
                      uint64_t size, int (*cb)(void *arg, int type, const char *name), void *arg);

void cg_fileresult_clear(struct cg_fileresult *r);
/* Adds a hit (member copied); when full, sets CG_FR_HITS_TRUNCATED. Duplicates are ignored. */
int cg_fileresult_add(struct cg_fileresult *r, int type, const char *name, const char *member);
/* Serialises for the worker's reply; *buf allocated. */
int cg_fileresult_encode(const struct cg_fileresult *r, uint8_t **buf, size_t *len);
/* Parses a reply; r must be zeroed; CG_EPARSE on anything malformed (r cleared then). */
int cg_fileresult_decode(const uint8_t *buf, size_t len, struct cg_fileresult *r);

struct cg_filescan_cfg {
	const struct cg_hashsig *hashes;   /* for archive members; may be NULL */
	const struct cg_bodysig_set *body; /* compiled, or NULL */
	const struct cg_yarars *yara;      /* compiled, or NULL */
	int yara_timeout_s;
};

struct cg_filescan;

int cg_filescan_new(const struct cg_filescan_cfg *cfg, struct cg_filescan **out);
void cg_filescan_free(struct cg_filescan *fs);

enum cg_filescan_flags { CG_FS_ARCHIVES = 1u };

/* Scans fd (a regular file of `size` bytes by fstat) computing the digests of `mask`, with the
 * configured body signatures and YARA rules; with CG_FS_ARCHIVES also walks archive members.
 * name is the file's base name (names the member of a lone .gz/.bz2/.xz stream).
 * Fills r (zeroed by the caller); r->rc tells whether the file could be read. */
int cg_filescan_fd(struct cg_filescan *fs, int fd, const char *name, uint64_t size, unsigned mask,
                   unsigned flags, struct cg_fileresult *r);

#endif

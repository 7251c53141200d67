/* quarantine.h - the quarantine store: files taken away from where they could run.
 *
 * A store is a directory (mode 0700, owned by the caller) holding, per entry, an encrypted copy
 * of the file (<id>.blob: "CGQ1" header, AES-256-GCM with a fresh 96-bit nonce, tag at the end)
 * and its metadata (<id>.json). The store key (32 random bytes) lives in <dir>/key, mode 0600,
 * created on first open. Blobs never contain the plaintext, so neither an antivirus nor a user
 * recognises or runs them.
 *
 * Taking a file is safe against a user who swaps path components for links while we work: the
 * parent directory is opened without following links, the file is read from the descriptor
 * whose identity was checked, and it is unlinked from that same directory only after the copy
 * is durable and the name still refers to the same inode. Any failure leaves the original in
 * place and removes partial store files.
 *
 * A struct cg_quar is not thread-safe: use it from one thread at a time. Different processes may
 * share one store directory (entry ids are random).
 */
#ifndef CANHGAC_QUARANTINE_H
#define CANHGAC_QUARANTINE_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/error.h"

#define CG_QUAR_ID_LEN 33 /* 32 lowercase hex digits + NUL */

/* Flags. CG_QUAR_FORCE: for add, skip the packaged-file guard; for restore, keep the setuid and
 * setgid bits. */
#define CG_QUAR_FORCE 1u

/* What to take. path is a normal absolute path (no ".", "..", "//" or trailing '/'); links are
 * never followed in any component. dev/ino: the identity the scan saw (both 0: not checked).
 * sha256: the digest the scan saw (NULL: not checked). Text fields may be NULL. */
struct cg_quar_req {
	const char *path;
	uint64_t dev, ino; /* as in struct cg_stat */
	const uint8_t *sha256;
	const char *sig_id, *sig_name, *bundle_name, *bundle_version, *reason;
	unsigned flags;
};

enum cg_quar_state {
	CG_QUAR_ST_QUARANTINED = 0, /* blob present and of the expected size */
	CG_QUAR_ST_BROKEN = 1,      /* metadata present but blob missing or truncated */
};

/* One entry. Strings are owned by the entry (NULL when absent); free with
 * cg_quar_entry_clear. path holds the original bytes (Linux paths need not be UTF-8). The
 * metadata fields are those of struct cg_fmeta (fsat.h): uid, gid and mode on POSIX; on Windows
 * btime_ns (creation time), win_attrs (FILE_ATTRIBUTE_*) and win_sd, the self-relative security
 * descriptor (owner, group, DACL; owned by the entry, NULL when none). The Windows fields are 0
 * on POSIX and absent from its metadata files. */
struct cg_quar_entry {
	char id[CG_QUAR_ID_LEN];
	char *path;
	uint64_t size;
	uint32_t uid, gid, mode; /* mode: the st_mode of the original, type bits included */
	int64_t atime_ns, mtime_ns, btime_ns;
	uint32_t win_attrs;
	uint8_t *win_sd;
	size_t win_sd_len;
	uint64_t dev, ino;
	uint8_t sha256[32];
	uint8_t md5[16];
	char *sig_id, *sig_name, *bundle_name, *bundle_version, *reason;
	char quarantined_at[32]; /* ISO 8601 UTC with ms, e.g. 2026-11-25T09:00:00.123Z */
	enum cg_quar_state state;
};

void cg_quar_entry_clear(struct cg_quar_entry *e);

struct cg_quar;

/* Opens (creating with mode 0700 if missing) the store directory `dir`, a normal absolute path
 * whose components are not links. The directory must be owned by the effective user; group or
 * other permission bits on it are removed. The key is created on first use. Errors:
 * CG_EINVAL, CG_ESYMLINK, CG_EPERM (owned by someone else, or a bad key file), CG_ECRYPTO,
 * CG_ENOMEM, CG_EIO. The packaged-file guard uses CG_DPKG_DEFAULT_ADMINDIR until
 * cg_quar_set_dpkg says otherwise; no action log until cg_quar_set_log. */
int cg_quar_open(const char *dir, struct cg_quar **out);
/* cg_quar_open, then cg_quar_set_log(logpath) when logpath is not NULL. */
int cg_quar_open2(const char *dir, const char *logpath, struct cg_quar **out);
void cg_quar_close(struct cg_quar *q);

/* Writes one action-log record (see actlog.h) for every add, refusal, failed add, restore and
 * delete to `logpath` (NULL: stop logging). Errors: CG_ENOMEM. A failure to write the log does
 * not fail the operation it describes. */
int cg_quar_set_log(struct cg_quar *q, const char *logpath);

/* Uses the dpkg database under `admindir` for the packaged-file guard (NULL: the default);
 * it is loaded on the first add that needs it. Errors: CG_ENOMEM. */
int cg_quar_set_dpkg(struct cg_quar *q, const char *admindir);

/* Moves r->path into the store and writes the new id to id_out. Steps, in order: open the
 * parent without links (CG_ESYMLINK, CG_ENOENT); open the file O_NOFOLLOW (a link:
 * CG_ESYMLINK; not a regular file: CG_ENOTFILE); check dev/ino (CG_ECHANGED); refuse a
 * read-only file system before copying (CG_EROFS); unless CG_QUAR_FORCE refuse a file that an
 * installed package ships unmodified (CG_EREFUSED, diagnostic names the package); encrypt the
 * bytes into the store while hashing (sha256 mismatch or size change: CG_ECHANGED; full store:
 * CG_ENOSPC); make blob and metadata durable; check the name still is the same inode
 * (CG_ECHANGED, the store entry is rolled back); unlink it (CG_EPERM, rolled back). On any
 * error the original is untouched and no store file is left. `d` (optional) gets one
 * diagnostic naming the path for every error. */
int cg_quar_add(struct cg_quar *q, const struct cg_quar_req *r, char id_out[CG_QUAR_ID_LEN],
                struct cg_diags *d);

/* Calls cb for each entry, in no particular order; the entry is valid only during the call.
 * Unreadable metadata files are skipped. A non-zero return from cb stops the walk and is
 * returned. At most CG_QUAR_MAX_ENTRIES entries are visited (then CG_ELIMIT). */
int cg_quar_list(struct cg_quar *q, int (*cb)(void *arg, const struct cg_quar_entry *e), void *arg);

/* Reads entry `id` into *out (caller clears it). Errors: CG_EINVAL (not an id), CG_ENOENT,
 * CG_EPARSE, CG_ENOMEM. */
int cg_quar_get(struct cg_quar *q, const char *id, struct cg_quar_entry *out);

/* Restores entry `id` to dest (NULL: the original path). dest's parent is opened without links
 * and dest is created with O_EXCL|O_NOFOLLOW (never overwrites: CG_EEXIST). The bytes are
 * decrypted and checked (tag and SHA-256: CG_ECRYPTO), then owner, mode (setuid/setgid dropped
 * unless CG_QUAR_FORCE), atime and mtime are set as they were (Windows: times, attributes and,
 * when elevated, owner, group and DACL; not elevated, the action log record gets
 * "acl_skipped": true), everything is fsync'ed, and only then the store entry is removed. On
 * error dest is removed and the entry kept. */
int cg_quar_restore(struct cg_quar *q, const char *id, const char *dest, unsigned flags);

/* Removes entry `id` (blob and metadata) for good. Errors: CG_EINVAL, CG_ENOENT, CG_EIO. */
int cg_quar_delete(struct cg_quar *q, const char *id);

/* Test hook, process-wide: fn(arg, stage) is called between the steps of add and restore so
 * tests can race them. NULL removes it. Not for production use. */
enum cg_quar_stage {
	CG_QUAR_STAGE_OPENED = 1,    /* add: file opened and identity checked */
	CG_QUAR_STAGE_COPIED = 3,    /* add: blob written and synced */
	CG_QUAR_STAGE_META = 4,      /* add: metadata durable; next: re-check and unlink */
	CG_QUAR_STAGE_UNLINKED = 6,  /* add: original removed */
	CG_QUAR_STAGE_RESTORED = 10, /* restore: destination written; next: remove the entry */
};
void cg_quar_set_hook(void (*fn)(void *arg, int stage), void *arg);

/* Metadata codec, exposed for fuzzing and tools. format: the entry as a JSON text the caller
 * frees with free() (jansson), or NULL on ENOMEM. parse: reads a JSON metadata text (at most
 * CG_QUAR_MAX_META bytes) into *out (caller clears it, also on error); problems go to `d` with
 * `src`. Returns 0, CG_EPARSE or CG_ENOMEM. */
char *cg_quar_meta_format(const struct cg_quar_entry *e);
int cg_quar_meta_parse(const char *buf, size_t len, const char *src, struct cg_quar_entry *out,
                       struct cg_diags *d);

#endif

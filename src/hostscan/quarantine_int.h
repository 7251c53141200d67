/* quarantine_int.h - internals shared by the quarantine store's source files. */
#ifndef CANHGAC_QUARANTINE_INT_H
#define CANHGAC_QUARANTINE_INT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "canhgac/quarantine.h"

#define QUAR_KEY_LEN 32
#define QUAR_NONCE_LEN 12
#define QUAR_TAG_LEN 16
#define QUAR_MAGIC "CGQ1"
#define QUAR_HDR_LEN (4 + QUAR_NONCE_LEN) /* magic, nonce */
#define QUAR_BLOB_OVERHEAD (QUAR_HDR_LEN + QUAR_TAG_LEN)

/* Streams `in` (read from offset 0 with pread until EOF, at most `max` bytes) encrypted into the
 * new file `out`, computing SHA-256 and MD5 of the plaintext. The entry id is bound into the
 * tag as associated data. *size gets the plaintext length. Errors: CG_ENOSPC, CG_EIO,
 * CG_ELIMIT, CG_ECRYPTO, CG_ENOMEM. */
int quar_encrypt_fd(const uint8_t key[QUAR_KEY_LEN], const char *id, int in, int out, uint64_t max,
                    uint8_t sha256[32], uint8_t md5[16], uint64_t *size);

/* Decrypts blob `in` into `out` (any descriptor), checking the header, the tag and the length
 * `size`; fills sha256 of the plaintext. Errors: CG_ECRYPTO (bad blob), CG_ENOSPC, CG_EIO,
 * CG_ENOMEM. On CG_ECRYPTO some plaintext may already have been written to `out`. */
int quar_decrypt_fd(const uint8_t key[QUAR_KEY_LEN], const char *id, int in, int out, uint64_t size,
                    uint8_t sha256[32]);

/* MD5 of everything `fd` holds (pread from 0), capped at `max` bytes. */
int quar_md5_fd(int fd, uint64_t max, uint8_t md5[16]);

/* 1 when `s` is exactly 32 lowercase hex digits. */
int quar_valid_id(const char *s);

void quar_hex(const uint8_t *b, size_t n, char *out);

#endif

struct cg_dpkg;

struct cg_quar {
	int dirfd; /* the store directory, opened without links */
	uint8_t key[QUAR_KEY_LEN];
	char *logpath;  /* NULL: no action log */
	char *admindir; /* NULL: the default dpkg admindir */
	struct cg_dpkg *dpkg;
};

/* Calls the test hook, if any. */
void quar_hook(int stage);

/* Reads and checks <id>.json into *e (caller clears), and sets e->state from the blob. */
int quar_read_meta(struct cg_quar *q, const char *id, struct cg_quar_entry *e);

/* Removes <id>.json, its temporary and <id>.blob; fsyncs the store. */
void quar_remove_files(struct cg_quar *q, const char *id);

/* "<id><suffix>" into buf (at least 64 bytes). */
void quar_name(char *buf, const char *id, const char *suffix);

/* Sets o[key] to the path, or o[key + "_hex"] to its bytes in hex when it is not UTF-8. */
void quar_set_path(json_t *o, const char *key, const char *path);

/* Writes an action-log record when logging is on; fields is consumed (decref'ed). */
void quar_log(struct cg_quar *q, const char *action, json_t *fields);

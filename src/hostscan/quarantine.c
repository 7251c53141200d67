/* quarantine.c - the quarantine store: opening it, its key, and taking files into it. */
#include <stdio.h>
#include <string.h>

#include "canhgac/actlog.h"
#include "canhgac/alloc.h"
#include "canhgac/dpkg.h"
#include "canhgac/error.h"
#include "canhgac/fsafe.h"
#include "canhgac/fsat.h"
#include "canhgac/limits.h"
#include "canhgac/quarantine.h"
#include "quarantine_int.h"
#include "banned.h"

static void (*hook_fn)(void *arg, int stage);
static void *hook_arg;

void cg_quar_set_hook(void (*fn)(void *arg, int stage), void *arg)
{
	hook_fn = fn;
	hook_arg = arg;
}

void quar_hook(int stage)
{
	if (hook_fn)
		hook_fn(hook_arg, stage);
}

void quar_name(char *buf, const char *id, const char *suffix)
{
	snprintf(buf, 64, "%s%s", id, suffix);
}

void quar_set_path(json_t *o, const char *key, const char *path)
{
	char k[32], *hx;
	json_t *j;
	size_t n;

	if (!o || !path)
		return;
	j = json_string(path);
	if (j) {
		json_object_set_new(o, key, j);
		return;
	}
	/* Not UTF-8: log the exact bytes in hex rather than lose the path. */
	n = strnlen(path, CG_MAX_PATH);
	hx = cg_malloc(2 * n + 1);
	if (!hx)
		return;
	quar_hex((const uint8_t *)path, n, hx);
	snprintf(k, sizeof(k), "%s_hex", key);
	json_object_set_new(o, k, json_string(hx));
	cg_free(hx);
}

void quar_log(struct cg_quar *q, const char *action, json_t *fields)
{
	if (q->logpath && fields)
		(void)cg_actlog_append(q->logpath, action, fields);
	json_decref(fields);
}

/* Checks an existing key file (regular, ours, 0600 or stricter, 32 bytes) and reads it. */
static int read_key(int dirfd, uint8_t key[QUAR_KEY_LEN])
{
	struct cg_stat st;
	int rc = CG_EPERM, fd = cg_at_open_read(dirfd, "key", 0);

	if (fd < 0)
		return fd;
	if (cg_file_fstat(fd, &st) != 0 || !CG_S_ISREG(st.mode) || cg_fs_check_private(fd, 0) ||
	    st.size != QUAR_KEY_LEN)
		goto out;
	if (cg_file_pread(fd, key, QUAR_KEY_LEN, 0) != QUAR_KEY_LEN) {
		rc = CG_EIO;
		goto out;
	}
	rc = CG_OK;
out:
	cg_file_close(fd);
	return rc;
}

/* Creates the key under a temporary name and links it into place, so a reader never sees a
 * half-written key and two processes creating it at once agree on one. */
static int create_key(int dirfd)
{
	uint8_t key[QUAR_KEY_LEN], rnd[8];
	char tmp[64], hx[17];
	int fd = -1, rc;

	if ((rc = cg_fs_random(key, sizeof(key))) != 0 ||
	    (rc = cg_fs_random(rnd, sizeof(rnd))) != 0)
		return rc;
	quar_hex(rnd, sizeof(rnd), hx);
	snprintf(tmp, sizeof(tmp), "key.tmp.%s", hx);
	fd = cg_at_create(dirfd, tmp, 0600);
	if (fd < 0)
		return fd;
	if ((rc = cg_fs_write_all(fd, key, sizeof(key))) != 0 || (rc = cg_fs_fsync(fd)) != 0)
		goto out;
	cg_file_close(fd);
	fd = -1; /* Windows renames only closed files (no FILE_SHARE_DELETE on our handle) */
	rc = cg_at_rename_noreplace(dirfd, tmp, "key");
	if (rc == CG_EEXIST)
		rc = CG_OK;
out:
	cg_file_close(fd);
	(void)cg_at_unlink(dirfd, tmp);
	if (!rc)
		rc = cg_fs_fsync(dirfd);
	memset(key, 0, sizeof(key));
	return rc;
}

/* Opens the store directory, creating it 0700 if missing, and makes sure only we can enter. */
static int open_store_dir(const char *dir, int *out)
{
	const char *base;
	int pfd, fd, rc = cg_fs_open_dir(dir, &fd);

	if (rc == CG_ENOENT) {
		rc = cg_fs_open_parent(dir, &pfd, &base);
		if (rc)
			return rc;
		rc = cg_at_mkdir(pfd, base, 0700);
		if (!rc || rc == CG_EEXIST)
			rc = cg_fs_fsync(pfd);
		cg_file_close(pfd);
		if (!rc)
			rc = cg_fs_open_dir(dir, &fd);
	}
	if (rc)
		return rc;
	rc = cg_fs_check_private(fd, 1);
	if (rc) {
		cg_file_close(fd);
		return rc == CG_ENOMEM ? rc : CG_EPERM;
	}
	*out = fd;
	return CG_OK;
}

int cg_quar_open(const char *dir, struct cg_quar **out)
{
	struct cg_quar *q;
	int rc;

	if (!dir || !out)
		return CG_EINVAL;
	q = cg_calloc(1, sizeof(*q));
	if (!q)
		return CG_ENOMEM;
	q->dirfd = -1;
	rc = open_store_dir(dir, &q->dirfd);
	if (rc)
		goto out;
	rc = read_key(q->dirfd, q->key);
	if (rc == CG_ENOENT) {
		rc = create_key(q->dirfd);
		if (!rc)
			rc = read_key(q->dirfd, q->key);
	}
out:
	if (rc) {
		cg_quar_close(q);
		return rc;
	}
	*out = q;
	return CG_OK;
}

int cg_quar_open2(const char *dir, const char *logpath, struct cg_quar **out)
{
	int rc = cg_quar_open(dir, out);

	if (!rc && logpath && (rc = cg_quar_set_log(*out, logpath)) != 0) {
		cg_quar_close(*out);
		*out = NULL;
	}
	return rc;
}

void cg_quar_close(struct cg_quar *q)
{
	if (!q)
		return;
	cg_file_close(q->dirfd);
	memset(q->key, 0, sizeof(q->key));
	cg_free(q->logpath);
	cg_free(q->admindir);
	cg_dpkg_close(q->dpkg);
	cg_free(q);
}

static int replace_str(char **dst, const char *src)
{
	char *c = NULL;

	if (src && !(c = cg_strdup(src)))
		return CG_ENOMEM;
	cg_free(*dst);
	*dst = c;
	return CG_OK;
}

int cg_quar_set_log(struct cg_quar *q, const char *logpath)
{
	return q ? replace_str(&q->logpath, logpath) : CG_EINVAL;
}

int cg_quar_set_dpkg(struct cg_quar *q, const char *admindir)
{
	if (!q)
		return CG_EINVAL;
	cg_dpkg_close(q->dpkg);
	q->dpkg = NULL;
	return replace_str(&q->admindir, admindir);
}

/* quarantine_restore.c - listing, reading, restoring and deleting quarantine entries. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/sys.h"
#include "canhgac/fsafe.h"
#include "canhgac/limits.h"
#include "canhgac/quarantine.h"
#include "quarantine_int.h"
#include "banned.h"

void quar_remove_files(struct cg_quar *q, const char *id)
{
	static const char *const sfx[] = {".json", ".json.tmp", ".blob"};
	char name[64];

	for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		quar_name(name, id, sfx[i]);
		unlinkat(q->dirfd, name, 0);
	}
	(void)cg_fs_fsync(q->dirfd);
}

int quar_read_meta(struct cg_quar *q, const char *id, struct cg_quar_entry *e)
{
	char name[64];
	char *buf = NULL;
	size_t len = 0;
	struct stat st;
	int rc;

	memset(e, 0, sizeof(*e));
	if (!quar_valid_id(id))
		return CG_EINVAL;
	quar_name(name, id, ".json");
	rc = cg_read_file_at(q->dirfd, name, 1, CG_QUAR_MAX_META, (uint8_t **)&buf, &len);
	if (rc)
		return rc;
	rc = cg_quar_meta_parse(buf, len, name, e, NULL);
	cg_free(buf);
	if (!rc && strcmp(e->id, id) != 0)
		rc = CG_EPARSE;
	if (rc) {
		cg_quar_entry_clear(e);
		return rc;
	}
	quar_name(name, id, ".blob");
	if (fstatat(q->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size != e->size + QUAR_BLOB_OVERHEAD)
		e->state = CG_QUAR_ST_BROKEN;
	return CG_OK;
}

int cg_quar_get(struct cg_quar *q, const char *id, struct cg_quar_entry *out)
{
	if (!q || !id || !out)
		return CG_EINVAL;
	return quar_read_meta(q, id, out);
}

int cg_quar_list(struct cg_quar *q, int (*cb)(void *arg, const struct cg_quar_entry *e), void *arg)
{
	struct cg_quar_entry e;
	struct dirent *de;
	size_t seen = 0;
	DIR *dir;
	int fd, rc = CG_OK;

	if (!q || !cb)
		return CG_EINVAL;
	fd = openat(q->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return cg_from_errno(errno);
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return CG_ENOMEM;
	}
	while (!rc && (de = readdir(dir)) != NULL) {
		char id[CG_QUAR_ID_LEN];
		if (strlen(de->d_name) != CG_QUAR_ID_LEN - 1 + 5 ||
		    strcmp(de->d_name + CG_QUAR_ID_LEN - 1, ".json") != 0)
			continue;
		memcpy(id, de->d_name, CG_QUAR_ID_LEN - 1);
		id[CG_QUAR_ID_LEN - 1] = '\0';
		if (++seen > CG_QUAR_MAX_ENTRIES) {
			rc = CG_ELIMIT;
			break;
		}
		if (quar_read_meta(q, id, &e) != 0)
			continue;
		rc = cb(arg, &e);
		cg_quar_entry_clear(&e);
	}
	closedir(dir);
	return rc;
}

int cg_quar_delete(struct cg_quar *q, const char *id)
{
	struct cg_quar_entry e;
	char name[64];
	json_t *f;
	int have;

	if (!q || !id || !quar_valid_id(id))
		return CG_EINVAL;
	have = quar_read_meta(q, id, &e) == CG_OK; /* for the log only */
	quar_name(name, id, ".json");
	if (unlinkat(q->dirfd, name, 0) != 0) {
		cg_quar_entry_clear(&e);
		return cg_from_errno(errno);
	}
	quar_remove_files(q, id);
	f = json_object();
	if (f) {
		json_object_set_new(f, "id", json_string(id));
		if (have)
			quar_set_path(f, "path", e.path);
	}
	quar_log(q, "quarantine_delete", f);
	cg_quar_entry_clear(&e);
	return CG_OK;
}

/* Owner, then mode (chown clears setuid/setgid, so it comes first), then times. */
static int set_attrs(int fd, const struct cg_quar_entry *e, unsigned flags)
{
	mode_t mode = e->mode & 07777;
	struct timespec ts[2];

	if (!(flags & CG_QUAR_FORCE))
		mode &= ~(mode_t)(S_ISUID | S_ISGID);
	ts[0].tv_sec = e->atime_ns / 1000000000;
	ts[0].tv_nsec = e->atime_ns % 1000000000;
	ts[1].tv_sec = e->mtime_ns / 1000000000;
	ts[1].tv_nsec = e->mtime_ns % 1000000000;
	for (int i = 0; i < 2; i++)
		if (ts[i].tv_nsec < 0) {
			ts[i].tv_nsec += 1000000000;
			ts[i].tv_sec--;
		}
	if (fchown(fd, e->uid, e->gid) != 0 || fchmod(fd, mode) != 0 || futimens(fd, ts) != 0)
		return cg_from_errno(errno);
	return CG_OK;
}

/* Writes the plaintext of entry e into the new file base under dfd. */
static int write_dest(struct cg_quar *q, const struct cg_quar_entry *e, int dfd, const char *base,
                      unsigned flags, int *made, struct stat *made_st)
{
	uint8_t sha[32];
	char name[64];
	int bfd, ofd = -1, rc;

	quar_name(name, e->id, ".blob");
	bfd = openat(q->dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (bfd < 0)
		return cg_from_errno(errno);
	ofd = openat(dfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY,
	             0600);
	if (ofd < 0) {
		rc = errno == EEXIST ? CG_EEXIST : cg_from_errno(errno);
		goto out;
	}
	*made = 1;
	if (fstat(ofd, made_st) != 0) {
		rc = cg_from_errno(errno);
		goto out;
	}
	rc = quar_decrypt_fd(q->key, e->id, bfd, ofd, e->size, sha);
	if (!rc && memcmp(sha, e->sha256, 32) != 0)
		rc = CG_ECRYPTO;
	if (!rc)
		rc = set_attrs(ofd, e, flags);
	if (!rc && fsync(ofd) != 0)
		rc = cg_from_errno(errno);
	if (!rc)
		rc = cg_fs_fsync(dfd);
out:
	if (ofd >= 0)
		close(ofd);
	close(bfd);
	return rc;
}

int cg_quar_restore(struct cg_quar *q, const char *id, const char *dest, unsigned flags)
{
	struct cg_quar_entry e;
	struct stat made_st, now;
	const char *base;
	int dfd = -1, made = 0, rc;
	json_t *f;

	if (!q || !id)
		return CG_EINVAL;
	memset(&made_st, 0, sizeof(made_st));
	rc = quar_read_meta(q, id, &e);
	if (rc)
		return rc;
	if (!dest)
		dest = e.path;
	rc = cg_fs_open_parent(dest, &dfd, &base);
	if (rc)
		goto out;
	rc = write_dest(q, &e, dfd, base, flags, &made, &made_st);
	if (rc)
		goto out;
	quar_hook(CG_QUAR_STAGE_RESTORED);
	quar_remove_files(q, id);
out:
	/* Remove a partial destination, but only if the name still is the file we created. */
	if (rc && made && fstatat(dfd, base, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
	    now.st_dev == made_st.st_dev && now.st_ino == made_st.st_ino)
		unlinkat(dfd, base, 0);
	if (dfd >= 0)
		close(dfd);
	f = json_object();
	if (f) {
		json_object_set_new(f, "id", json_string(id));
		quar_set_path(f, "path", e.path);
		quar_set_path(f, "dest", dest);
		json_object_set_new(f, "force", json_boolean(flags & CG_QUAR_FORCE));
		if (rc)
			json_object_set_new(f, "error", json_integer(rc));
	}
	quar_log(q, rc ? "quarantine_restore_failed" : "quarantine_restore", f);
	cg_quar_entry_clear(&e);
	return rc;
}

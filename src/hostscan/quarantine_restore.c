/* quarantine_restore.c - listing, reading, restoring and deleting quarantine entries. */
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/sys.h"
#include "canhgac/fsafe.h"
#include "canhgac/fsat.h"
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
		(void)cg_at_unlink(q->dirfd, name);
	}
	(void)cg_fs_fsync(q->dirfd);
}

int quar_read_meta(struct cg_quar *q, const char *id, struct cg_quar_entry *e)
{
	char name[64];
	char *buf = NULL;
	size_t len = 0;
	struct cg_stat st;
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
	if (cg_at_stat(q->dirfd, name, &st) != 0 || !CG_S_ISREG(st.mode) ||
	    (uint64_t)st.size != e->size + QUAR_BLOB_OVERHEAD)
		e->state = CG_QUAR_ST_BROKEN;
	return CG_OK;
}

int cg_quar_get(struct cg_quar *q, const char *id, struct cg_quar_entry *out)
{
	if (!q || !id || !out)
		return CG_EINVAL;
	return quar_read_meta(q, id, out);
}

struct list {
	struct cg_quar *q;
	int (*cb)(void *arg, const struct cg_quar_entry *e);
	void *arg;
	size_t seen;
};

static int list_one(void *arg, const char *name)
{
	struct list *l = arg;
	struct cg_quar_entry e;
	char id[CG_QUAR_ID_LEN];
	int rc;

	if (strlen(name) != CG_QUAR_ID_LEN - 1 + 5 ||
	    strcmp(name + CG_QUAR_ID_LEN - 1, ".json") != 0)
		return CG_OK;
	memcpy(id, name, CG_QUAR_ID_LEN - 1);
	id[CG_QUAR_ID_LEN - 1] = '\0';
	if (++l->seen > CG_QUAR_MAX_ENTRIES)
		return CG_ELIMIT;
	if (quar_read_meta(l->q, id, &e) != 0)
		return CG_OK;
	rc = l->cb(l->arg, &e);
	cg_quar_entry_clear(&e);
	return rc;
}

int cg_quar_list(struct cg_quar *q, int (*cb)(void *arg, const struct cg_quar_entry *e), void *arg)
{
	struct list l = {q, cb, arg, 0};

	if (!q || !cb)
		return CG_EINVAL;
	return cg_at_list(q->dirfd, list_one, &l);
}

int cg_quar_delete(struct cg_quar *q, const char *id)
{
	struct cg_quar_entry e;
	char name[64];
	json_t *f;
	int have, rc;

	if (!q || !id || !quar_valid_id(id))
		return CG_EINVAL;
	have = quar_read_meta(q, id, &e) == CG_OK; /* for the log only */
	quar_name(name, id, ".json");
	rc = cg_at_unlink(q->dirfd, name);
	if (rc) {
		cg_quar_entry_clear(&e);
		return rc;
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

/* The entry's metadata back on the new file; the descriptor stays the entry's. */
static int set_attrs(int fd, const struct cg_quar_entry *e, unsigned flags, unsigned *notes)
{
	struct cg_fmeta m;

	memset(&m, 0, sizeof(m));
	m.uid = e->uid;
	m.gid = e->gid;
	m.mode = e->mode;
	m.atime_ns = e->atime_ns;
	m.mtime_ns = e->mtime_ns;
	m.btime_ns = e->btime_ns;
	m.win_attrs = e->win_attrs;
	m.sd = e->win_sd;
	m.sd_len = e->win_sd_len;
	return cg_fmeta_set(fd, &m, (flags & CG_QUAR_FORCE) ? CG_FMETA_KEEP_SETID : 0, notes);
}

/* What a restore made, so that a failure removes exactly that. */
struct made {
	int made;
	struct cg_stat st;
	unsigned notes;
};

/* Writes the plaintext of entry e into the new file base under dfd. */
static int write_dest(struct cg_quar *q, const struct cg_quar_entry *e, int dfd, const char *base,
                      unsigned flags, struct made *m)
{
	uint8_t sha[32];
	char name[64];
	int bfd, ofd = -1, rc;

	quar_name(name, e->id, ".blob");
	bfd = cg_at_open_read(q->dirfd, name, 0);
	if (bfd < 0)
		return bfd;
	ofd = cg_at_create(dfd, base, 0600);
	if (ofd < 0) {
		rc = ofd;
		goto out;
	}
	m->made = 1;
	if ((rc = cg_file_fstat(ofd, &m->st)) != 0)
		goto out;
	rc = quar_decrypt_fd(q->key, e->id, bfd, ofd, e->size, sha);
	if (!rc && memcmp(sha, e->sha256, 32) != 0)
		rc = CG_ECRYPTO;
	if (!rc)
		rc = set_attrs(ofd, e, flags, &m->notes);
	if (!rc)
		rc = cg_fs_fsync(ofd);
	if (!rc)
		rc = cg_fs_fsync(dfd);
out:
	cg_file_close(ofd);
	cg_file_close(bfd);
	return rc;
}

static void log_restore(struct cg_quar *q, const struct cg_quar_entry *e, const char *id,
                        const char *dest, unsigned flags, const struct made *m, int rc)
{
	json_t *f = json_object();

	if (f) {
		json_object_set_new(f, "id", json_string(id));
		quar_set_path(f, "path", e->path);
		quar_set_path(f, "dest", dest);
		json_object_set_new(f, "force", json_boolean(flags & CG_QUAR_FORCE));
		if (m->notes & CG_FMETA_NOTE_SD_SKIPPED)
			json_object_set_new(f, "acl_skipped", json_true());
		if (rc)
			json_object_set_new(f, "error", json_integer(rc));
	}
	quar_log(q, rc ? "quarantine_restore_failed" : "quarantine_restore", f);
}

int cg_quar_restore(struct cg_quar *q, const char *id, const char *dest, unsigned flags)
{
	struct cg_quar_entry e;
	struct made m;
	const char *base;
	int dfd = -1, rc;

	if (!q || !id)
		return CG_EINVAL;
	memset(&m, 0, sizeof(m));
	rc = quar_read_meta(q, id, &e);
	if (rc)
		return rc;
	if (!dest)
		dest = e.path;
	rc = cg_fs_open_parent(dest, &dfd, &base);
	if (rc)
		goto out;
	rc = write_dest(q, &e, dfd, base, flags, &m);
	if (rc)
		goto out;
	quar_hook(CG_QUAR_STAGE_RESTORED);
	quar_remove_files(q, id);
out:
	/* Remove a partial destination, but only if the name still is the file we created. */
	if (rc && m.made)
		(void)cg_at_unlink_same(dfd, base, &m.st);
	cg_file_close(dfd);
	log_restore(q, &e, id, dest, flags, &m, rc);
	cg_quar_entry_clear(&e);
	return rc;
}

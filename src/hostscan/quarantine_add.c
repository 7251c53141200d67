/* quarantine_add.c - taking a file into the quarantine store, safely against link swaps. */
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/dpkg.h"
#include "canhgac/error.h"
#include "canhgac/fsafe.h"
#include "canhgac/fsat.h"
#include "canhgac/limits.h"
#include "canhgac/quarantine.h"
#include "canhgac/sys.h"
#include "canhgac/timeutil.h"
#include "quarantine_int.h"
#include "banned.h"

/* State of one add, so that every exit path can roll back exactly what was made. */
struct add {
	const struct cg_quar_req *r;
	int dirfd, fd;
	const char *base;
	struct cg_stat st;
	struct cg_fmeta meta;
	char pkg[CG_DPKG_MAX_PKGNAME + 1];
	int made; /* store files may exist for e.id */
	struct cg_quar_entry e;
};

static const char *err_vi(int rc)
{
	switch (rc) {
	case CG_ESYMLINK:
		return "là liên kết tượng trưng (hoặc có liên kết trong đường dẫn)";
	case CG_ENOTFILE:
		return "không phải tệp thông thường";
	case CG_ECHANGED:
		return "tệp đã bị thay đổi hoặc tráo đổi trong khi xử lý";
	case CG_ENOSPC:
		return "kho cách ly hết dung lượng";
	case CG_EROFS:
		return "hệ thống tệp chỉ đọc";
	case CG_EPERM:
		return "không có quyền";
	case CG_ENOENT:
		return "không tìm thấy";
	case CG_EINVAL:
		return "đường dẫn không hợp lệ (cần đường dẫn tuyệt đối, chuẩn hoá)";
	case CG_ELIMIT:
		return "tệp quá lớn";
	case CG_ENOMEM:
		return "hết bộ nhớ";
	case CG_ECRYPTO:
		return "lỗi mật mã";
	default:
		return "lỗi đọc/ghi";
	}
}

static const char *err_en(int rc)
{
	switch (rc) {
	case CG_ESYMLINK:
		return "is a symbolic link (or a link is in the path)";
	case CG_ENOTFILE:
		return "not a regular file";
	case CG_ECHANGED:
		return "the file was changed or swapped while we worked";
	case CG_ENOSPC:
		return "no space left in the quarantine store";
	case CG_EROFS:
		return "read-only file system";
	case CG_EPERM:
		return "permission denied";
	case CG_ENOENT:
		return "not found";
	case CG_EINVAL:
		return "invalid path (an absolute, normal path is needed)";
	case CG_ELIMIT:
		return "file too large";
	case CG_ENOMEM:
		return "out of memory";
	case CG_ECRYPTO:
		return "cryptographic failure";
	default:
		return "input/output error";
	}
}

/* Step 1: the parent without links, then the file itself, checked before it is opened so that
 * a device or FIFO is never opened (opening some devices has side effects). */
static int open_target(struct add *a)
{
	struct cg_stat pre;
	int rc = cg_fs_open_parent(a->r->path, &a->dirfd, &a->base);

	if (rc)
		return rc;
	if ((rc = cg_at_stat(a->dirfd, a->base, &pre)) != 0)
		return rc;
	if (CG_S_ISLNK(pre.mode))
		return CG_ESYMLINK;
	if (!CG_S_ISREG(pre.mode))
		return CG_ENOTFILE;
	a->fd = cg_at_open_read(a->dirfd, a->base, CG_AT_NOATIME);
	if (a->fd < 0)
		return a->fd;
	if ((rc = cg_file_fstat(a->fd, &a->st)) != 0)
		return rc;
	if (!CG_S_ISREG(a->st.mode))
		return CG_ENOTFILE;
	if (a->st.dev != pre.dev || a->st.ino != pre.ino)
		return CG_ECHANGED;
	return cg_fmeta_get(a->fd, &a->meta);
}

/* Step 2 and the checks that must come before any copy. */
static int precheck(struct cg_quar *q, struct add *a)
{
	uint8_t want[16], got[16];
	int rc;

	if ((a->r->dev || a->r->ino) && (a->st.dev != a->r->dev || a->st.ino != a->r->ino))
		return CG_ECHANGED;
	quar_hook(CG_QUAR_STAGE_OPENED);
	/* A copy we could never follow with an unlink would only leave a duplicate behind. */
	rc = cg_fs_is_rdonly(a->dirfd);
	if (rc)
		return rc > 0 ? CG_EROFS : rc;
	if ((uint64_t)a->st.size > CG_QUAR_MAX_FILE)
		return CG_ELIMIT;
	/* dpkg ships only '/' paths: a Windows path is no package's */
	if ((a->r->flags & CG_QUAR_FORCE) || a->r->path[0] != '/')
		return CG_OK;
	if (!q->dpkg && (rc = cg_dpkg_open(q->admindir, &q->dpkg)) != 0)
		return rc;
	rc = cg_dpkg_lookup(q->dpkg, a->r->path, a->pkg, sizeof(a->pkg), want);
	if (rc <= 0)
		return rc;
	rc = quar_md5_fd(a->fd, CG_QUAR_MAX_FILE, got);
	if (rc)
		return rc;
	return memcmp(want, got, 16) == 0 ? CG_EREFUSED : CG_OK;
}

static int new_id(char id[CG_QUAR_ID_LEN])
{
	uint8_t b[16];
	int rc = cg_fs_random(b, sizeof(b));

	if (!rc)
		quar_hex(b, sizeof(b), id);
	return rc;
}

/* Step 3: encrypt from the checked descriptor into <id>.blob, then make it durable. */
static int copy_in(struct cg_quar *q, struct add *a)
{
	char name[64];
	struct cg_stat after;
	uint64_t size = 0;
	int rc, bfd;

	rc = new_id(a->e.id);
	if (rc)
		return rc;
	quar_name(name, a->e.id, ".blob");
	bfd = cg_at_create(q->dirfd, name, 0600);
	if (bfd < 0)
		return bfd;
	a->made = 1;
	rc = quar_encrypt_fd(q->key, a->e.id, a->fd, bfd, CG_QUAR_MAX_FILE, a->e.sha256, a->e.md5,
	                     &size);
	if (!rc)
		rc = cg_fs_fsync(bfd);
	cg_file_close(bfd);
	if (rc)
		return rc;
	/* The file must not have changed under us: same length, same mtime, expected digest. */
	if (cg_file_fstat(a->fd, &after) != 0 || size != (uint64_t)a->st.size ||
	    after.size != a->st.size || after.mtime_ns != a->st.mtime_ns ||
	    (a->r->sha256 && memcmp(a->r->sha256, a->e.sha256, 32) != 0))
		return CG_ECHANGED;
	quar_hook(CG_QUAR_STAGE_COPIED);
	return CG_OK;
}

static int dup_field(char **dst, const char *s)
{
	*dst = s ? cg_strndup(s, CG_QUAR_MAX_FIELD) : NULL;
	return s && !*dst ? CG_ENOMEM : CG_OK;
}

static int fill_entry(struct add *a)
{
	struct cg_quar_entry *e = &a->e;
	const struct cg_quar_req *r = a->r;

	e->size = (uint64_t)a->st.size;
	e->uid = a->meta.uid;
	e->gid = a->meta.gid;
	e->mode = a->meta.mode;
	e->atime_ns = a->meta.atime_ns;
	e->mtime_ns = a->meta.mtime_ns;
	e->btime_ns = a->meta.btime_ns;
	e->win_attrs = a->meta.win_attrs;
	e->win_sd = a->meta.sd; /* the entry owns it now */
	e->win_sd_len = a->meta.sd_len;
	a->meta.sd = NULL;
	a->meta.sd_len = 0;
	e->dev = a->st.dev;
	e->ino = a->st.ino;
	cg_time_iso8601_ms(e->quarantined_at, cg_now_ms());
	if (!(e->path = cg_strdup(r->path)) || dup_field(&e->sig_id, r->sig_id) ||
	    dup_field(&e->sig_name, r->sig_name) || dup_field(&e->bundle_name, r->bundle_name) ||
	    dup_field(&e->bundle_version, r->bundle_version) || dup_field(&e->reason, r->reason))
		return CG_ENOMEM;
	return CG_OK;
}

/* Step 4: metadata to a temporary file, fsync, rename into place, fsync the store. */
static int write_meta(struct cg_quar *q, const struct cg_quar_entry *e)
{
	char tmp[64], name[64];
	char *js = cg_quar_meta_format(e);
	int fd = -1, rc = CG_ENOMEM;

	if (!js)
		goto out;
	quar_name(tmp, e->id, ".json.tmp");
	quar_name(name, e->id, ".json");
	fd = cg_at_create(q->dirfd, tmp, 0600);
	if (fd < 0) {
		rc = fd;
		goto out;
	}
	if ((rc = cg_fs_write_all(fd, js, strlen(js))) != 0 || (rc = cg_fs_fsync(fd)) != 0)
		goto out;
	cg_file_close(fd);
	fd = -1; /* Windows renames only closed files */
	if ((rc = cg_at_rename(q->dirfd, tmp, q->dirfd, name)) != 0)
		goto out;
	rc = cg_fs_fsync(q->dirfd);
out:
	cg_file_close(fd);
	free(js); /* from jansson */
	return rc;
}

/* Steps 5 and 6: the name must still be our inode (not a link or another file swapped in);
 * only then is it unlinked, from the directory descriptor opened in step 1. */
static int recheck_unlink(struct add *a)
{
	int rc;

	quar_hook(CG_QUAR_STAGE_META);
	if ((rc = cg_at_unlink_same(a->dirfd, a->base, &a->st)) != 0)
		return rc;
	/* The original is gone and the copy is durable: a failing directory fsync now must not
	 * roll the store entry back. */
	(void)cg_fs_fsync(a->dirfd);
	quar_hook(CG_QUAR_STAGE_UNLINKED);
	return CG_OK;
}

static json_t *add_fields(const struct add *a, int rc)
{
	char sha[65];
	json_t *f = json_object();

	if (!f)
		return NULL;
	quar_set_path(f, "path", a->r->path);
	if (!rc) {
		quar_hex(a->e.sha256, 32, sha);
		json_object_set_new(f, "id", json_string(a->e.id));
		json_object_set_new(f, "sha256", json_string(sha));
		json_object_set_new(f, "size", json_integer((json_int_t)a->e.size));
	} else {
		json_object_set_new(f, "error", json_integer(rc));
		json_object_set_new(f, "error_text", json_string(err_en(rc)));
	}
	if (rc == CG_EREFUSED)
		json_object_set_new(f, "package", json_string(a->pkg));
	if (a->r->sig_name)
		json_object_set_new(f, "sig_name", json_string(a->r->sig_name));
	if (a->r->reason)
		json_object_set_new(f, "reason", json_string(a->r->reason));
	json_object_set_new(f, "force", json_boolean(a->r->flags & CG_QUAR_FORCE));
	return f;
}

static void report(struct cg_quar *q, struct add *a, int rc, struct cg_diags *d)
{
	const char *action = !rc                 ? "quarantine_add"
	                     : rc == CG_EREFUSED ? "quarantine_refused"
	                                         : "quarantine_failed";

	if (rc == CG_EREFUSED)
		cg_diags_add(
		    d, rc, a->r->path, 0, 0,
		    CG_MSG("không cách ly %s: tệp thuộc gói %s và chưa bị sửa đổi "
		           "(dùng --force để vẫn cách ly)",
		           "not quarantining %s: it belongs to package %s and is unmodified "
		           "(use --force to quarantine anyway)"),
		    a->r->path, a->pkg);
	else if (rc)
		cg_diags_add(
		    d, rc, a->r->path, 0, 0,
		    CG_MSG("không cách ly được %s: %s%.0s", "cannot quarantine %s: %.0s%s"),
		    a->r->path, err_vi(rc), err_en(rc));
	if (q->logpath && a->r->path)
		quar_log(q, action, add_fields(a, rc));
}

int cg_quar_add(struct cg_quar *q, const struct cg_quar_req *r, char id_out[CG_QUAR_ID_LEN],
                struct cg_diags *d)
{
	struct add a;
	int rc;

	if (!q || !r || !r->path || !id_out)
		return CG_EINVAL;
	memset(&a, 0, sizeof(a));
	a.r = r;
	a.dirfd = a.fd = -1;
	id_out[0] = '\0';
	if ((rc = open_target(&a)) != 0 || (rc = precheck(q, &a)) != 0 ||
	    (rc = fill_entry(&a)) != 0 || (rc = copy_in(q, &a)) != 0 ||
	    (rc = write_meta(q, &a.e)) != 0 || (rc = recheck_unlink(&a)) != 0)
		goto out;
	memcpy(id_out, a.e.id, CG_QUAR_ID_LEN);
out:
	if (rc && a.made)
		quar_remove_files(q, a.e.id);
	report(q, &a, rc, d);
	cg_file_close(a.fd);
	cg_file_close(a.dirfd);
	cg_fmeta_clear(&a.meta);
	cg_quar_entry_clear(&a.e);
	return rc;
}

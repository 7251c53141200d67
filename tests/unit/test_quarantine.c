/* test_quarantine.c - the quarantine store on real file systems, as root: round trips, link
 * swaps, full and read-only file systems, the dpkg guard, and the action log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/quarantine.h"

struct fx {
	char base[64];
	char store[128];
	char mounts[2][128];
	int nmounts;
};

static int rm_cb(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(p);
	return 0;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	snprintf(f->base, sizeof(f->base), "/tmp/cgquar.XXXXXX");
	if (!mkdtemp(f->base))
		return -1;
	snprintf(f->store, sizeof(f->store), "%s/store", f->base);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	cg_quar_set_hook(NULL, NULL);
	cg_alloc_fail_after(-1);
	for (int i = f->nmounts - 1; i >= 0; i--)
		umount2(f->mounts[i], MNT_DETACH);
	nftw(f->base, rm_cb, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
	free(f);
	return 0;
}

/* Mounts a tmpfs; returns 0, or skips the test when mounting is not permitted. */
static int try_mount(struct fx *f, const char *dir, const char *opts)
{
	assert_true(f->nmounts < 2);
	mkdir(dir, 0700);
	if (mount("tmpfs", dir, "tmpfs", 0, opts) != 0) {
		if (errno == EPERM || errno == EACCES) {
			print_message("mount not permitted (need root/CAP_SYS_ADMIN): skipping\n");
			return -1;
		}
		fail_msg("mount tmpfs on %s: %s", dir, strerror(errno));
	}
	snprintf(f->mounts[f->nmounts++], sizeof(f->mounts[0]), "%s", dir);
	return 0;
}

static void path_in(const struct fx *f, char *out, const char *name)
{
	snprintf(out, 256, "%s/%s", f->base, name);
}

static void write_bytes(const char *path, const void *b, size_t n, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, b, n), (ssize_t)n);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static size_t read_all(const char *path, uint8_t *buf, size_t cap)
{
	FILE *fp = fopen(path, "rb");
	size_t n;
	assert_non_null(fp);
	n = fread(buf, 1, cap, fp);
	fclose(fp);
	return n;
}

static void sha256_buf(const void *b, size_t n, uint8_t out[32])
{
	assert_int_equal(EVP_Digest(b, n, out, NULL, EVP_sha256(), NULL), 1);
}

static void sha256_file(const char *path, uint8_t out[32])
{
	static uint8_t buf[4 << 20];
	sha256_buf(buf, read_all(path, buf, sizeof(buf)), out);
}

/* Files in the store directory other than the key. */
static int store_files(const struct fx *f)
{
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "test $(ls -A '%s' | grep -v '^key$' | wc -l) -eq 0", f->store);
	return system(cmd) == 0 ? 0 : 1;
}

static uint8_t payload[100000];

static void make_payload(void)
{
	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 7 + i / 251);
	memcpy(payload + 5000, "CANHGAC-PLAINTEXT-MARKER-must-not-appear-in-the-blob", 52);
}

static int memmem_found(const uint8_t *h, size_t hn, const void *n, size_t nn)
{
	return memmem(h, hn, n, nn) != NULL;
}

static void req_for(struct cg_quar_req *r, const char *path)
{
	struct stat st;
	memset(r, 0, sizeof(*r));
	r->path = path;
	if (lstat(path, &st) == 0) {
		r->dev = st.st_dev;
		r->ino = st.st_ino;
	}
	r->sig_id = "CG-0001";
	r->sig_name = "Unix.Test.Marker";
	r->bundle_name = "test-bundle";
	r->bundle_version = "2026.11.25";
	r->reason = "unit test";
}

static void roundtrip_identical(void **state)
{
	struct fx *f = *state;
	char path[256], blob[300], id[CG_QUAR_ID_LEN];
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_quar *q;
	struct cg_quar_entry e;
	struct cg_quar_req r;
	struct stat before, after;
	struct timespec ts[2] = {{1600000000, 123456789}, {1500000000, 987654321}};
	uint8_t sha[32], sha2[32];
	static uint8_t buf[200000];
	size_t n;

	make_payload();
	path_in(f, path, "victim.bin");
	write_bytes(path, payload, sizeof(payload), 0640);
	assert_int_equal(chown(path, 1234, 5678), 0);
	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
	assert_int_equal(stat(path, &before), 0);
	sha256_buf(payload, sizeof(payload), sha);

	assert_int_equal(cg_quar_open(f->store, &q), 0);
	req_for(&r, path);
	r.sha256 = sha;
	assert_int_equal(cg_quar_add(q, &r, id, &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(strlen(id), 32);
	assert_int_equal(access(path, F_OK), -1); /* the original is gone */

	/* the blob is encrypted: magic, then no trace of the plaintext */
	snprintf(blob, sizeof(blob), "%s/%s.blob", f->store, id);
	n = read_all(blob, buf, sizeof(buf));
	assert_int_equal(n, sizeof(payload) + 32);
	assert_memory_equal(buf, "CGQ1", 4);
	assert_false(memmem_found(buf, n, "CANHGAC-PLAINTEXT-MARKER", 24));
	assert_false(memmem_found(buf, n, payload, 16));
	assert_false(memmem_found(buf, n, payload + 50000, 16));

	assert_int_equal(cg_quar_get(q, id, &e), 0);
	assert_string_equal(e.id, id);
	assert_string_equal(e.path, path);
	assert_int_equal(e.size, sizeof(payload));
	assert_int_equal(e.uid, 1234);
	assert_int_equal(e.gid, 5678);
	assert_int_equal(e.mode, before.st_mode);
	assert_int_equal(e.mtime_ns, 1500000000987654321LL);
	assert_int_equal(e.dev, before.st_dev);
	assert_int_equal(e.ino, before.st_ino);
	assert_memory_equal(e.sha256, sha, 32);
	assert_string_equal(e.sig_name, "Unix.Test.Marker");
	assert_string_equal(e.bundle_version, "2026.11.25");
	assert_int_equal(strlen(e.quarantined_at), 24);
	assert_int_equal(e.state, CG_QUAR_ST_QUARANTINED);
	cg_quar_entry_clear(&e);

	/* restore to the original place: same bytes, owner, mode, times */
	assert_int_equal(cg_quar_restore(q, id, NULL, 0), 0);
	assert_int_equal(stat(path, &after), 0); /* before reading it, which may touch atime */
	sha256_file(path, sha2);
	assert_memory_equal(sha2, sha, 32);
	assert_int_equal(after.st_mode, before.st_mode);
	assert_int_equal(after.st_uid, 1234);
	assert_int_equal(after.st_gid, 5678);
	assert_int_equal(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
	assert_int_equal(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
	assert_int_equal(after.st_atim.tv_sec, before.st_atim.tv_sec);
	assert_int_equal(after.st_atim.tv_nsec, before.st_atim.tv_nsec);
	assert_int_equal(after.st_size, before.st_size);
	/* the entry is gone from the store */
	assert_int_equal(cg_quar_get(q, id, &e), CG_ENOENT);
	assert_int_equal(store_files(f), 0);
	cg_quar_close(q);
	cg_diags_clear(&d);
}

static int count_cb(void *arg, const struct cg_quar_entry *e)
{
	(*(int *)arg)++;
	assert_int_equal(e->state, CG_QUAR_ST_QUARANTINED);
	return 0;
}

static void restore_never_overwrites(void **state)
{
	struct fx *f = *state;
	char path[256], other[256], victim[256], id[CG_QUAR_ID_LEN];
	struct cg_quar *q;
	struct cg_quar_req r;
	uint8_t buf[64];
	int n = 0;

	path_in(f, path, "a.txt");
	path_in(f, other, "restored.txt");
	path_in(f, victim, "victim.txt");
	write_bytes(path, "malware", 7, 0644);
	assert_int_equal(cg_quar_open(f->store, &q), 0);
	req_for(&r, path);
	assert_int_equal(cg_quar_add(q, &r, id, NULL), 0);
	assert_int_equal(cg_quar_list(q, count_cb, &n), 0);
	assert_int_equal(n, 1);

	write_bytes(path, "newer", 5, 0644);
	assert_int_equal(cg_quar_restore(q, id, NULL, 0), CG_EEXIST);
	assert_int_equal(read_all(path, buf, sizeof(buf)), 5);
	assert_memory_equal(buf, "newer", 5);
	/* a link at the destination is not followed and not replaced */
	write_bytes(victim, "keep", 4, 0644);
	assert_int_equal(symlink(victim, other), 0);
	assert_int_equal(cg_quar_restore(q, id, other, 0), CG_EEXIST);
	assert_int_equal(read_all(victim, buf, sizeof(buf)), 4);
	unlink(other);
	/* the entry survived the failed restores; another destination works */
	assert_int_equal(cg_quar_restore(q, id, other, 0), 0);
	assert_int_equal(read_all(other, buf, sizeof(buf)), 7);
	assert_memory_equal(buf, "malware", 7);
	assert_int_equal(cg_quar_restore(q, id, other, 0), CG_ENOENT);
	cg_quar_close(q);
}

static void setuid_dropped_unless_forced(void **state)
{
	struct fx *f = *state;
	char path[256], id[CG_QUAR_ID_LEN];
	struct cg_quar *q;
	struct cg_quar_req r;
	struct stat st;

	path_in(f, path, "suid");
	assert_int_equal(cg_quar_open(f->store, &q), 0);
	for (int force = 0; force < 2; force++) {
		write_bytes(path, "#!/bin/sh\n", 10, 06755);
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_mode & 07777, 06755);
		req_for(&r, path);
		assert_int_equal(cg_quar_add(q, &r, id, NULL), 0);
		assert_int_equal(cg_quar_restore(q, id, NULL, force ? CG_QUAR_FORCE : 0), 0);
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_mode & 07777, force ? 06755 : 0755);
		unlink(path);
	}
	cg_quar_close(q);
}

static void symlink_target_refused(void **state)
{
	struct fx *f = *state;
	char link[256], victim[256], id[CG_QUAR_ID_LEN];
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_quar *q;
	struct cg_quar_req r;
	struct stat st;
	uint8_t buf[16];

	path_in(f, victim, "passwd-like");
	path_in(f, link, "evil-link");
	write_bytes(victim, "root:x:0:0", 10, 0644);
	assert_int_equal(symlink(victim, link), 0);
	assert_int_equal(cg_quar_open(f->store, &q), 0);
	req_for(&r, link);
	r.dev = r.ino = 0;
	assert_int_equal(cg_quar_add(q, &r, id, &d), CG_ESYMLINK);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.v[0].msg_en, link));
	assert_non_null(strstr(d.v[0].msg_vi, link));
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(read_all(victim, buf, sizeof(buf)), 10);
	assert_int_equal(store_files(f), 0);
	cg_quar_close(q);
	cg_diags_clear(&d);
}

static void symlink_in_parent_refused(void **state)
{
	struct fx *f = *state;
	char dir[256], sub[300], file[320], link[256], via[300], id[CG_QUAR_ID_LEN];
	struct cg_quar *q;
	struct cg_quar_req r;

	path_in(f, dir, "real");
	path_in(f, link, "linkdir");
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	snprintf(file, sizeof(file), "%s/f", sub);
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(mkdir(sub, 0755), 0);
	write_bytes(file, "data", 4, 0644);
	assert_int_equal(symlink(dir, link), 0);
	assert_int_equal(cg_quar_open(f->store, &q), 0);
	snprintf(via, sizeof(via), "%s/sub/f", link);
	req_for(&r, via);
	assert_int_equal(cg_quar_add(q, &r, id, NULL), CG_ESYMLINK);
	assert_int_equal(access(file, F_OK), 0);
	/* neither "." nor ".." tricks: paths must be normal */
	snprintf(via, sizeof(via), "%s/real/../real/sub/f", f->base);
	req_for(&r, via);
	assert_int_equal(cg_quar_add(q, &r, id, NULL), CG_EINVAL);
	req_for(&r, "relative/f");
	assert_int_equal(cg_quar_add(q, &r, id, NULL), CG_EINVAL);
	assert_int_equal(access(file, F_OK), 0);
	assert_int_equal(store_files(f), 0);
	cg_quar_close(q);
}

struct swap {
	const char *path, *moved, *target;
	int as_symlink;
	int done;
};

/* Between the durable copy and the unlink, an attacker moves the file away and puts a link (or
 * another file) in its place. */
static void swap_hook(void *arg, int stage)
{
	struct swap *s = arg;
	if (stage != CG_QUAR_STAGE_META || s->done)
		return;
	assert_int_equal(rename(s->path, s->moved), 0);
	if (s->as_symlink)
		assert_int_equal(symlink(s->target, s->path), 0);
	else
		write_bytes(s->path, "innocent", 8, 0644);
	s->done = 1;
}

static void swap_before_unlink(void **state)
{
	struct fx *f = *state;
	char path[256], moved[256], target[256], id[CG_QUAR_ID_LEN];
	struct cg_quar *q;
	struct cg_quar_req r;
	struct stat st;
	uint8_t buf[64];

	path_in(f, path, "x.bin");
	path_in(f, moved, "elsewhere.bin");
	path_in(f, target, "important");
	write_bytes(target, "do not delete", 13, 0644);
	assert_int_equal(cg_quar_open(f->store, &q), 0);
	for (int as_link = 1; as_link >= 0; as_link--) {
		struct swap s = {path, moved, target, as_link, 0};
		write_bytes(path, "evil bytes", 10, 0755);
		req_for(&r, path);
		cg_quar_set_hook(swap_hook, &s);
		assert_int_equal(cg_quar_add(q, &r, id, NULL), CG_ECHANGED);
		cg_quar_set_hook(NULL, NULL);
		assert_true(s.done);
		/* the original, now elsewhere, is intact */
		assert_int_equal(read_all(moved, buf, sizeof(buf)), 10);
		assert_memory_equal(buf, "evil bytes", 10);
		/* what was swapped in was not unlinked, and the link was not followed */
		assert_int_equal(lstat(path, &st), 0);
		assert_true(as_link ? S_ISLNK(st.st_mode) : S_ISREG(st.st_mode));
		assert_int_equal(read_all(target, buf, sizeof(buf)), 13);
		/* the store entry was rolled back */
		assert_int_equal(store_files(f), 0);
		unlink(path);
		unlink(moved);
	}
	cg_quar_close(q);
}

static void identity_and_digest_checked(void **state)
{
	struct fx *f = *state;
	char path[256], id[CG_QUAR_ID_LEN];
	struct cg_quar *q;
	struct cg_quar_req r;
	uint8_t wrong[32] = {1};

	path_in(f, path, "f");
	write_bytes(path, "content", 7, 0644);
	assert_int_equal(cg_quar_open(f->store, &q), 0);
	req_for(&r, path);
	r.ino++;
	assert_int_equal(cg_quar_add(q, &r, id, NULL), CG_ECHANGED);
	req_for(&r, path);
	r.sha256 = wrong;
	assert_int_equal(cg_quar_add(q, &r, id, NULL), CG_ECHANGED);
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(store_files(f), 0);
	/* a FIFO and a directory are not regular files; the FIFO is never opened */
	path_in(f, path, "fifo");
	assert_int_equal(mkfifo(path, 0600), 0);
	req_for(&r, path);
	assert_int_equal(cg_quar_add(q, &r, id, NULL), CG_ENOTFILE);
	req_for(&r, f->base);
	assert_int_equal(cg_quar_add(q, &r, id, NULL), CG_ENOTFILE);
	path_in(f, path, "missing");
	req_for(&r, path);
	assert_int_equal(cg_quar_add(q, &r, id, NULL), CG_ENOENT);
	assert_int_equal(store_files(f), 0);
	cg_quar_close(q);
}

static void full_store_enospc(void **state)
{
	struct fx *f = *state;
	char path[256], id[CG_QUAR_ID_LEN];
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_quar *q;
	struct cg_quar_req r;
	static uint8_t big[1 << 20];
	uint8_t sha[32], sha2[32];

	if (try_mount(f, f->store, "size=256k,mode=0700"))
		skip();
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i ^ (i >> 9));
	path_in(f, path, "big.bin");
	write_bytes(path, big, sizeof(big), 0644);
	sha256_buf(big, sizeof(big), sha);
	assert_int_equal(cg_quar_open(f->store, &q), 0);
	req_for(&r, path);
	assert_int_equal(cg_quar_add(q, &r, id, &d), CG_ENOSPC);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.v[0].msg_en, path));
	sha256_file(path, sha2);
	assert_memory_equal(sha, sha2, 32);
	assert_int_equal(store_files(f), 0);
	/* the store still works for a file that fits */
	path_in(f, path, "small.bin");
	write_bytes(path, big, 1000, 0644);
	req_for(&r, path);
	assert_int_equal(cg_quar_add(q, &r, id, NULL), 0);
	cg_quar_close(q);
	cg_diags_clear(&d);
}

static void max_stage_hook(void *arg, int stage)
{
	int *m = arg;
	if (stage > *m)
		*m = stage;
}

static void readonly_original_erofs(void **state)
{
	int max_stage = 0;
	struct fx *f = *state;
	char mnt[256], path[300], id[CG_QUAR_ID_LEN];
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_quar *q;
	struct cg_quar_req r;
	uint8_t buf[64];

	path_in(f, mnt, "rofs");
	if (try_mount(f, mnt, "size=1m"))
		skip();
	snprintf(path, sizeof(path), "%s/evil", mnt);
	write_bytes(path, "read-only evil", 14, 0755);
	assert_int_equal(mount("tmpfs", mnt, "tmpfs", MS_REMOUNT | MS_RDONLY, "size=1m"), 0);
	assert_int_equal(cg_quar_open(f->store, &q), 0);
	req_for(&r, path);
	cg_quar_set_hook(max_stage_hook, &max_stage);
	assert_int_equal(cg_quar_add(q, &r, id, &d), CG_EROFS);
	cg_quar_set_hook(NULL, NULL);
	/* detected before any copy was made */
	assert_true(max_stage < CG_QUAR_STAGE_COPIED);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.v[0].msg_vi, path));
	assert_int_equal(read_all(path, buf, sizeof(buf)), 14);
	assert_int_equal(store_files(f), 0);
	cg_quar_close(q);
	cg_diags_clear(&d);
}

static void md5_hex(const void *b, size_t n, char out[33])
{
	uint8_t m[16];
	assert_int_equal(EVP_Digest(b, n, m, NULL, EVP_md5(), NULL), 1);
	for (int i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", m[i]);
}

static void packaged_file_guard(void **state)
{
	struct fx *f = *state;
	char admin[256], info[300], list[400], path[256], path2[256], line[1024], hx[33];
	char id[CG_QUAR_ID_LEN];
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_quar *q;
	struct cg_quar_req r;
	FILE *fp;

	path_in(f, admin, "dpkg");
	snprintf(info, sizeof(info), "%s/info", admin);
	assert_int_equal(mkdir(admin, 0755), 0);
	assert_int_equal(mkdir(info, 0755), 0);
	path_in(f, path, "packaged-tool");
	path_in(f, path2, "packaged-other");
	write_bytes(path, "original tool", 13, 0755);
	write_bytes(path2, "original other", 14, 0755);
	snprintf(list, sizeof(list), "%s/faketool:amd64.md5sums", info);
	fp = fopen(list, "w");
	assert_non_null(fp);
	md5_hex("original tool", 13, hx);
	fprintf(fp, "%s  %s\n", hx, path + 1);
	md5_hex("original other", 14, hx);
	fprintf(fp, "%s  %s\n", hx, path2 + 1);
	fclose(fp);

	path_in(f, line, "guard.jsonl");
	assert_int_equal(cg_quar_open2(f->store, line, &q), 0);
	assert_int_equal(cg_quar_set_dpkg(q, admin), 0);
	/* unchanged packaged file: refused, naming the package */
	req_for(&r, path);
	assert_int_equal(cg_quar_add(q, &r, id, &d), CG_EREFUSED);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.v[0].msg_en, "faketool"));
	assert_non_null(strstr(d.v[0].msg_vi, "faketool"));
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(store_files(f), 0);
	{ /* the refusal is in the action log, with the package */
		json_error_t err;
		json_t *o = json_load_file(line, JSON_DISABLE_EOF_CHECK, &err);
		assert_non_null(o);
		assert_string_equal(json_string_value(json_object_get(o, "action")),
		                    "quarantine_refused");
		assert_string_equal(json_string_value(json_object_get(o, "package")), "faketool");
		json_decref(o);
	}
	/* modified packaged file: quarantined */
	write_bytes(path, "trojaned tool", 13, 0755);
	snprintf(line, sizeof(line), "%s", path);
	req_for(&r, line);
	assert_int_equal(cg_quar_add(q, &r, id, NULL), 0);
	assert_int_equal(access(path, F_OK), -1);
	/* --force overrides the guard */
	req_for(&r, path2);
	r.flags = CG_QUAR_FORCE;
	assert_int_equal(cg_quar_add(q, &r, id, NULL), 0);
	assert_int_equal(access(path2, F_OK), -1);
	cg_quar_close(q);
	cg_diags_clear(&d);
}

/* The real dpkg database protects /usr/bin/dpkg. Safe to run: should the guard fail, the wrong
 * expected SHA-256 makes the add stop with CG_ECHANGED before anything is unlinked. */
static void real_dpkg_guard(void **state)
{
	struct fx *f = *state;
	char id[CG_QUAR_ID_LEN];
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_quar *q;
	struct cg_quar_req r;
	uint8_t zero[32] = {0};

	if (access("/var/lib/dpkg/info/dpkg.md5sums", R_OK) != 0 || access("/usr/bin/dpkg", R_OK))
		skip();
	assert_int_equal(cg_quar_open(f->store, &q), 0);
	req_for(&r, "/usr/bin/dpkg");
	r.sha256 = zero;
	assert_int_equal(cg_quar_add(q, &r, id, &d), CG_EREFUSED);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.v[0].msg_en, "package dpkg"));
	assert_int_equal(access("/usr/bin/dpkg", X_OK), 0);
	assert_int_equal(store_files(f), 0);
	cg_quar_close(q);
	cg_diags_clear(&d);
}

static void action_log_one_line_per_operation(void **state)
{
	struct fx *f = *state;
	char log[256], path[256], link[256], id[CG_QUAR_ID_LEN], id2[CG_QUAR_ID_LEN], line[8192];
	const char *want[] = {"quarantine_add", "quarantine_failed", "quarantine_restore",
	                      "quarantine_add", "quarantine_delete"};
	struct cg_quar *q;
	struct cg_quar_req r;
	FILE *fp;
	int n = 0;

	path_in(f, log, "actions.jsonl");
	path_in(f, path, "logged");
	path_in(f, link, "logged-link");
	write_bytes(path, "abc", 3, 0644);
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(cg_quar_open2(f->store, log, &q), 0);
	req_for(&r, path);
	assert_int_equal(cg_quar_add(q, &r, id, NULL), 0);
	req_for(&r, link);
	assert_int_equal(cg_quar_add(q, &r, id2, NULL), CG_ESYMLINK);
	unlink(link);
	assert_int_equal(cg_quar_restore(q, id, NULL, 0), 0);
	req_for(&r, path);
	assert_int_equal(cg_quar_add(q, &r, id2, NULL), 0);
	assert_int_equal(cg_quar_delete(q, id2), 0);
	assert_int_equal(cg_quar_delete(q, id2), CG_ENOENT);
	cg_quar_close(q);

	fp = fopen(log, "r");
	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp)) {
		json_error_t err;
		json_t *o = json_loads(line, 0, &err);
		assert_non_null(o);
		assert_true(n < 5);
		assert_string_equal(json_string_value(json_object_get(o, "action")), want[n]);
		assert_int_equal(strlen(json_string_value(json_object_get(o, "time"))), 24);
		assert_true(json_is_integer(json_object_get(o, "pid")));
		if (n == 0 || n == 2)
			assert_string_equal(json_string_value(json_object_get(o, "id")), id);
		if (n == 1)
			assert_int_equal(json_integer_value(json_object_get(o, "error")),
			                 CG_ESYMLINK);
		assert_string_equal(json_string_value(json_object_get(o, "path")),
		                    n == 1 ? link : path);
		json_decref(o);
		n++;
	}
	fclose(fp);
	assert_int_equal(n, 5);
}

/* Linux paths are bytes: a name that is not UTF-8 round-trips and is logged in hex. */
static void non_utf8_name(void **state)
{
	struct fx *f = *state;
	char path[256], log[256], id[CG_QUAR_ID_LEN], line[4096];
	struct cg_quar *q;
	struct cg_quar_req r;
	struct cg_quar_entry e;
	FILE *fp;

	path_in(f, path, "caf\xe9-\xff");
	path_in(f, log, "log.jsonl");
	write_bytes(path, "latin1 name", 11, 0644);
	assert_int_equal(cg_quar_open2(f->store, log, &q), 0);
	req_for(&r, path);
	assert_int_equal(cg_quar_add(q, &r, id, NULL), 0);
	assert_int_equal(cg_quar_get(q, id, &e), 0);
	assert_string_equal(e.path, path);
	cg_quar_entry_clear(&e);
	assert_int_equal(cg_quar_restore(q, id, NULL, 0), 0);
	assert_int_equal(access(path, F_OK), 0);
	cg_quar_close(q);
	fp = fopen(log, "r");
	assert_non_null(fp);
	assert_non_null(fgets(line, sizeof(line), fp));
	fclose(fp);
	assert_non_null(strstr(line, "\"path_hex\""));
	assert_non_null(strstr(line, "636166e92dff")); /* caf, e9, '-', ff */
}

static void tampered_blob_not_restored(void **state)
{
	struct fx *f = *state;
	char path[256], blob[300], id[CG_QUAR_ID_LEN];
	struct cg_quar *q;
	struct cg_quar_req r;
	struct cg_quar_entry e;
	int fd;
	uint8_t c;

	path_in(f, path, "t");
	write_bytes(path, "some content to protect", 23, 0644);
	assert_int_equal(cg_quar_open(f->store, &q), 0);
	req_for(&r, path);
	assert_int_equal(cg_quar_add(q, &r, id, NULL), 0);
	snprintf(blob, sizeof(blob), "%s/%s.blob", f->store, id);
	fd = open(blob, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &c, 1, 20), 1);
	c ^= 1;
	assert_int_equal(pwrite(fd, &c, 1, 20), 1);
	assert_int_equal(cg_quar_restore(q, id, NULL, 0), CG_ECRYPTO);
	assert_int_equal(access(path, F_OK), -1); /* no partial plaintext left behind */
	assert_int_equal(cg_quar_get(q, id, &e), 0);
	cg_quar_entry_clear(&e);
	/* a truncated blob is reported as broken */
	assert_int_equal(ftruncate(fd, 10), 0);
	close(fd);
	assert_int_equal(cg_quar_get(q, id, &e), 0);
	assert_int_equal(e.state, CG_QUAR_ST_BROKEN);
	cg_quar_entry_clear(&e);
	assert_int_equal(cg_quar_restore(q, id, NULL, 0), CG_ECRYPTO);
	assert_int_equal(cg_quar_delete(q, id), 0);
	assert_int_equal(store_files(f), 0);
	assert_int_equal(cg_quar_get(q, "not-an-id", &e), CG_EINVAL);
	assert_int_equal(cg_quar_delete(q, "../../etc/passwd"), CG_EINVAL);
	cg_quar_close(q);
}

static void store_permissions_and_reopen(void **state)
{
	struct fx *f = *state;
	char path[256], key[300], id[CG_QUAR_ID_LEN];
	struct cg_quar *q;
	struct cg_quar_req r;
	struct stat st;

	assert_int_equal(mkdir(f->store, 0777), 0);
	assert_int_equal(chmod(f->store, 0777), 0);
	assert_int_equal(cg_quar_open(f->store, &q), 0);
	assert_int_equal(stat(f->store, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	snprintf(key, sizeof(key), "%s/key", f->store);
	assert_int_equal(lstat(key, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, 32);
	path_in(f, path, "p");
	write_bytes(path, "persist", 7, 0644);
	req_for(&r, path);
	assert_int_equal(cg_quar_add(q, &r, id, NULL), 0);
	cg_quar_close(q);
	/* a new handle reads the same key and restores */
	assert_int_equal(cg_quar_open(f->store, &q), 0);
	assert_int_equal(cg_quar_restore(q, id, NULL, 0), 0);
	cg_quar_close(q);
	/* a key readable by others is refused */
	assert_int_equal(chmod(key, 0644), 0);
	assert_int_equal(cg_quar_open(f->store, &q), CG_EPERM);
	/* a store path through a link is refused */
	path_in(f, path, "storelink");
	assert_int_equal(symlink(f->store, path), 0);
	assert_int_equal(cg_quar_open(path, &q), CG_ESYMLINK);
}

/* Every allocation failure during add leaves the original in place and the store clean. */
static void allocation_failures_roll_back(void **state)
{
	struct fx *f = *state;
	char path[256], id[CG_QUAR_ID_LEN];
	struct cg_quar *q;
	struct cg_quar_req r;
	int rc = -1;

	path_in(f, path, "alloc");
	write_bytes(path, "bytes", 5, 0644);
	assert_int_equal(cg_quar_open(f->store, &q), 0);
	assert_int_equal(cg_quar_set_dpkg(q, f->base), 0); /* no info/: nothing packaged */
	for (long n = 0; n < 200 && rc != 0; n++) {
		struct cg_diags d = CG_DIAGS_INIT;
		req_for(&r, path);
		cg_alloc_fail_after(n);
		rc = cg_quar_add(q, &r, id, &d);
		cg_alloc_fail_after(-1);
		cg_diags_clear(&d);
		if (rc != 0) {
			assert_int_equal(access(path, F_OK), 0);
			assert_int_equal(store_files(f), 0);
		}
	}
	assert_int_equal(rc, 0);
	assert_int_equal(access(path, F_OK), -1);
	/* and during restore: no partial destination, the entry is kept until it succeeds */
	rc = -1;
	for (long n = 0; n < 200 && rc != 0; n++) {
		struct cg_quar_entry e;
		cg_alloc_fail_after(n);
		rc = cg_quar_restore(q, id, NULL, 0);
		cg_alloc_fail_after(-1);
		if (rc != 0) {
			assert_int_equal(access(path, F_OK), -1);
			assert_int_equal(cg_quar_get(q, id, &e), 0);
			cg_quar_entry_clear(&e);
		}
	}
	assert_int_equal(rc, 0);
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(store_files(f), 0);
	cg_quar_close(q);
}

static void metadata_codec(void **state)
{
	struct cg_quar_entry e, e2;
	struct cg_diags d = CG_DIAGS_INIT;
	char *js;
	(void)state;
	memset(&e, 0, sizeof(e));
	memcpy(e.id, "0123456789abcdef0123456789abcdef", CG_QUAR_ID_LEN);
	e.path = strdup("/tmp/caf\xc3\xa9/\xff\xfe odd");
	e.size = 42;
	e.mode = 0100644;
	e.mtime_ns = -5;
	e.ino = UINT64_MAX;
	e.sha256[31] = 0xab;
	e.sig_name = strdup("Bad\xffName");
	snprintf(e.quarantined_at, sizeof(e.quarantined_at), "2026-11-25T09:00:00.123Z");
	js = cg_quar_meta_format(&e);
	assert_non_null(js);
	assert_int_equal(cg_quar_meta_parse(js, strlen(js), "m.json", &e2, &d), 0);
	assert_string_equal(e2.path, e.path); /* exact bytes, not UTF-8 */
	assert_string_equal(e2.sig_name, "Bad?Name");
	assert_int_equal(e2.ino, UINT64_MAX);
	assert_int_equal(e2.mtime_ns, -5);
	assert_memory_equal(e2.sha256, e.sha256, 32);
	assert_null(e2.reason);
	cg_quar_entry_clear(&e2);
	free(js);
	free(e.path);
	free(e.sig_name);
	assert_int_equal(cg_quar_meta_parse("{\n \"id\": ", 9, "bad.json", &e2, &d), CG_EPARSE);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].line, 2);
	assert_int_equal(cg_quar_meta_parse("{\"version\":1}", 13, "bad.json", &e2, &d), CG_EPARSE);
	assert_int_equal(d.n, 2);
	assert_non_null(strstr(d.v[1].msg_en, "\"id\""));
	assert_non_null(strstr(d.v[1].msg_vi, "trường"));
	cg_quar_entry_clear(&e2);
	cg_diags_clear(&d);
}

/* A store written before fsat.h (tests/data/quarantine-v1, made by canhgac 0.1.0 with
 * `quarantine add`) still lists and restores, bytes and metadata exact. */
static void store_from_before_restores(void **state)
{
	static const char id[] = "4af5d845a3782279e23a10f65ea3d78e";
	static const char *const names[] = {"key", "4af5d845a3782279e23a10f65ea3d78e.json",
	                                    "4af5d845a3782279e23a10f65ea3d78e.blob"};
	static uint8_t buf[4096];
	struct fx *f = *state;
	const char *src = getenv("CANHGAC_SRCDIR");
	struct cg_quar_entry e;
	struct cg_quar *q = NULL;
	struct stat st;
	char in[512], out[256];
	uint8_t sha[32];
	size_t n;

	assert_non_null(src);
	assert_int_equal(mkdir(f->store, 0700), 0);
	for (size_t i = 0; i < 3; i++) {
		snprintf(in, sizeof(in), "%s/tests/data/quarantine-v1/%s", src, names[i]);
		n = read_all(in, buf, sizeof(buf));
		assert_true(n > 0 && n < sizeof(buf));
		snprintf(out, sizeof(out), "%s/%s", f->store, names[i]);
		write_bytes(out, buf, n, 0600);
	}
	assert_int_equal(cg_quar_open(f->store, &q), 0);
	assert_int_equal(cg_quar_get(q, id, &e), 0);
	assert_int_equal(e.state, CG_QUAR_ST_QUARANTINED);
	assert_int_equal(e.size, 85);
	assert_int_equal(e.uid, 1234);
	assert_string_equal(e.reason, "fixture");
	assert_int_equal(e.win_attrs, 0);
	assert_null(e.win_sd);
	cg_quar_entry_clear(&e);
	path_in(f, out, "restored.php");
	assert_int_equal(cg_quar_restore(q, id, out, 0), 0);
	sha256_file(out, sha);
	assert_memory_equal(sha,
	                    "\x0e\x7c\x72\x5f\x8a\x49\x6d\x83\x4b\xa0\x62\x15\x0a\x8d\xce\x30"
	                    "\x9b\xbf\xa1\x49\xcc\xe5\xcc\x11\xb2\xbe\xf5\x46\xec\xe5\x41\xe6",
	                    32);
	assert_int_equal(lstat(out, &st), 0);
	assert_int_equal(st.st_uid, 1234);
	assert_int_equal(st.st_gid, 2345);
	assert_int_equal(st.st_mode, 0100640);
	assert_int_equal(st.st_mtim.tv_sec, 1704164645);
	assert_int_equal(st.st_mtim.tv_nsec, 123456789);
	assert_int_equal(store_files(f), 0);
	cg_quar_close(q);
}

/* The Windows fields are optional: absent from a POSIX entry's text (files written before them
 * still parse), kept exactly when present, and refused when malformed. */
static void metadata_windows_fields(void **state)
{
	static const uint8_t sd[] = {1, 0, 4, 0x80, 0x14, 0, 0, 0, 0xff};
	struct cg_quar_entry e, e2;
	char *js, *bad;
	(void)state;
	memset(&e, 0, sizeof(e));
	memcpy(e.id, "0123456789abcdef0123456789abcdef", CG_QUAR_ID_LEN);
	e.path = strdup("/tmp/x");
	snprintf(e.quarantined_at, sizeof(e.quarantined_at), "2026-11-25T09:00:00.123Z");
	js = cg_quar_meta_format(&e);
	assert_non_null(js);
	assert_null(strstr(js, "win_"));
	assert_null(strstr(js, "btime_ns"));
	free(js);
	e.btime_ns = 132000000000000001;
	e.win_attrs = 0x21; /* READONLY | ARCHIVE */
	e.win_sd = (uint8_t *)sd;
	e.win_sd_len = sizeof(sd);
	js = cg_quar_meta_format(&e);
	assert_non_null(js);
	assert_int_equal(cg_quar_meta_parse(js, strlen(js), "m.json", &e2, NULL), 0);
	assert_int_equal(e2.btime_ns, e.btime_ns);
	assert_int_equal(e2.win_attrs, 0x21);
	assert_int_equal(e2.win_sd_len, sizeof(sd));
	assert_memory_equal(e2.win_sd, sd, sizeof(sd));
	cg_quar_entry_clear(&e2);
	bad = strdup(js);
	memcpy(strstr(bad, "\"win_sd\": \"") + 11, "zz", 2);
	assert_int_equal(cg_quar_meta_parse(bad, strlen(bad), "m.json", &e2, NULL), CG_EPARSE);
	cg_quar_entry_clear(&e2);
	free(bad);
	free(js);
	free(e.path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(roundtrip_identical, setup, teardown),
	    cmocka_unit_test_setup_teardown(restore_never_overwrites, setup, teardown),
	    cmocka_unit_test_setup_teardown(setuid_dropped_unless_forced, setup, teardown),
	    cmocka_unit_test_setup_teardown(symlink_target_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(symlink_in_parent_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(swap_before_unlink, setup, teardown),
	    cmocka_unit_test_setup_teardown(identity_and_digest_checked, setup, teardown),
	    cmocka_unit_test_setup_teardown(full_store_enospc, setup, teardown),
	    cmocka_unit_test_setup_teardown(readonly_original_erofs, setup, teardown),
	    cmocka_unit_test_setup_teardown(packaged_file_guard, setup, teardown),
	    cmocka_unit_test_setup_teardown(real_dpkg_guard, setup, teardown),
	    cmocka_unit_test_setup_teardown(action_log_one_line_per_operation, setup, teardown),
	    cmocka_unit_test_setup_teardown(non_utf8_name, setup, teardown),
	    cmocka_unit_test_setup_teardown(tampered_blob_not_restored, setup, teardown),
	    cmocka_unit_test_setup_teardown(store_permissions_and_reopen, setup, teardown),
	    cmocka_unit_test_setup_teardown(allocation_failures_roll_back, setup, teardown),
	    cmocka_unit_test(metadata_codec),
	    cmocka_unit_test(metadata_windows_fields),
	    cmocka_unit_test_setup_teardown(store_from_before_restores, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

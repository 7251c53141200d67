/* bundlepull.c - the Department's bundles on an agent (docs/agent.md "Bundles"): the version a
 * heartbeat offers is downloaded in resumable chunks, checked (the signature with the key pinned
 * at enrolment, the expiry, a version above the installed one, each file's SHA-256) and
 * installed by switching a symbolic link atomically. The previous bundle is kept so that the
 * server can roll a withdrawn one back. Every install and refusal is also spooled as an event.
 *
 * DATA_DIR/agent/bundles/<version>/       an installed bundle (manifest.json, .sig, files)
 * DATA_DIR/agent/bundles/current          -> <version>, what scans use
 * DATA_DIR/agent/bundles/previous         -> <version>, kept for a roll-back
 * DATA_DIR/agent/bundles/.incoming-<v>/   a download in progress (resumed after a restart)
 * DATA_DIR/agent/bundle.pub               the Department's key, pinned at enrolment
 * Linux. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#ifndef _WIN32
#include <sys/utsname.h>
#endif
#include <unistd.h>

#include "canhgac/alloc.h"
#include "canhgac/fileio.h"
#include "canhgac/limits.h"
#include "canhgac/manifest.h"
#include "canhgac/sys.h"
#include "agent_int.h"
#include "banned.h"

#define MAX_SIG 1024
#define MAX_KEY 8192
#define MAX_FILE (512ull << 20)

/* What kind of signed package: the Department's signature bundles, or agent programs. */
struct pkg {
	const char *kind; /* the server's kind: "bundle" or "agent" */
	const char *dir;  /* under DATA_DIR/agent: "bundles" or "programs" */
	const char *ev;   /* event kind prefix: "bundle" or "agent_program" */
	const char *what_vi, *what_en;
};
static const struct pkg PK_BUNDLE = {"bundle", "bundles", "bundle", "bộ mẫu", "bundle"};
static const struct pkg PK_AGENT = {"agent", "programs", "agent_program", "chương trình tác tử",
                                    "agent program"};

static int bpath(const struct cg_agent *a, const struct pkg *k, const char *name, char *out,
                 size_t cap)
{
	int n = snprintf(out, cap, "%s/%s%s%s", a->dir, k->dir, name ? "/" : "", name ? name : "");
	return n < 0 || (size_t)n >= cap ? CG_ELIMIT : 0;
}

/* The version a link (current/previous) points to, or "" when none. */
static void link_version(const struct cg_agent *a, const struct pkg *k, const char *link, char *out,
                         size_t cap)
{
	char p[4300];
	out[0] = 0;
	if (bpath(a, k, link, p, sizeof p) || cap < 2 || cg_pointer_read(p, out, cap) != 0)
		out[0] = 0;
	int c;
	if (out[0] && cg_bundle_version_cmp(out, out, &c) != 0)
		out[0] = 0; /* not one of ours */
}

void cg_agent_bundle_installed(const struct cg_agent *a, char *out, size_t cap)
{
	link_version(a, &PK_BUNDLE, "current", out, cap);
}

/* This host's program in an agent package: "canhgac-linux-x86_64" ("canhgac-windows-x86_64.exe"
 * on Windows). */
static void program_name(char *out, size_t cap)
{
#ifdef _WIN32
	snprintf(out, cap, "canhgac-windows-%s.exe", sizeof(void *) == 8 ? "x86_64" : "i686");
#else
	struct utsname u;
	snprintf(out, cap, "canhgac-linux-%s", uname(&u) == 0 ? u.machine : "unknown");
#endif
}

void cg_agent_program_installed(const struct cg_agent *a, char *out, size_t cap)
{
	link_version(a, &PK_AGENT, "current", out, cap);
}

int cg_agent_program_current(const struct cg_agent *a, char *path, size_t cap, char *ver,
                             size_t vcap)
{
	char name[96], dir[4300];
	struct stat st;
	int c = 0;
	const struct pkg *k = &PK_AGENT;
	cg_agent_program_installed(a, ver, vcap);
	if (!ver[0] || cg_bundle_version_cmp(ver, CG_VERSION, &c) != 0 || c <= 0)
		return CG_ENOENT; /* none, or not newer than this program */
	program_name(name, sizeof name);
	if (bpath(a, k, ver, dir, sizeof dir) ||
	    (size_t)snprintf(path, cap, "%s/%s", dir, name) >= cap || stat(path, &st) != 0 ||
	    !(st.st_mode & S_IXUSR))
		return CG_ENOENT;
	return 0;
}

int cg_agent_bundle_current(const struct cg_agent *a, char *dir, size_t dcap, char *key,
                            size_t kcap)
{
	char v[CG_BUNDLE_VERSION_MAX + 1];
	struct stat st;
	cg_agent_bundle_installed(a, v, sizeof v);
	if (!v[0] || bpath(a, &PK_BUNDLE, v, dir, dcap) || stat(dir, &st) != 0)
		return CG_ENOENT;
	if ((size_t)snprintf(key, kcap, "%s/bundle.pub", a->dir) >= kcap)
		return CG_ELIMIT;
	return 0;
}

/* Points link (current/previous) at version v atomically; v "" removes it. */
static int set_link(const struct cg_agent *a, const struct pkg *k, const char *link, const char *v)
{
	char p[4300];
	if (bpath(a, k, link, p, sizeof p))
		return CG_ELIMIT;
	return cg_pointer_set(p, v) ? CG_EIO : 0;
}

/* A bundle folder holds plain files only. */
static void rm_tree(const char *dir)
{
	cg_dir_remove_flat(dir);
}

/* Removes bundle folders other than current and previous, and stale downloads. */
static void prune(const struct cg_agent *a, const struct pkg *k, const char *keep_incoming)
{
	char dir[4300], cur[160], prev[160], p[4600];
	DIR *d;
	struct dirent *e;
	link_version(a, k, "current", cur, sizeof cur);
	link_version(a, k, "previous", prev, sizeof prev);
	if (bpath(a, k, NULL, dir, sizeof dir) || !(d = opendir(dir)))
		return;
	while ((e = readdir(d)) != NULL) {
		const char *n = e->d_name;
		int c;
		if (strcmp(n, cur) == 0 || strcmp(n, prev) == 0)
			continue;
		if (strncmp(n, ".incoming-", 10) == 0 && keep_incoming &&
		    strcmp(n + 10, keep_incoming) == 0)
			continue;
		if (cg_bundle_version_cmp(n, n, &c) != 0 && strncmp(n, ".incoming-", 10) != 0)
			continue; /* current, previous, and anything not ours */
		snprintf(p, sizeof p, "%s/%s", dir, n);
		rm_tree(p);
	}
	closedir(d);
}

/* Spools bundle.installed / bundle.refused / bundle.rolled_back. */
static void report(struct cg_agent *a, const struct pkg *k, const char *what, enum cg_severity sev,
                   const char *ver, const char *from, const char *why_vi, const char *why_en)
{
	char kind[64];
	snprintf(kind, sizeof kind, "%s.%s", k->ev, what);
	json_t *ev = cg_agent_event_new(kind, sev, cg_now_ms());
	if (!ev)
		return;
	json_object_set_new(ev, k == &PK_BUNDLE ? "bundle" : "program",
	                    json_pack("{s:s}", "version", ver));
	if (from && from[0])
		json_object_set_new(ev, "from_version", json_string(from));
	if (why_en) {
		json_object_set_new(ev, "reason_vi", json_string(why_vi));
		json_object_set_new(ev, "reason_en", json_string(why_en));
	}
	(void)cg_agent_spool_json(a, ev);
	json_decref(ev);
}

/* 0 when the file has exactly the manifest's size and SHA-256; CG_EBADSIG when not. */
static int file_sha256_ok(const char *path, const uint8_t want[32], uint64_t size)
{
	uint8_t got[32];
	uint64_t n = 0;
	int rc = cg_file_sha256(path, size, got, &n);
	if (rc == CG_ELIMIT || (rc == 0 && (n != size || memcmp(got, want, 32) != 0)))
		rc = CG_EBADSIG;
	return rc;
}

/* Downloads file idx into dir/<path>, resuming from what is there. */
static int fetch_file(struct cg_agent *a, const struct pkg *k, const char *ver, size_t idx,
                      const struct cg_manifest_file *f, const char *dir)
{
	char p[4600], url[400], err[256];
	struct stat st;
	snprintf(p, sizeof p, "%s/%s", dir, f->path);
	if (f->size > MAX_FILE)
		return CG_ELIMIT;
	if (file_sha256_ok(p, f->sha256, f->size) == 0)
		return 0;
	uint64_t have = stat(p, &st) == 0 ? (uint64_t)st.st_size : 0;
	if (have >= f->size) { /* complete but wrong: start again */
		(void)unlink(p);
		have = 0;
	}
	int rc = 0;
	while (rc == 0 && have < f->size && !cg_stop_requested()) {
		struct cg_http_resp r = {0};
		snprintf(url, sizeof url, "/api/v1/agent/bundles/%s/%s/files/%zu?offset=%llu",
		         k->kind, ver, idx, (unsigned long long)have);
		rc =
		    cg_agent_request_raw(a->client, "GET", url, NULL, NULL, 0, &r, err, sizeof err);
		if (rc == 0 && (r.status != 200 || r.len == 0 || r.len > f->size - have))
			rc = CG_EIO;
		if (rc == 0 && (rc = cg_path_append(p, r.body, r.len)) != 0 && rc != CG_ENOSPC)
			rc = CG_EIO;
		if (rc == 0)
			have += r.len;
		cg_http_resp_clear(&r);
	}
	if (rc == 0 && have < f->size)
		rc = CG_ETIMEOUT; /* stopped: resumed next time */
	if (rc == 0 && (rc = file_sha256_ok(p, f->sha256, f->size)) != 0)
		(void)unlink(p);
	return rc;
}

/* Reads the pinned key; CG_ENOENT when the agent has none. */
static int pinned_key(const struct cg_agent *a, uint8_t **key, size_t *klen)
{
	char p[4200];
	snprintf(p, sizeof p, "%s/bundle.pub", a->dir);
	return cg_read_file(p, MAX_KEY, key, klen);
}

/* Checks a manifest and signature the way every install does; the first refusal in d. */
static int check(const struct cg_agent *a, const char *man, size_t mlen, const char *sig,
                 const char *installed, struct cg_manifest **m, struct cg_diags *d)
{
	uint8_t *key = NULL;
	size_t klen = 0;
	int rc = cg_manifest_parse(man, mlen, "manifest.json", m, d);
	int sig_ok = 0;
	if (rc == 0 && pinned_key(a, &key, &klen) == 0)
		sig_ok = cg_manifest_verify((const uint8_t *)man, mlen, (const uint8_t *)sig,
		                            strlen(sig), key, klen) == 0;
	if (rc == 0)
		rc = cg_bundle_accept(*m, sig_ok, installed && installed[0] ? installed : NULL,
		                      cg_now_ms() / 1000, d);
	cg_free(key);
	return rc;
}

static void refuse(struct cg_agent *a, const struct pkg *k, const char *ver, const char *installed,
                   const struct cg_diags *d, int rc)
{
	const char *vi = d->n ? d->v[0].msg_vi : cg_strerror(rc);
	const char *en = d->n ? d->v[0].msg_en : cg_strerror(rc);
	cg_agent_log(CG_LOG_WARNING, "từ chối %s%.0s %s: %s%.0s", "%.0s%s %s refused: %.0s%s",
	             k->what_vi, k->what_en, ver, vi, en);
	report(a, k, "refused", CG_SEV_MEDIUM, ver, installed, vi, en);
	if (k == &PK_BUNDLE)
		snprintf(a->bundle_refused, sizeof a->bundle_refused, "%s", ver);
	else
		snprintf(a->program_refused, sizeof a->program_refused, "%s", ver);
}

/* Puts a complete download (inc, every file checked) in place as bundles/ver with its manifest
 * and signature, and points current at it (previous at the one it replaces). */
static int finish(struct cg_agent *a, const struct pkg *k, const char *ver, const char *installed,
                  const char *man, size_t mlen, const char *sig, const char *inc, const char *fin)
{
	char p[4600];
	snprintf(p, sizeof p, "%s/manifest.json", inc);
	int rc = cg_write_file_atomic(p, man, mlen, 0600);
	if (rc == 0) {
		snprintf(p, sizeof p, "%s/manifest.json.sig", inc);
		rc = cg_write_file_atomic(p, sig, strlen(sig), 0600);
	}
	if (rc == 0) {
		rm_tree(fin);
		if (cg_path_rename(inc, fin) != 0)
			rc = CG_EIO;
	}
	/* previous: the folder replaced, if there is one (an agent's first upgrade replaces the
	 * package manager's program, which is not ours to keep) */
	char prevdir[4300];
	struct stat pst;
	int keep = installed && installed[0] &&
	           bpath(a, k, installed, prevdir, sizeof prevdir) == 0 && stat(prevdir, &pst) == 0;
	if (rc == 0)
		rc = set_link(a, k, "previous", keep ? installed : "");
	if (rc == 0)
		rc = set_link(a, k, "current", ver);
	if (rc == 0) {
		cg_agent_log(CG_LOG_INFO, "đã cài %s %s%.0s", "%.0s%s %s installed", k->what_vi,
		             k->what_en, ver);
		report(a, k, "installed", CG_SEV_INFO, ver, installed, NULL, NULL);
		prune(a, k, NULL);
		if (k == &PK_AGENT)
			a->upgraded = 1; /* the run loop ends and the new program takes over */
	} else {
		cg_agent_log(CG_LOG_WARNING, "chưa cài được %s %s%.0s: %s",
		             "%.0s%s %s not installed yet: %s", k->what_vi, k->what_en, ver,
		             cg_strerror(rc));
	}
	return rc;
}

/* Installs version ver, offered by the server. */
static int install(struct cg_agent *a, const struct pkg *k, const char *ver, const char *installed)
{
	struct cg_http_resp r = {0};
	struct cg_manifest *m = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	char path[400], inc[4300], fin[4300];
	snprintf(path, sizeof path, "/api/v1/agent/bundles/%s/%s", k->kind, ver);
	int rc = cg_agent_call(a, "GET", path, NULL, &r);
	const char *man = json_string_value(json_object_get(r.json, "manifest"));
	const char *sig = json_string_value(json_object_get(r.json, "signature"));
	if (rc == 0 && (r.status != 200 || !man || !sig || strlen(sig) > MAX_SIG))
		rc = CG_EIO;
	if (rc)
		goto out;
	size_t mlen = json_string_length(json_object_get(r.json, "manifest"));
	rc = check(a, man, mlen, sig, installed, &m, &d);
	if (rc == 0 && strcmp(m->version, ver) != 0)
		rc = cg_diags_add(&d, CG_EINVAL, "manifest.json", 0, 0,
		                  "phiên bản %s khác phiên bản được mời %s",
		                  "version %s is not the one offered, %s", m->version, ver);
	if (rc) {
		refuse(a, k, ver, installed, &d, rc);
		goto out;
	}
	char name[200];
	snprintf(name, sizeof name, ".incoming-%s", ver);
	rc = bpath(a, k, name, inc, sizeof inc);
	if (rc == 0)
		rc = bpath(a, k, ver, fin, sizeof fin);
	if (rc == 0)
		rc = cg_mkdir_p(inc, 0700);
	prune(a, k, ver);
	/* an agent package: only this host's program, which must be there */
	char prog[96] = "";
	size_t mine = m->nfiles;
	if (k == &PK_AGENT) {
		program_name(prog, sizeof prog);
		for (size_t i = 0; i < m->nfiles; i++)
			if (strcmp(m->files[i].path, prog) == 0 &&
			    m->files[i].kind == CG_KIND_PROGRAM)
				mine = i;
		if (mine == m->nfiles && rc == 0) {
			rc = cg_diags_add(&d, CG_ENOENT, "manifest.json", 0, 0,
			                  "gói không có chương trình %s cho máy này",
			                  "the package has no program %s for this host", prog);
			refuse(a, k, ver, installed, &d, rc);
			goto out;
		}
	}
	for (size_t i = 0; rc == 0 && i < m->nfiles; i++)
		if (k == &PK_BUNDLE || i == mine)
			rc = fetch_file(a, k, ver, i, &m->files[i], inc);
	if (rc == 0 && prog[0]) {
		char p[4600];
		snprintf(p, sizeof p, "%s/%s", inc, prog);
		if (chmod(p, 0755) != 0)
			rc = CG_EIO;
	}
	if (rc == CG_EBADSIG) {
		cg_diags_add(&d, rc, "bundle", 0, 0, "SHA-256 của một tệp không khớp manifest",
		             "a file's SHA-256 does not match the manifest");
		refuse(a, k, ver, installed, &d, rc);
		goto out;
	}
	if (rc == 0)
		rc = finish(a, k, ver, installed, man, mlen, sig, inc, fin);
out:
	cg_manifest_free(m);
	cg_diags_clear(&d);
	cg_http_resp_clear(&r);
	return rc;
}

/* Goes back to the kept previous bundle, which must be `ver` and still valid. */
static int roll_back(struct cg_agent *a, const struct pkg *k, const char *ver,
                     const char *installed)
{
	char prev[160], dir[4300], p[4600];
	uint8_t *man = NULL, *sig = NULL;
	size_t mlen = 0, slen = 0;
	struct cg_manifest *m = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	link_version(a, k, "previous", prev, sizeof prev);
	if (k == &PK_AGENT && !prev[0]) {
		/* the first upgrade withdrawn: back to the program the package manager installed */
		int e = set_link(a, k, "current", "");
		if (e == 0) {
			cg_agent_log(CG_LOG_WARNING,
			             "chương trình %s bị rút: quay về bản đã cài sẵn",
			             "program %s withdrawn: back to the installed one", installed);
			report(a, k, "rolled_back", CG_SEV_LOW, CG_VERSION, installed, NULL, NULL);
			a->upgraded = 1;
		}
		return e;
	}
	if (strcmp(prev, ver) != 0) {
		cg_agent_log(CG_LOG_WARNING,
		             "máy chủ rút bộ mẫu %s nhưng máy này không giữ bản %s: giữ nguyên",
		             "the server withdrew bundle %s but this host does not keep %s: kept",
		             installed, ver);
		snprintf(a->bundle_refused, sizeof a->bundle_refused, "%s", ver);
		return CG_ENOENT;
	}
	int rc = bpath(a, k, ver, dir, sizeof dir);
	if (rc == 0) {
		snprintf(p, sizeof p, "%s/manifest.json", dir);
		rc = cg_read_file(p, CG_MAX_MANIFEST, &man, &mlen);
	}
	if (rc == 0) {
		snprintf(p, sizeof p, "%s/manifest.json.sig", dir);
		rc = cg_read_file(p, MAX_SIG, &sig, &slen);
	}
	char *s = rc == 0 ? cg_malloc(slen + 1) : NULL;
	if (rc == 0 && !s)
		rc = CG_ENOMEM;
	if (rc == 0) {
		memcpy(s, sig, slen);
		s[slen] = 0;
		/* signed and not expired; older than the installed one by design */
		rc = check(a, (const char *)man, mlen, s, NULL, &m, &d);
	}
	if (rc == 0)
		rc = set_link(a, k, "current", ver);
	if (rc == 0)
		rc = set_link(a, k, "previous", "");
	if (rc == 0) {
		cg_agent_log(CG_LOG_WARNING, "bộ mẫu %s bị rút: quay về %s",
		             "bundle %s withdrawn: back to %s", installed, ver);
		report(a, k, "rolled_back", CG_SEV_LOW, ver, installed, NULL, NULL);
		prune(a, k, NULL);
	} else {
		refuse(a, k, ver, installed, &d, rc);
	}
	cg_free(s);
	cg_free(man);
	cg_free(sig);
	cg_manifest_free(m);
	cg_diags_clear(&d);
	return rc;
}

static int pkg_sync(struct cg_agent *a, const struct pkg *k, json_t *offer)
{
	char cur[CG_BUNDLE_VERSION_MAX + 1];
	const char *ver = json_string_value(json_object_get(offer, "version"));
	int c = 0;
	if (!ver || cg_bundle_version_cmp(ver, ver, &c) != 0)
		return 0;
	link_version(a, k, "current", cur, sizeof cur);
	if (k == &PK_AGENT &&
	    (!cur[0] || (cg_bundle_version_cmp(cur, CG_VERSION, &c) == 0 && c < 0)))
		snprintf(cur, sizeof cur, "%s",
		         CG_VERSION); /* the program the package manager put */
	if (strcmp(ver, cur) == 0 ||
	    strcmp(ver, k == &PK_BUNDLE ? a->bundle_refused : a->program_refused) == 0)
		return 0;
	char dir[4300];
	int rc = bpath(a, k, NULL, dir, sizeof dir);
	if (rc == 0)
		rc = cg_mkdir_p(dir, 0700);
	if (rc)
		return rc;
	if (cur[0] && cg_bundle_version_cmp(ver, cur, &c) == 0 && c < 0) {
		if (json_is_true(json_object_get(offer, "rollback")))
			return roll_back(a, k, ver, cur);
		return 0; /* an older one offered without a withdrawal: keep ours */
	}
	return install(a, k, ver, cur);
}

int cg_agent_bundle_sync(struct cg_agent *a, json_t *offer)
{
	return pkg_sync(a, &PK_BUNDLE, offer);
}

int cg_agent_program_sync(struct cg_agent *a, json_t *offer)
{
	return pkg_sync(a, &PK_AGENT, offer);
}

/* Copies src to dst (created) and checks its size and SHA-256 against the manifest. */
static int copy_checked(const char *src, const char *dst, const struct cg_manifest_file *f)
{
	int rc = cg_file_copy(src, dst, f->size);
	if (rc == CG_ELIMIT)
		rc = CG_EBADSIG; /* larger than the manifest says */
	else if (rc && rc != CG_ENOENT && rc != CG_ENOSPC)
		rc = CG_EIO;
	if (rc == 0)
		rc = file_sha256_ok(dst, f->sha256, f->size);
	if (rc)
		(void)unlink(dst);
	return rc;
}

int cg_agent_bundle_import(struct cg_agent *a, const char *dir, struct cg_diags *d)
{
	const struct pkg *k = &PK_BUNDLE;
	char p[4600], cur[CG_BUNDLE_VERSION_MAX + 1], inc[4300], fin[4300], name[200];
	uint8_t *man = NULL, *sig = NULL;
	size_t mlen = 0, slen = 0;
	char *st = NULL;
	struct cg_manifest *m = NULL;
	snprintf(p, sizeof p, "%s/manifest.json", dir);
	int rc = cg_read_file(p, CG_MAX_MANIFEST, &man, &mlen);
	if (rc == 0) {
		snprintf(p, sizeof p, "%s/manifest.json.sig", dir);
		rc = cg_read_file(p, MAX_SIG, &sig, &slen);
		if (rc == CG_ENOENT)
			rc = 0; /* unsigned: refused below with the reason */
	}
	if (rc) {
		cg_diags_add(d, rc, p, 0, 0, "không đọc được: %s", "cannot read: %s",
		             cg_strerror(rc));
		goto out;
	}
	if (!(st = cg_malloc(slen + 1))) {
		rc = CG_ENOMEM;
		goto out;
	}
	if (slen)
		memcpy(st, sig, slen);
	st[slen] = 0;
	cg_agent_bundle_installed(a, cur, sizeof cur);
	rc = check(a, (const char *)man, mlen, st, cur, &m, d);
	if (rc) {
		refuse(a, k, m ? m->version : "?", cur, d, rc);
		goto out;
	}
	snprintf(name, sizeof name, ".incoming-%s", m->version);
	rc = bpath(a, k, name, inc, sizeof inc);
	if (rc == 0)
		rc = bpath(a, k, m->version, fin, sizeof fin);
	if (rc == 0)
		rc = cg_mkdir_p(inc, 0700);
	for (size_t i = 0; rc == 0 && i < m->nfiles; i++) {
		char src[4600], dst[4600];
		snprintf(src, sizeof src, "%s/%s", dir, m->files[i].path);
		snprintf(dst, sizeof dst, "%s/%s", inc, m->files[i].path);
		rc = copy_checked(src, dst, &m->files[i]);
		if (rc == CG_EBADSIG)
			cg_diags_add(d, rc, src, 0, 0,
			             "kích thước hoặc SHA-256 không khớp manifest",
			             "the size or SHA-256 does not match the manifest");
		else if (rc)
			cg_diags_add(d, rc, src, 0, 0, "không chép được: %s", "cannot copy: %s",
			             cg_strerror(rc));
	}
	if (rc == CG_EBADSIG)
		refuse(a, k, m->version, cur, d, rc);
	if (rc == 0)
		rc = finish(a, k, m->version, cur, (const char *)man, mlen, st, inc, fin);
out:
	cg_manifest_free(m);
	cg_free(st);
	cg_free(man);
	cg_free(sig);
	return rc;
}

/* dpkg.c - index of dpkg's md5sums files: which installed package ships a path, and its MD5. */
#ifndef _WIN32
#include <dirent.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "canhgac/alloc.h"
#include "canhgac/dpkg.h"
#include "canhgac/error.h"
#include "canhgac/sys.h"
#include "canhgac/limits.h"
#include "banned.h"

struct ent {
	struct ent *next;
	uint32_t pkg;
	uint32_t hash;
	uint8_t md5[16];
	size_t len;
	char path[]; /* as listed: no leading slash, not NUL-terminated */
};

struct cg_dpkg {
	char *admindir;
	int loaded;
	struct ent **tab;
	size_t nbuckets, n;
	char **pkgs;
	size_t npkgs, pkgcap;
};

/* Directories that merged /usr folds into /usr: "usr/bin/x" and "bin/x" are one file. */
static const char *const merged[] = {"bin/", "sbin/", "lib/", "lib32/", "lib64/", "libx32/"};

/* The key a path is indexed under: a merged-/usr "usr/" prefix is dropped. */
static void norm_key(const char *p, size_t len, const char **k, size_t *klen)
{
	*k = p;
	*klen = len;
	if (len < 4 || memcmp(p, "usr/", 4) != 0)
		return;
	for (size_t i = 0; i < sizeof(merged) / sizeof(merged[0]); i++) {
		size_t ml = strlen(merged[i]);
		if (len - 4 >= ml && memcmp(p + 4, merged[i], ml) == 0) {
			*k = p + 4;
			*klen = len - 4;
			return;
		}
	}
}

static uint32_t hash_key(const char *p, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)p[i]) * 16777619u;
	return h;
}

int cg_dpkg_open(const char *admindir, struct cg_dpkg **out)
{
	struct cg_dpkg *g;

	if (!out)
		return CG_EINVAL;
	g = cg_calloc(1, sizeof(*g));
	if (!g)
		return CG_ENOMEM;
	g->admindir = cg_strdup(admindir ? admindir : CG_DPKG_DEFAULT_ADMINDIR);
	if (!g->admindir) {
		cg_free(g);
		return CG_ENOMEM;
	}
	*out = g;
	return CG_OK;
}

static void clear_index(struct cg_dpkg *g)
{
	for (size_t i = 0; i < g->nbuckets; i++) {
		struct ent *e = g->tab[i], *nx;
		for (; e; e = nx) {
			nx = e->next;
			cg_free(e);
		}
	}
	cg_free(g->tab);
	for (size_t i = 0; i < g->npkgs; i++)
		cg_free(g->pkgs[i]);
	cg_free(g->pkgs);
	g->tab = NULL;
	g->pkgs = NULL;
	g->nbuckets = g->n = g->npkgs = g->pkgcap = 0;
	g->loaded = 0;
}

void cg_dpkg_close(struct cg_dpkg *g)
{
	if (!g)
		return;
	clear_index(g);
	cg_free(g->admindir);
	cg_free(g);
}

#ifdef _WIN32
/* Windows has no dpkg database: nothing there is a packaged file. */
int cg_dpkg_load(struct cg_dpkg *g, struct cg_diags *d)
{
	(void)d;
	if (!g)
		return CG_EINVAL;
	g->loaded = 1;
	return CG_OK;
}
#else
static int rehash(struct cg_dpkg *g)
{
	size_t nb = g->nbuckets ? g->nbuckets * 2 : 4096;
	struct ent **t = cg_calloc(nb, sizeof(*t));

	if (!t)
		return CG_ENOMEM;
	for (size_t i = 0; i < g->nbuckets; i++) {
		struct ent *e = g->tab[i], *nx;
		for (; e; e = nx) {
			nx = e->next;
			e->next = t[e->hash & (nb - 1)];
			t[e->hash & (nb - 1)] = e;
		}
	}
	cg_free(g->tab);
	g->tab = t;
	g->nbuckets = nb;
	return CG_OK;
}

struct addctx {
	struct cg_dpkg *g;
	uint32_t pkg;
};

static int add_entry(void *arg, const uint8_t md5[16], const char *path, size_t len)
{
	struct addctx *c = arg;
	struct cg_dpkg *g = c->g;
	const char *k;
	size_t klen;
	struct ent *e;

	if (g->n >= CG_DPKG_MAX_ENTRIES)
		return CG_ELIMIT;
	if (len && path[0] == '/') { /* tolerate "/usr/bin/x" */
		path++;
		len--;
	}
	if (len == 0 || len > CG_DPKG_MAX_LINE)
		return CG_OK;
	if (g->n >= g->nbuckets && rehash(g))
		return CG_ENOMEM;
	e = cg_malloc(sizeof(*e) + len);
	if (!e)
		return CG_ENOMEM;
	norm_key(path, len, &k, &klen);
	e->hash = hash_key(k, klen);
	e->pkg = c->pkg;
	e->len = len;
	memcpy(e->md5, md5, 16);
	memcpy(e->path, path, len);
	e->next = g->tab[e->hash & (g->nbuckets - 1)];
	g->tab[e->hash & (g->nbuckets - 1)] = e;
	g->n++;
	return CG_OK;
}

/* Records the package named by "NAME[:ARCH].md5sums"; returns its index in *idx. */
static int add_pkg(struct cg_dpkg *g, const char *fname, uint32_t *idx)
{
	size_t n = strlen(fname) - strlen(".md5sums");
	const char *colon = memchr(fname, ':', n);
	char *name;

	if (colon)
		n = (size_t)(colon - fname);
	if (n == 0 || n > CG_DPKG_MAX_PKGNAME)
		return CG_EPARSE;
	if (g->npkgs >= CG_DPKG_MAX_PKGS)
		return CG_ELIMIT;
	if (cg_grow((void **)&g->pkgs, &g->pkgcap, g->npkgs + 1, sizeof(*g->pkgs),
	            CG_DPKG_MAX_PKGS))
		return CG_ENOMEM;
	name = cg_strndup(fname, n);
	if (!name)
		return CG_ENOMEM;
	g->pkgs[g->npkgs] = name;
	*idx = (uint32_t)g->npkgs++;
	return CG_OK;
}

static int load_one(struct cg_dpkg *g, int dirfd, const char *fname, struct cg_diags *d)
{
	struct addctx c = {g, 0};
	char *buf = NULL;
	size_t len = 0;
	int rc = add_pkg(g, fname, &c.pkg);

	if (rc == CG_EPARSE)
		return CG_OK; /* ".md5sums" alone: not a package */
	if (rc)
		goto out;
	rc = cg_read_file_at(dirfd, fname, 1, CG_DPKG_MAX_MD5SUMS, (uint8_t **)&buf, &len);
	if (rc == CG_ENOMEM)
		goto out;
	if (rc) {
		cg_diags_add(
		    d, rc, fname, 0, 0,
		    CG_MSG("không đọc được tệp md5sums: %s", "cannot read md5sums file: %s"),
		    cg_strerror(rc));
		rc = CG_EPARTIAL;
		goto out;
	}
	rc = cg_dpkg_parse_md5sums(buf, len, fname, add_entry, &c, d);
	if (rc == CG_ELIMIT) {
		cg_diags_add(d, rc, fname, 0, 0,
		             CG_MSG("quá %lu tệp trong cơ sở dữ liệu dpkg, phần còn lại bị bỏ qua",
		                    "more than %lu files in the dpkg database, the rest skipped"),
		             (unsigned long)CG_DPKG_MAX_ENTRIES);
		rc = CG_EPARTIAL;
	}
out:
	cg_free(buf);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists info/NAME.md5sums names, sorted so that the index does not depend on readdir order. */
static int list_md5sums(DIR *dir, char ***names, size_t *n)
{
	struct dirent *de;
	size_t cap = 0;

	*names = NULL;
	*n = 0;
	while ((de = readdir(dir)) != NULL) {
		size_t l = strlen(de->d_name);
		if (l <= 8 || strcmp(de->d_name + l - 8, ".md5sums") != 0)
			continue;
		if (*n >= CG_DPKG_MAX_PKGS)
			return CG_ELIMIT;
		if (cg_grow((void **)names, &cap, *n + 1, sizeof(**names), CG_DPKG_MAX_PKGS))
			return CG_ENOMEM;
		if (!((*names)[*n] = cg_strdup(de->d_name)))
			return CG_ENOMEM;
		(*n)++;
	}
	if (*n)
		qsort(*names, *n, sizeof(**names), cmp_str);
	return CG_OK;
}

int cg_dpkg_load(struct cg_dpkg *g, struct cg_diags *d)
{
	char *info = NULL;
	char **names = NULL;
	size_t nnames = 0, ilen;
	DIR *dir = NULL;
	int fd = -1, rc = CG_OK, partial = 0;

	if (!g)
		return CG_EINVAL;
	if (g->loaded)
		return CG_OK;
	ilen = strlen(g->admindir) + sizeof("/info");
	info = cg_malloc(ilen);
	if (!info)
		return CG_ENOMEM;
	memcpy(info, g->admindir, ilen - sizeof("/info"));
	memcpy(info + ilen - sizeof("/info"), "/info", sizeof("/info"));
	fd = open(info, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		/* No dpkg database (not a Debian system): nothing is packaged. */
		if (errno != ENOENT)
			rc = cg_diags_add(d, CG_EPARTIAL, info, 0, 0,
			                  CG_MSG("không mở được thư mục dpkg: %s",
			                         "cannot open the dpkg directory: %s"),
			                  cg_strerror(cg_from_errno(errno)));
		goto done;
	}
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		rc = CG_ENOMEM;
		goto out;
	}
	rc = list_md5sums(dir, &names, &nnames);
	if (rc == CG_ELIMIT) {
		partial = 1;
		rc = CG_OK;
	}
	for (size_t i = 0; !rc && i < nnames; i++) {
		rc = load_one(g, dirfd(dir), names[i], d);
		if (rc == CG_EPARTIAL) {
			partial = 1;
			rc = CG_OK;
		}
	}
	if (rc)
		goto out;
	rc = partial ? CG_EPARTIAL : CG_OK;
done:
	g->loaded = 1;
out:
	if (rc && rc != CG_EPARTIAL)
		clear_index(g);
	for (size_t i = 0; i < nnames; i++)
		cg_free(names[i]);
	cg_free(names);
	if (dir)
		closedir(dir);
	cg_free(info);
	return rc;
}
#endif

int cg_dpkg_lookup(struct cg_dpkg *g, const char *abs_path, char *pkg, size_t pkgcap,
                   uint8_t md5[16])
{
	const char *p, *k, *ek;
	size_t len, klen, eklen;
	struct ent *e, *best = NULL;
	int rc;

	if (!g || !abs_path || abs_path[0] != '/')
		return CG_EINVAL;
	if (!g->loaded) {
		rc = cg_dpkg_load(g, NULL);
		if (rc && rc != CG_EPARTIAL)
			return rc;
	}
	if (!g->nbuckets)
		return 0;
	p = abs_path + 1;
	len = strlen(p);
	norm_key(p, len, &k, &klen);
	for (e = g->tab[hash_key(k, klen) & (g->nbuckets - 1)]; e; e = e->next) {
		norm_key(e->path, e->len, &ek, &eklen);
		if (eklen != klen || memcmp(ek, k, klen) != 0)
			continue;
		if (!best || (e->len == len && memcmp(e->path, p, len) == 0))
			best = e;
	}
	if (!best)
		return 0;
	if (pkg && pkgcap) {
		size_t n = strlen(g->pkgs[best->pkg]);
		if (n >= pkgcap)
			n = pkgcap - 1;
		memcpy(pkg, g->pkgs[best->pkg], n);
		pkg[n] = '\0';
	}
	if (md5)
		memcpy(md5, best->md5, 16);
	return 1;
}

/* test_walk.c - the directory walk: files, symlinks not followed, excludes, special files,
 * long paths, non-UTF-8 names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "canhgac/error.h"
#include "canhgac/fsat.h"
#include "canhgac/walk.h"

struct seen {
	char files[64][512];
	int nfiles, nerr, nspecial, nexcluded;
	int errcode;
	int saw_link;
	int nlinks, ndirs;
	char link_path[512];
};

static int cb(void *arg, const struct cg_walk_entry *e)
{
	struct seen *s = arg;
	switch (e->kind) {
	case CG_WALK_FILE:
		if (strstr(e->path, "/link-to-file"))
			s->saw_link = 1;
		if (s->nfiles < 64)
			snprintf(s->files[s->nfiles++], 512, "%s", e->path);
		break;
	case CG_WALK_ERROR:
		s->nerr++;
		s->errcode = e->err;
		break;
	case CG_WALK_SPECIAL:
		s->nspecial++;
		break;
	case CG_WALK_EXCLUDED:
		s->nexcluded++;
		break;
	case CG_WALK_DIR:
		s->ndirs++;
		assert_true(CG_S_ISDIR(e->st->mode));
		break;
	case CG_WALK_LINK:
		s->nlinks++;
		assert_non_null(e->st);
		assert_true(CG_S_ISLNK(e->st->mode));
		if (strstr(e->path, "/link-to-file")) {
			char t[256];
			assert_int_equal(cg_at_readlink(e->dirfd, e->name, t, sizeof(t)), 13);
			assert_string_equal(t, "/etc/hostname");
			snprintf(s->link_path, sizeof(s->link_path), "%s", e->path);
		}
		break;
	}
	return 0;
}

static int has(const struct seen *s, const char *suffix)
{
	for (int i = 0; i < s->nfiles; i++) {
		size_t a = strlen(s->files[i]), b = strlen(suffix);
		if (a >= b && strcmp(s->files[i] + a - b, suffix) == 0)
			return 1;
	}
	return 0;
}

static void touch(const char *dir, const char *name)
{
	char p[1024];
	FILE *f;
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs("x", f);
	fclose(f);
}

static char tmpl[64];

static int setup(void **state)
{
	char p[1024];
	(void)state;
	snprintf(tmpl, sizeof(tmpl), "/tmp/cg-walk-XXXXXX");
	assert_non_null(mkdtemp(tmpl));
	snprintf(p, sizeof(p), "%s/sub", tmpl);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/sub/deeper", tmpl);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/skipme", tmpl);
	mkdir(p, 0755);
	touch(tmpl, "a.txt");
	touch(tmpl, "sub/b.bin");
	touch(tmpl, "sub/deeper/c.exe");
	touch(tmpl, "skipme/d.txt");
	touch(tmpl, "ten-\xff\xfe.txt");
	snprintf(p, sizeof(p), "%s/fifo", tmpl);
	assert_int_equal(mkfifo(p, 0600), 0);
	snprintf(p, sizeof(p), "%s/link-to-etc", tmpl);
	assert_int_equal(symlink("/etc", p), 0);
	snprintf(p, sizeof(p), "%s/link-to-file", tmpl);
	assert_int_equal(symlink("/etc/hostname", p), 0);
	return 0;
}

static int teardown(void **state)
{
	char cmd[256];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
	return system(cmd);
}

static void walks_files_not_links(void **state)
{
	struct cg_walk_opts o = {0};
	struct seen s;
	(void)state;
	memset(&s, 0, sizeof(s));
	o.skip_pseudo = 1;
	assert_int_equal(cg_walk(tmpl, &o, cb, &s), 0);
	assert_int_equal(s.nfiles, 5);
	assert_true(has(&s, "/a.txt"));
	assert_true(has(&s, "/sub/deeper/c.exe"));
	assert_true(has(&s, "/ten-\xff\xfe.txt"));
	assert_false(has(&s, "hostname"));
	assert_int_equal(s.nspecial, 1);
}

static void excludes_by_glob(void **state)
{
	const char *ex[] = {"skipme", "*.bin"};
	struct cg_walk_opts o = {0};
	struct seen s;
	(void)state;
	memset(&s, 0, sizeof(s));
	o.excludes = ex;
	o.n_excludes = 2;
	assert_int_equal(cg_walk(tmpl, &o, cb, &s), 0);
	assert_int_equal(s.nfiles, 3);
	assert_false(has(&s, "/d.txt"));
	assert_false(has(&s, "/b.bin"));
	assert_int_equal(s.nexcluded, 2);
}

/* With report_links, links are reported (not followed) and their target can be read. */
static void reports_links_when_asked(void **state)
{
	struct cg_walk_opts o = {0};
	struct seen s;
	(void)state;
	memset(&s, 0, sizeof(s));
	o.report_links = 1;
	assert_int_equal(cg_walk(tmpl, &o, cb, &s), 0);
	assert_int_equal(s.nlinks, 2);
	assert_int_equal(s.nfiles, 5);
	assert_false(s.saw_link);
	assert_non_null(strstr(s.link_path, "/link-to-file"));
	/* without it, none */
	memset(&s, 0, sizeof(s));
	o.report_links = 0;
	assert_int_equal(cg_walk(tmpl, &o, cb, &s), 0);
	assert_int_equal(s.nlinks, 0);
	assert_int_equal(s.ndirs, 0);
	/* directories: sub, sub/deeper, skipme (not the root, not through links) */
	o.report_dirs = 1;
	assert_int_equal(cg_walk(tmpl, &o, cb, &s), 0);
	assert_int_equal(s.ndirs, 3);
}

static void follows_when_asked(void **state)
{
	struct cg_walk_opts o = {0};
	struct seen s;
	(void)state;
	memset(&s, 0, sizeof(s));
	o.follow_symlinks = 1;
	o.max_path = 0;
	assert_int_equal(cg_walk(tmpl, &o, cb, &s), 0);
	assert_true(s.saw_link);
	assert_true(s.nfiles > 6); /* files under /etc too */
}

static void long_paths_reported(void **state)
{
	struct cg_walk_opts o = {0};
	struct seen s;
	(void)state;
	memset(&s, 0, sizeof(s));
	o.max_path = strlen(tmpl) + 12; /* room for "/a.txt" but not "/sub/deeper/c.exe" */
	assert_int_equal(cg_walk(tmpl, &o, cb, &s), 0);
	assert_true(has(&s, "/a.txt"));
	assert_false(has(&s, "/c.exe"));
	assert_true(s.nerr > 0);
	assert_int_equal(s.errcode, CG_ELIMIT);
}

static void missing_root(void **state)
{
	struct cg_walk_opts o = {0};
	struct seen s;
	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(cg_walk("/nonexistent/canhgac", &o, cb, &s), CG_ENOENT);
}

static void single_file_root(void **state)
{
	struct cg_walk_opts o = {0};
	struct seen s;
	char p[256];
	(void)state;
	memset(&s, 0, sizeof(s));
	snprintf(p, sizeof(p), "%s/a.txt", tmpl);
	assert_int_equal(cg_walk(p, &o, cb, &s), 0);
	assert_int_equal(s.nfiles, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(walks_files_not_links),
	    cmocka_unit_test(excludes_by_glob),
	    cmocka_unit_test(follows_when_asked),
	    cmocka_unit_test(long_paths_reported),
	    cmocka_unit_test(missing_root),
	    cmocka_unit_test(single_file_root),
	    cmocka_unit_test(reports_links_when_asked),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

/* test_archive.c - the archive walker on archives built here with libarchive's writer: each
 * format, nesting, a decompression bomb, member and depth caps, damage, and a walk inside the
 * confined worker. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "canhgac/alloc.h"
#include "canhgac/archive.h"
#include "canhgac/error.h"
#include "canhgac/sandbox.h"

struct seen {
	char names[32][256];
	uint64_t bytes[32];
	int n;
};

static int v_begin(void *arg, const char *p, uint64_t s, unsigned d)
{
	struct seen *x = arg;
	(void)s;
	(void)d;
	if (x->n < 32)
		snprintf(x->names[x->n], 256, "%s", p);
	x->n++;
	return 0;
}

static int v_data(void *arg, const uint8_t *p, size_t n)
{
	struct seen *x = arg;
	(void)p;
	if (x->n - 1 < 32)
		x->bytes[x->n - 1] += n;
	return 0;
}

static int v_end(void *arg)
{
	(void)arg;
	return 0;
}

/* Writes an archive of the given format/filter holding (name, data) pairs into memory. */
static size_t make(uint8_t *buf, size_t cap, int format, int filter, const char **names,
                   const uint8_t **datas, const size_t *lens, int n)
{
	struct archive *a = archive_write_new();
	size_t used = 0;
	archive_write_set_format(a, format);
	if (filter)
		archive_write_add_filter(a, filter);
	if (format == ARCHIVE_FORMAT_RAW)
		archive_write_set_bytes_in_last_block(a, 1);
	assert_int_equal(archive_write_open_memory(a, buf, cap, &used), ARCHIVE_OK);
	for (int i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname(e, names[i]);
		archive_entry_set_size(e, (la_int64_t)lens[i]);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		assert_int_equal(archive_write_data(a, datas[i], lens[i]), (la_ssize_t)lens[i]);
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
	return used;
}

static void walk(const uint8_t *p, size_t n, const char *name, struct cg_arc_limits *l,
                 struct seen *x, struct cg_arc_stats *st)
{
	struct cg_arc_visitor v = {v_begin, v_data, v_end, x};
	memset(x, 0, sizeof(*x));
	assert_int_equal(cg_arc_scan_mem(p, n, name, l, &v, st), 0);
}

static void each_format(void **state)
{
	static uint8_t buf[1 << 20];
	const char *names[] = {"dir/a.txt", "b.bin"};
	const uint8_t *datas[] = {(const uint8_t *)"hello", (const uint8_t *)"world!!"};
	const size_t lens[] = {5, 7};
	const struct {
		int format, filter;
	} kinds[] = {{ARCHIVE_FORMAT_ZIP, 0},
	             {ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, 0},
	             {ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FILTER_GZIP},
	             {ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FILTER_BZIP2},
	             {ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FILTER_XZ},
	             {ARCHIVE_FORMAT_7ZIP, 0}};
	struct cg_arc_limits l;
	struct cg_arc_stats st;
	struct seen x;
	(void)state;
	cg_arc_limits_default(&l);
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		size_t n =
		    make(buf, sizeof(buf), kinds[k].format, kinds[k].filter, names, datas, lens, 2);
		assert_true(cg_arc_detect(buf, n));
		walk(buf, n, "x", &l, &x, &st);
		assert_int_equal(x.n, 2);
		assert_string_equal(x.names[0], "!dir/a.txt");
		assert_int_equal(x.bytes[0], 5);
		assert_string_equal(x.names[1], "!b.bin");
		assert_int_equal(x.bytes[1], 7);
		assert_int_equal(st.corrupt, 0);
	}
	/* a lone gzip stream is one member named after the file */
	{
		size_t n = make(buf, sizeof(buf), ARCHIVE_FORMAT_RAW, ARCHIVE_FILTER_GZIP, names,
		                datas, lens, 1);
		walk(buf, n, "notes.txt.gz", &l, &x, &st);
		assert_int_equal(x.n, 1);
		assert_int_equal(x.bytes[0], 5);
	}
	assert_false(cg_arc_detect((const uint8_t *)"plain text", 10));
}

static void nested_and_depth(void **state)
{
	static uint8_t inner[1 << 16], outer[1 << 17];
	const char *n1[] = {"evil\xff.exe"};
	const uint8_t *d1[] = {(const uint8_t *)"MZpayload"};
	const size_t l1[] = {9};
	const char *n2[] = {"pack/inner.zip"};
	const uint8_t *d2[1];
	size_t l2[1];
	struct cg_arc_limits l;
	struct cg_arc_stats st;
	struct seen x;
	(void)state;
	l2[0] = make(inner, sizeof(inner), ARCHIVE_FORMAT_ZIP, 0, n1, d1, l1, 1);
	d2[0] = inner;
	size_t n = make(outer, sizeof(outer), ARCHIVE_FORMAT_TAR_PAX_RESTRICTED,
	                ARCHIVE_FILTER_GZIP, n2, d2, l2, 1);
	cg_arc_limits_default(&l);
	walk(outer, n, "a.tgz", &l, &x, &st);
	assert_int_equal(x.n, 2);
	assert_string_equal(x.names[0], "!pack/inner.zip");
	assert_string_equal(x.names[1], "!pack/inner.zip!evil\xff.exe"); /* bytes kept as is */
	assert_int_equal(st.max_depth_seen, 1);
	l.max_depth = 1; /* no recursion */
	walk(outer, n, "a.tgz", &l, &x, &st);
	assert_int_equal(x.n, 1);
}

static void bomb_and_member_cap(void **state)
{
	const size_t big = 300u << 20;
	uint8_t *zeros = calloc(1, big), *buf = malloc(4u << 20);
	const char *names[] = {"zeros.bin"};
	const uint8_t *datas[] = {zeros};
	const size_t lens[] = {big};
	struct cg_arc_limits l;
	struct cg_arc_stats st;
	struct seen x;
	size_t n;
	(void)state;
	assert_non_null(zeros);
	n = make(buf, 4u << 20, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FILTER_GZIP, names,
	         datas, lens, 1);
	free(zeros);
	assert_true(n < (1u << 20)); /* a high-ratio bomb */
	cg_arc_limits_default(&l);
	l.max_expanded = 64u << 20;
	walk(buf, n, "bomb.tgz", &l, &x, &st);
	assert_int_equal(st.limit_hit, CG_ELIMIT);
	assert_true(st.expanded <= (64u << 20) + (64u << 10));
	{
		const char *nm[3] = {"a", "b", "c"};
		const uint8_t *dd[3] = {(const uint8_t *)"1", (const uint8_t *)"2",
		                        (const uint8_t *)"3"};
		const size_t ll[3] = {1, 1, 1};
		n = make(buf, 4u << 20, ARCHIVE_FORMAT_ZIP, 0, nm, dd, ll, 3);
		cg_arc_limits_default(&l);
		l.max_members = 2;
		walk(buf, n, "m.zip", &l, &x, &st);
		assert_int_equal(x.n, 2);
		assert_int_equal(st.limit_hit, CG_ELIMIT);
		/* damage: truncated */
		cg_arc_limits_default(&l);
		walk(buf, n / 2, "m.zip", &l, &x, &st);
		assert_true(st.corrupt || x.n < 3);
	}
	free(buf);
}

static int worker_walk(int sock, void *arg)
{
	(void)arg;
	for (;;) {
		void *req = NULL;
		size_t len = 0;
		int fd = -1;
		struct seen x;
		struct cg_arc_limits l;
		struct cg_arc_stats st;
		struct cg_arc_visitor v = {v_begin, v_data, v_end, &x};
		char out[320];
		if (cg_worker_recv(sock, &fd, &req, &len))
			return 0;
		memset(&x, 0, sizeof(x));
		cg_arc_limits_default(&l);
		int rc = cg_arc_scan_fd(fd, "w.zip", &l, &v, &st);
		snprintf(out, sizeof(out), "%d %d %s", rc, x.n, x.n ? x.names[0] : "");
		close(fd);
		cg_free(req);
		if (cg_worker_send(sock, out, strlen(out)))
			return 1;
	}
}

static void walk_inside_worker(void **state)
{
	static uint8_t buf[1 << 16];
	const char *names[] = {"in/x.txt"};
	const uint8_t *datas[] = {(const uint8_t *)"abc"};
	const size_t lens[] = {3};
	char path[] = "/tmp/cg-arc-XXXXXX";
	struct cg_worker *w;
	void *resp = NULL;
	size_t rl = 0, n;
	int fd = mkstemp(path);
	(void)state;
	n = make(buf, sizeof(buf), ARCHIVE_FORMAT_ZIP, 0, names, datas, lens, 1);
	assert_int_equal(write(fd, buf, n), (ssize_t)n);
	assert_int_equal(cg_worker_start(&w, worker_walk, NULL), 0);
	assert_int_equal(cg_worker_call(w, fd, "go", 2, &resp, &rl, 5000), 0);
	assert_memory_equal(resp, "0 1 !in/x.txt", 13);
	cg_free(resp);
	cg_worker_stop(w);
	close(fd);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(each_format),
	    cmocka_unit_test(nested_and_depth),
	    cmocka_unit_test(bomb_and_member_cap),
	    cmocka_unit_test(walk_inside_worker),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

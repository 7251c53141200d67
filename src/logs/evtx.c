/* evtx.c - .evtx files and event log channels into JSON lines (see evtx.h): libevtx on Linux,
 * the platform's Event Log API (evtlog.h) on Windows, the winevt engine for both. */
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/fileio.h"
#include "canhgac/limits.h"
#include "canhgac/winevt.h"
#include "logs/evtx.h"
#if defined(_WIN32)
#include "canhgac/evtlog.h"
#else
/* libevtx.h pulls in libbfio.h when the library was built with it; we use no libbfio call, and
 * Debian's libevtx-dev does not depend on libbfio-dev. */
#include <libevtx/features.h>
#undef LIBEVTX_HAVE_BFIO
#include <libevtx.h>
#endif
#include "banned.h"

struct conv {
	const char *src;
	cg_evtx_fn cb;
	void *arg;
	struct cg_diags *d;
	int skipped;
};

/* One event's XML through the engine to the caller; a bad event is skipped, not fatal. */
static int deliver(struct conv *c, unsigned long index, int recovered, const char *xml, size_t len)
{
	struct cg_winevt_opts o = {c->src, index, recovered};
	char *json = NULL;
	size_t n = 0;
	int rc = cg_winevt_to_json(xml, len, &o, &json, &n, c->d);

	if (rc == CG_ENOMEM)
		return rc;
	if (rc) {
		c->skipped = 1;
		return 0;
	}
	rc = c->cb(c->arg, json, n);
	cg_free(json);
	return rc;
}

#if defined(_WIN32)

int cg_evtx_has_channels(void)
{
	return 1;
}

static int on_xml(void *arg, unsigned long index, const char *xml, size_t len)
{
	return deliver(arg, index, 0, xml, len);
}

int cg_evtx_each(const char *path_or_channel, int is_channel, cg_evtx_fn cb, void *arg,
                 struct cg_diags *d)
{
	struct conv c = {path_or_channel, cb, arg, d, 0};
	int rc;

	if (!path_or_channel || !cb)
		return CG_EINVAL;
	rc = cg_evtlog_each_xml(path_or_channel, is_channel, on_xml, &c, d);
	if (rc == 0 && c.skipped)
		rc = CG_EPARTIAL;
	return rc;
}

#else

int cg_evtx_has_channels(void)
{
	return 0;
}

/* libevtx's message for err, in diagnostics as it is (the library speaks English only). */
static int lib_fail(struct cg_diags *d, int code, const char *src, unsigned long idx,
                    const char *vi, const char *en, libevtx_error_t **err)
{
	char msg[256] = "";
	if (err && *err) {
		libevtx_error_sprint(*err, msg, sizeof(msg));
		libevtx_error_free(err);
		/* keep the last line: the outermost failure */
		char *nl;
		while ((nl = strrchr(msg, '\n')) && nl[1] == '\0')
			*nl = '\0';
		if ((nl = strrchr(msg, '\n')))
			memmove(msg, nl + 1, strlen(nl + 1) + 1);
	}
	return cg_diags_add(d, code, src, idx, 0, "%s%.0s%s%s%s", "%.0s%s%s%s%s", vi, en,
	                    *msg ? " (libevtx: " : "", msg, *msg ? ")" : "");
}

static int grow(char **buf, size_t *cap, size_t need)
{
	char *p = cg_realloc(*buf, need);
	if (!p)
		return CG_ENOMEM;
	*buf = p;
	*cap = need;
	return 0;
}

/* Records (or recovered records) of an open file, in order. */
static int walk(libevtx_file_t *f, int recovered, struct conv *c, unsigned long *index)
{
	libevtx_error_t *err = NULL;
	char *xml = NULL;
	size_t cap = 0;
	int n = 0, rc = 0;

	if ((recovered ? libevtx_file_get_number_of_recovered_records(f, &n, &err)
	               : libevtx_file_get_number_of_records(f, &n, &err)) != 1)
		return lib_fail(c->d, CG_EPARSE, c->src, 0, "không đếm được bản ghi",
		                "cannot count the records", &err);
	for (int i = 0; i < n && rc == 0; i++) {
		libevtx_record_t *r = NULL;
		size_t sz = 0;
		if (++*index > CG_MAX_WINEVT_RECORDS) {
			rc = cg_diags_add(c->d, CG_ELIMIT, c->src, *index, 0, "quá nhiều bản ghi",
			                  "too many records");
			break;
		}
		if ((recovered ? libevtx_file_get_recovered_record_by_index(f, i, &r, &err)
		               : libevtx_file_get_record_by_index(f, i, &r, &err)) != 1 ||
		    libevtx_record_get_utf8_xml_string_size(r, &sz, &err) != 1 || sz == 0 ||
		    sz > CG_MAX_WINEVT_XML) {
			c->skipped = 1;
			lib_fail(c->d, sz > CG_MAX_WINEVT_XML ? CG_ELIMIT : CG_EPARSE, c->src,
			         *index, "bỏ qua bản ghi không đọc được",
			         "skipped an unreadable record", &err);
		} else if (sz > cap && grow(&xml, &cap, sz)) {
			rc = CG_ENOMEM;
		} else if (libevtx_record_get_utf8_xml_string(r, (uint8_t *)xml, sz, &err) != 1) {
			c->skipped = 1;
			lib_fail(c->d, CG_EPARSE, c->src, *index, "bỏ qua bản ghi không đọc được",
			         "skipped an unreadable record", &err);
		} else {
			rc = deliver(c, *index, recovered, xml, strnlen(xml, sz));
		}
		libevtx_record_free(&r, NULL);
	}
	cg_free(xml);
	return rc;
}

int cg_evtx_each(const char *path_or_channel, int is_channel, cg_evtx_fn cb, void *arg,
                 struct cg_diags *d)
{
	struct conv c = {path_or_channel, cb, arg, d, 0};
	libevtx_file_t *f = NULL;
	libevtx_error_t *err = NULL;
	unsigned long index = 0;
	int rc, fd;

	if (!path_or_channel || !cb)
		return CG_EINVAL;
	if (is_channel)
		return cg_diags_add(d, CG_EUNSUPP, path_or_channel, 0, 0,
		                    "đọc kênh nhật ký trực tiếp chỉ có trên Windows; hãy chép tệp "
		                    ".evtx sang (wevtutil epl Security security.evtx)",
		                    "reading a live channel needs Windows; copy the .evtx file "
		                    "over (wevtutil epl Security security.evtx)");
	/* open it ourselves first: a clear "no such file" or "permission denied" */
	if ((fd = cg_file_open_read(path_or_channel)) < 0)
		return cg_diags_add(d, fd, path_or_channel, 0, 0, "không mở được: %s%.0s",
		                    "cannot open: %.0s%s", cg_strerror(fd), cg_strerror(fd));
	cg_file_close(fd);
	if (libevtx_check_file_signature(path_or_channel, &err) != 1)
		return lib_fail(d, CG_EPARSE, path_or_channel, 0, "không phải tệp .evtx",
		                "not an .evtx file", &err);
	if (libevtx_file_initialize(&f, &err) != 1)
		return lib_fail(d, CG_ENOMEM, path_or_channel, 0, "hết bộ nhớ", "out of memory",
		                &err);
	if (libevtx_file_open(f, path_or_channel, LIBEVTX_OPEN_READ, &err) != 1) {
		rc = lib_fail(d, CG_EPARSE, path_or_channel, 0, "tệp .evtx hỏng",
		              "damaged .evtx file", &err);
		goto out;
	}
	rc = walk(f, 0, &c, &index);
	if (rc == 0)
		rc = walk(f, 1, &c, &index);
	libevtx_file_close(f, NULL);
	if (rc == 0 && c.skipped)
		rc = CG_EPARTIAL;
out:
	libevtx_file_free(&f, NULL);
	return rc;
}

#endif

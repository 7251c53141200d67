/* evtlog.c - events of a channel or .evtx file through wevtapi (EvtQuery, EvtNext,
 * EvtRender as XML), converted from UTF-16 to UTF-8 for the winevt engine. See evtlog.h. */
#include "win.h"
#include <winevt.h>

#include "canhgac/alloc.h"
#include "canhgac/evtlog.h"
#include "canhgac/limits.h"
#include "banned.h"

#define BATCH 32

/* Not every mingw-w64 header names these Event Log errors. */
#ifndef ERROR_EVT_CHANNEL_NOT_FOUND
#define ERROR_EVT_CHANNEL_NOT_FOUND 15007L
#endif
#ifndef ERROR_EVT_INVALID_CHANNEL_PATH
#define ERROR_EVT_INVALID_CHANNEL_PATH 15000L
#endif

/* The diagnostic for EvtQuery's or EvtNext's error e; returns the CG code. */
static int query_error(DWORD e, const char *name, struct cg_diags *d)
{
	switch (e) {
	case ERROR_ACCESS_DENIED:
	case ERROR_PRIVILEGE_NOT_HELD:
		return cg_diags_add(d, CG_EPERM, name, 0, 0,
		                    "không được phép đọc nhật ký này: nhật ký Security cần chạy "
		                    "với quyền quản trị (Run as administrator)",
		                    "not allowed to read this log: the Security log needs an "
		                    "administrator (Run as administrator)");
	case ERROR_EVT_CHANNEL_NOT_FOUND:
	case ERROR_EVT_INVALID_CHANNEL_PATH:
		return cg_diags_add(d, CG_ENOENT, name, 0, 0, "không có kênh nhật ký này",
		                    "no such event log channel");
	case ERROR_FILE_NOT_FOUND:
	case ERROR_PATH_NOT_FOUND:
		return cg_diags_add(d, CG_ENOENT, name, 0, 0, "không có tệp hoặc kênh này",
		                    "no such file or channel");
	case 0: /* wine's EvtQuery fails without setting an error */
	case ERROR_CALL_NOT_IMPLEMENTED:
	case ERROR_NOT_SUPPORTED:
	case ERROR_PROC_NOT_FOUND:
	case RPC_S_SERVER_UNAVAILABLE:
		return cg_diags_add(d, CG_EUNSUPP, name, 0, 0,
		                    "API Event Log của Windows không dùng được ở đây (mã %lu; wine "
		                    "hoặc dịch vụ Windows Event Log đã dừng)",
		                    "Windows' Event Log API is not available here (code %lu; wine, "
		                    "or the Windows Event Log service is stopped)",
		                    (unsigned long)e);
	default:
		return cg_diags_add(d, CG_EIO, name, 0, 0, "đọc nhật ký sự kiện lỗi (mã %lu)",
		                    "reading the event log failed (code %lu)", (unsigned long)e);
	}
}

struct rbuf {
	wchar_t *w;
	DWORD wcap; /* bytes */
	char *u;
	size_t ucap;
};

/* Renders one event as UTF-8 XML into b->u; *len its length. */
static int render(EVT_HANDLE h, struct rbuf *b, size_t *len)
{
	DWORD used = 0, props = 0;
	size_t n;

	while (!EvtRender(NULL, h, EvtRenderEventXml, b->wcap, b->w, &used, &props)) {
		if (GetLastError() != ERROR_INSUFFICIENT_BUFFER)
			return cg_win_last();
		if (used > 2 * CG_MAX_WINEVT_XML)
			return CG_ELIMIT;
		wchar_t *w = cg_realloc(b->w, used);
		if (!w)
			return CG_ENOMEM;
		b->w = w;
		b->wcap = used;
	}
	n = used / sizeof(wchar_t);
	while (n > 0 && b->w[n - 1] == 0)
		n--;
	if (b->ucap < n * 3 + 1) {
		char *u = cg_realloc(b->u, n * 3 + 1);
		if (!u)
			return CG_ENOMEM;
		b->u = u;
		b->ucap = n * 3 + 1;
	}
	return cg_win_utf8(b->w, n, b->u, b->ucap, len);
}

/* Renders and hands over one batch; closes every handle in it. */
static int batch(EVT_HANDLE *ev, DWORD got, struct rbuf *b, unsigned long *index, int *skipped,
                 const char *name, cg_evtlog_xml_fn fn, void *arg, struct cg_diags *d)
{
	int rc = 0;

	for (DWORD i = 0; i < got; i++) {
		size_t len = 0;
		int r;
		++*index;
		if (rc == 0 && *index > CG_MAX_WINEVT_RECORDS)
			rc = cg_diags_add(d, CG_ELIMIT, name, *index, 0, "quá nhiều sự kiện",
			                  "too many events");
		if (rc == 0) {
			r = render(ev[i], b, &len);
			if (r == CG_ENOMEM)
				rc = r;
			else if (r) {
				*skipped = 1;
				cg_diags_add(d, r, name, *index, 0,
				             "bỏ qua sự kiện không dựng được: %s",
				             "skipped an event that could not be rendered: %s",
				             cg_strerror(r));
			} else {
				rc = fn(arg, *index, b->u, len);
			}
		}
		EvtClose(ev[i]);
	}
	return rc;
}

/* EvtQueryFilePath wants a full path (without the \\?\ prefix, which it does not document). */
static int full_path(wchar_t **w)
{
	DWORD n = GetFullPathNameW(*w, 0, NULL, NULL);
	wchar_t *f;

	if (n == 0)
		return cg_win_last();
	if (!(f = cg_malloc((size_t)n * sizeof(wchar_t))))
		return CG_ENOMEM;
	if (GetFullPathNameW(*w, n, f, NULL) == 0 || GetFullPathNameW(*w, n, f, NULL) >= n) {
		cg_free(f);
		return CG_EINVAL;
	}
	cg_free(*w);
	*w = f;
	return 0;
}

int cg_evtlog_each_xml(const char *name, int is_channel, cg_evtlog_xml_fn fn, void *arg,
                       struct cg_diags *d)
{
	EVT_HANDLE q = NULL, ev[BATCH];
	struct rbuf b = {NULL, 0, NULL, 0};
	wchar_t *wname = NULL;
	unsigned long index = 0;
	DWORD got;
	int rc, skipped = 0;

	if (!name || !fn)
		return CG_EINVAL;
	if ((rc = cg_win_wide(name, &wname)) || (!is_channel && (rc = full_path(&wname))))
		goto out;
	q = EvtQuery(NULL, wname, L"*",
	             (is_channel ? EvtQueryChannelPath : EvtQueryFilePath) |
	                 EvtQueryForwardDirection);
	if (!q) {
		rc = query_error(GetLastError(), name, d);
		goto out;
	}
	for (;;) {
		if (!EvtNext(q, BATCH, ev, INFINITE, 0, &got)) {
			DWORD e = GetLastError();
			if (e != ERROR_NO_MORE_ITEMS)
				rc = query_error(e, name, d);
			break;
		}
		if ((rc = batch(ev, got, &b, &index, &skipped, name, fn, arg, d)))
			break;
	}
	if (rc == 0 && skipped)
		rc = CG_EPARTIAL;
out:
	if (q)
		EvtClose(q);
	cg_free(wname);
	cg_free(b.w);
	cg_free(b.u);
	return rc;
}

/* cvd.c - reads ClamAV .cvd/.cld containers from memory: header fields, body MD5 (digest.h),
 * and the members of the tar body (libarchive). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <archive.h>
#include <archive_entry.h>

#include "canhgac/alloc.h"
#include "canhgac/cvd.h"
#include "canhgac/digest.h"
#include "canhgac/error.h"
#include "canhgac/hashsig.h"
#include "canhgac/limits.h"
#include "banned.h"

#define MAX_FIELDS 9

static int hdr_err(struct cg_diags *d, const char *src, const char *vi, const char *en)
{
	return cg_diags_add(d, CG_EPARSE, src, 1, 0,
	                    CG_MSG("đầu tệp CVD sai: %s%.0s", "bad CVD header: %.0s%s"), vi, en);
}

static int num32(const char *p, size_t n, uint32_t *out)
{
	uint64_t v = 0;
	if (n == 0 || n > 10)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	if (v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int copy_field(char *out, size_t cap, const char *p, size_t n)
{
	if (n >= cap)
		return -1;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

static int split(const char *hdr, size_t n, const char **f, size_t *fl)
{
	size_t nf = 0, start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && hdr[i] != ':')
			continue;
		if (nf == MAX_FIELDS)
			return -1;
		f[nf] = hdr + start;
		fl[nf++] = i - start;
		start = i + 1;
	}
	return (int)nf;
}

static int fill(struct cg_cvd_header *h, const char **f, const size_t *fl, int nf,
                enum cg_cvd_kind kind, const char *src, struct cg_diags *d)
{
	uint32_t st32;

	if (fl[0] != 10 || memcmp(f[0], "ClamAV-VDB", 10) != 0)
		return hdr_err(d, src, "thiếu chuỗi nhận dạng ClamAV-VDB",
		               "missing ClamAV-VDB magic");
	if (copy_field(h->build_time, sizeof(h->build_time), f[1], fl[1]))
		return hdr_err(d, src, "trường thời điểm tạo quá dài", "build time too long");
	if (num32(f[2], fl[2], &h->version) || num32(f[3], fl[3], &h->sigs) ||
	    num32(f[4], fl[4], &h->flevel))
		return hdr_err(d, src, "phiên bản, số chữ ký hoặc mức chức năng không phải số",
		               "version, signature count or functionality level is not a number");
	if (kind == CG_CVD_CVD &&
	    (fl[5] != 32 || cg_hex_decode(f[5], 32, (uint8_t[16]){0}, 16) != 16))
		return hdr_err(d, src, "MD5 cần 32 chữ số hex", "MD5 needs 32 hex digits");
	if (copy_field(h->md5, sizeof(h->md5), f[5], fl[5]) ||
	    copy_field(h->dsig, sizeof(h->dsig), f[6], fl[6]) ||
	    copy_field(h->builder, sizeof(h->builder), f[7], fl[7]))
		return hdr_err(d, src, "trường quá dài", "field too long");
	for (char *c = h->md5; *c; c++)
		if (*c >= 'A' && *c <= 'F')
			*c = (char)(*c - 'A' + 'a');
	if (nf == 9) {
		/* stime is seconds since 1970; ten digits fit until 2286 */
		if (num32(f[8], fl[8], &st32))
			return hdr_err(d, src, "stime không phải số", "stime is not a number");
		h->stime = st32;
	}
	return CG_OK;
}

int cg_cvd_parse_header(const uint8_t *buf, size_t len, enum cg_cvd_kind kind, const char *source,
                        struct cg_cvd_header *h, struct cg_diags *d)
{
	const char *src = source ? source : "?", *f[MAX_FIELDS];
	const char *hdr = (const char *)buf;
	size_t n = CG_CVD_HEADER_LEN, fl[MAX_FIELDS];
	int nf;

	if (!buf || !h || (kind != CG_CVD_CVD && kind != CG_CVD_CLD))
		return CG_EINVAL;
	memset(h, 0, sizeof(*h));
	if (len < CG_CVD_HEADER_LEN)
		return hdr_err(d, src, "tệp ngắn hơn 512 byte", "file shorter than 512 bytes");
	while (n && (hdr[n - 1] == ' ' || hdr[n - 1] == '\0'))
		n--;
	for (size_t i = 0; i < n; i++)
		if (buf[i] < 0x20 || buf[i] > 0x7e)
			return hdr_err(d, src, "có byte không phải ký tự ASCII in được",
			               "contains a byte that is not printable ASCII");
	nf = split(hdr, n, f, fl);
	if (nf < 8)
		return hdr_err(d, src, "cần 8 hoặc 9 trường ngăn bởi dấu hai chấm",
		               "expected 8 or 9 colon-separated fields");
	return fill(h, f, fl, nf, kind, src, d);
}

static int check_md5(const uint8_t *body, size_t n, const struct cg_cvd_header *h, const char *src,
                     struct cg_diags *d)
{
	struct cg_digest_result r;
	char hex[33];
	int rc = cg_digest_buf(CG_HASH_MD5, body, n, &r);

	if (rc == CG_ENOMEM)
		return rc;
	if (rc)
		return cg_diags_add(d, CG_ECRYPTO, src, 0, 0,
		                    CG_MSG("không tính được MD5", "cannot compute MD5"));
	cg_hex_encode(r.md5, 16, hex, sizeof(hex));
	if (strcmp(hex, h->md5) != 0)
		return cg_diags_add(d, CG_EBADSIG, src, 0, 0,
		                    CG_MSG("MD5 của phần thân (%s) khác với giá trị ở đầu tệp (%s)",
		                           "body MD5 (%s) differs from the header's (%s)"),
		                    hex, h->md5);
	return CG_OK;
}

/* State of one iteration: the member buffer is reused from member to member. */
struct it {
	struct archive *a;
	uint8_t *buf;
	size_t cap;
	uint64_t total;
	const char *src;
	struct cg_diags *d;
};

static int arc_err(struct it *t, const char *what)
{
	const char *e = archive_error_string(t->a);
	return cg_diags_add(t->d, CG_EPARSE, t->src, 0, 0,
	                    CG_MSG("phần thân hỏng (%s): %s", "bad body (%s): %s"), what,
	                    e ? e : "?");
}

static int limit(struct it *t, const char *name, const char *vi, const char *en)
{
	return cg_diags_add(t->d, CG_ELIMIT, t->src, 0, 0, CG_MSG("%s: %s%.0s", "%s: %.0s%s"), name,
	                    vi, en);
}

/* Reads the current member into t->buf; returns its length in *got. */
static int read_member(struct it *t, const char *name, size_t *got)
{
	size_t n = 0;
	int rc;

	for (;;) {
		la_ssize_t r;
		if (n + 1 >= t->cap) {
			size_t want = n + 65536;
			if (want > CG_MAX_CVD_MEMBER + 1)
				want = CG_MAX_CVD_MEMBER + 1;
			rc = cg_grow((void **)&t->buf, &t->cap, want, 1, CG_MAX_CVD_MEMBER + 1);
			if (rc == CG_ELIMIT || (rc == CG_OK && n + 1 >= t->cap))
				return limit(t, name, "thành phần quá lớn", "member too large");
			if (rc)
				return rc;
		}
		r = archive_read_data(t->a, t->buf + n, t->cap - n - 1);
		if (r < 0)
			return arc_err(t, name);
		if (r == 0)
			break;
		n += (size_t)r;
		if (t->total + n > CG_MAX_CVD_EXPANDED)
			return limit(t, name, "tổng dữ liệu giải nén quá lớn",
			             "too much expanded data");
	}
	t->buf[n] = '\0';
	t->total += n;
	*got = n;
	return CG_OK;
}

static int members(struct it *t, cg_cvd_member_cb cb, void *arg)
{
	struct archive_entry *e;
	size_t count = 0;
	int r;

	while ((r = archive_read_next_header(t->a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		const char *name = archive_entry_pathname(e);
		size_t got = 0;
		int rc;

		if (++count > CG_MAX_CVD_MEMBERS)
			return limit(t, "tar", "quá nhiều thành phần", "too many members");
		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		if (!name || strnlen(name, CG_MAX_CVD_NAME) >= CG_MAX_CVD_NAME)
			return arc_err(t, "name");
		if (archive_entry_size_is_set(e) &&
		    archive_entry_size(e) > (la_int64_t)CG_MAX_CVD_MEMBER)
			return limit(t, name, "thành phần quá lớn", "member too large");
		if ((rc = read_member(t, name, &got)))
			return rc;
		rc = cb ? cb(arg, name, t->buf, got) : 0;
		if (rc < 0)
			return rc;
		if (rc > 0)
			return CG_OK;
	}
	return r == ARCHIVE_EOF ? CG_OK : arc_err(t, "tar");
}

int cg_cvd_foreach(const uint8_t *buf, size_t len, enum cg_cvd_kind kind, const char *source,
                   struct cg_cvd_header *h, cg_cvd_member_cb cb, void *arg, struct cg_diags *d)
{
	struct cg_cvd_header local;
	struct it t = {NULL, NULL, 0, 0, source ? source : "?", d};
	int rc;

	if (!h)
		h = &local;
	if (!buf)
		return CG_EINVAL;
	if (len > CG_MAX_CVD)
		return cg_diags_add(d, CG_ELIMIT, t.src, 0, 0,
		                    CG_MSG("tệp quá lớn", "file too large"));
	if ((rc = cg_cvd_parse_header(buf, len, kind, source, h, d)))
		return rc;
	if (kind == CG_CVD_CVD &&
	    (rc = check_md5(buf + CG_CVD_HEADER_LEN, len - CG_CVD_HEADER_LEN, h, t.src, d)))
		return rc;
	rc = CG_ENOMEM;
	t.a = archive_read_new();
	if (!t.a)
		goto out;
	/* Only gzip (and no filter): archive_read_support_filter_all() would also accept formats
	 * that libarchive decodes by running external programs (lrzip, lzop, grzip), which core
	 * code must never do, and ClamAV uses nothing but gzip. */
	if (archive_read_support_filter_gzip(t.a) != ARCHIVE_OK ||
	    archive_read_support_format_tar(t.a) != ARCHIVE_OK) {
		rc = arc_err(&t, "libarchive");
		goto out;
	}
	if (archive_read_open_memory(t.a, buf + CG_CVD_HEADER_LEN, len - CG_CVD_HEADER_LEN) !=
	    ARCHIVE_OK) {
		rc = arc_err(&t, "open");
		goto out;
	}
	rc = members(&t, cb, arg);
out:
	if (t.a)
		archive_read_free(t.a);
	cg_free(t.buf);
	return rc;
}

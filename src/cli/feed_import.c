/* feed_import.c - `canhgac feed import FILE...`: read, parse, show what was understood, store.
 *
 * Exit status: 0 every file imported with no bad row (or already on record), 1 imported but some
 * rows were bad, 2 an error or nothing imported (including --strict refusals). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/digest.h"
#include "canhgac/feed.h"
#include "canhgac/feedstore.h"
#include "canhgac/limits.h"
#include "canhgac/sys.h"
#include "cli.h"
#include "feed_cli.h"
#include "banned.h"

enum outcome { OUT_IMPORTED, OUT_ALREADY, OUT_REFUSED, OUT_ERROR };

struct one {
	const char *path; /* as given */
	char base[512];   /* base name: the record's source */
	char list[128];
	uint8_t *buf;
	size_t len;
	char sha[65];
	struct cg_feed *f;
	struct cg_diags d;
	struct cg_feed_record rec;
	int64_t prev; /* the list's current feed before this import, 0 when none */
	enum outcome out;
	int err;
};

static void base_name(const char *path, char *out, size_t cap)
{
	const char *b = strrchr(path, '/');
	snprintf(out, cap, "%s", b ? b + 1 : path);
}

/* The default list name: the base name without its extension ("feodo.ipset" -> "feodo"). */
static void default_list(const char *base, char *out, size_t cap)
{
	const char *dot = strrchr(base, '.');
	size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	if (n >= cap)
		n = cap - 1;
	memcpy(out, base, n);
	out[n] = '\0';
}

static void hex(const uint8_t *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

static int read_and_parse(const struct feed_opts *o, struct one *x)
{
	struct cg_feed_parse_opts po;
	struct cg_digest_result dr;
	int rc = cg_read_file(x->path, CG_MAX_FEED_FILE, &x->buf, &x->len);

	if (rc) {
		cg_cli_err("%s: %s%s", x->path, cg_strerror(rc),
		           rc == CG_ELIMIT ? cg_tr(" (tệp nguồn tin tối đa 256 MiB)",
		                                   " (a feed file is at most 256 MiB)")
		                           : "");
		return rc;
	}
	rc = cg_digest_buf(CG_HASH_SHA256, x->buf, x->len, &dr);
	if (rc)
		return rc;
	hex(dr.sha256, 32, x->sha);
	memset(&po, 0, sizeof(po));
	po.kind = (enum cg_feed_kind)o->kind;
	po.format = (enum cg_feed_format)o->format;
	po.columns = o->columns;
	po.now = cg_now_ms() / 1000;
	po.tz_offset = CG_FEED_TZ_OFFSET;
	return cg_feed_parse(x->buf, x->len, x->path, &po, &x->f, &x->d);
}

/* Header cell i of "a | b | c", or "" past the end. */
static void header_cell(const char *h, int i, char *out, size_t cap)
{
	const char *p = h, *q;
	size_t n;
	for (; i > 0 && p; i--) {
		p = strstr(p, " | ");
		if (p)
			p += 3;
	}
	if (!p) {
		out[0] = '\0';
		return;
	}
	q = strstr(p, " | ");
	n = q ? (size_t)(q - p) : strlen(p);
	if (n >= cap)
		n = cap - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

/* Table inputs: the column guess, header cell -> logical name, and how to correct it. */
static void print_columns(const struct cg_feed *f)
{
	char cols[256];
	if (f->format != CG_FMT_TABLE)
		return;
	cg_feed_columns_text(f, cols, sizeof(cols));
	printf("  %s\n", f->columns.guessed
	                     ? cg_tr("Cột đoán được:", "Columns guessed:")
	                     : cg_tr("Cột theo --columns:", "Columns from --columns:"));
	for (int c = 0; c < CG_COL__COUNT; c++) {
		char cell[128] = "";
		if (f->columns.col[c] < 0)
			continue;
		if (f->header_text)
			header_cell(f->header_text, f->columns.col[c], cell, sizeof(cell));
		printf("    %-10s <- %s %d \"%s\"\n", cg_feed_col_name((enum cg_feed_col)c),
		       cg_tr("cột", "column"), f->columns.col[c] + 1, cell);
	}
	if (f->columns.guessed)
		printf(
		    cg_tr(
		        "  Nếu sai, sửa bằng --columns %s (số cột hoặc chữ cột).\n",
		        "  If wrong, correct it with --columns %s (column numbers or letters).\n"),
		    cols[0] ? cols : "ip=2,time=3");
}

static void print_understood(const struct one *x)
{
	const struct cg_feed *f = x->f;
	printf("%s: %s%s%s%s\n", x->path, cg_feed_format_name(f->format),
	       f->format_detail[0] ? " (" : "", f->format_detail, f->format_detail[0] ? ")" : "");
	print_columns(f);
	if (f->kind == CG_FEED_ADVISORY)
		printf(cg_tr("  dòng dữ liệu: %zu; cảnh báo: %zu; dòng lỗi: %zu; dòng bỏ qua (chú "
		             "thích, trống): %zu\n",
		             "  data rows: %zu; advisories: %zu; bad rows: %zu; rows skipped "
		             "(comments, blank): %zu\n"),
		       f->rows_total, f->nadvisories, f->rows_bad, f->rows_skipped);
	else
		printf(
		    cg_tr("  dòng dữ liệu: %zu; mục: %zu; dòng lỗi: %zu; dòng bỏ qua (chú thích, "
		          "trống): %zu\n",
		          "  data rows: %zu; entries: %zu; bad rows: %zu; rows skipped (comments, "
		          "blank): %zu\n"),
		    f->rows_total, f->nentries, f->rows_bad, f->rows_skipped);
	if (f->host_bits_cleared)
		printf(
		    cg_tr("  %zu dải CIDR có bit máy khác 0 đã được chuẩn hóa (1.2.3.4/24 -> "
		          "1.2.3.0/24)\n",
		          "  %zu CIDR prefixes had host bits set and were normalised (1.2.3.4/24 "
		          "-> 1.2.3.0/24)\n"),
		    f->host_bits_cleared);
}

static void print_outcome(const struct one *x)
{
	switch (x->out) {
	case OUT_IMPORTED:
		printf(cg_tr("  Đã nhập: nguồn tin #%" PRId64 ", danh sách '%s', loại %s",
		             "  Imported: feed #%" PRId64 ", list '%s', kind %s"),
		       x->rec.id, x->rec.list, cg_feed_kind_name(x->rec.kind));
		if (x->prev)
			printf(
			    cg_tr(", thay thế nguồn tin #%" PRId64, ", supersedes feed #%" PRId64),
			    x->prev);
		printf("\n");
		break;
	case OUT_ALREADY:
		printf(cg_tr("  Đã có: nội dung này đã được nhập là nguồn tin #%" PRId64
		             " (danh sách '%s'%s); không thay đổi gì.\n",
		             "  Already imported: this content is feed #%" PRId64
		             " (list '%s'%s); nothing changed.\n"),
		       x->rec.id, x->rec.list,
		       x->rec.superseded_by ? cg_tr(", đã bị thay thế", ", since superseded") : "");
		break;
	case OUT_REFUSED:
		printf(cg_tr("  Từ chối (--strict): có %zu dòng lỗi; không nhập gì.\n",
		             "  Refused (--strict): %zu bad rows; nothing imported.\n"),
		       x->f ? x->f->rows_bad : 0);
		break;
	case OUT_ERROR:
		break;
	}
}

static json_t *one_json(const struct one *x)
{
	static const char *const outs[] = {"imported", "already", "refused", "error"};
	json_t *o = json_pack("{s:s,s:s}", "file", x->path, "status", outs[x->out]), *probs;
	char cols[256];

	if (!o)
		return NULL;
	if (x->out == OUT_ERROR)
		json_object_set_new(o, "error", json_string(cg_strerror(x->err)));
	if (x->f) {
		cg_feed_columns_text(x->f, cols, sizeof(cols));
		json_object_set_new(o, "parsed",
		                    json_pack("{s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I}", "format",
		                              cg_feed_format_name(x->f->format), "format_detail",
		                              x->f->format_detail, "columns", cols, "rows_total",
		                              (json_int_t)x->f->rows_total, "rows_bad",
		                              (json_int_t)x->f->rows_bad, "rows_skipped",
		                              (json_int_t)x->f->rows_skipped, "entries",
		                              (json_int_t)x->f->nentries, "advisories",
		                              (json_int_t)x->f->nadvisories, "host_bits_cleared",
		                              (json_int_t)x->f->host_bits_cleared));
	}
	if (x->out == OUT_IMPORTED || x->out == OUT_ALREADY)
		json_object_set_new(o, "feed", cg_feed_cli_record_json(&x->rec));
	if (x->out == OUT_IMPORTED && x->prev)
		json_object_set_new(o, "supersedes", json_integer(x->prev));
	probs = json_array();
	for (size_t i = 0; probs && i < x->d.n; i++)
		json_array_append_new(probs, json_pack("{s:s,s:I,s:s}", "source", x->d.v[i].source,
		                                       "line", (json_int_t)x->d.v[i].line,
		                                       "message", cg_diag_msg(&x->d.v[i])));
	json_object_set_new(o, "problems", probs ? probs : json_array());
	if (x->d.dropped)
		json_object_set_new(o, "problems_dropped", json_integer((json_int_t)x->d.dropped));
	return o;
}

static int store(struct cg_cli *c, struct cg_feedstore **s, struct one *x, int64_t received)
{
	struct cg_feed_record cur;
	int rc;

	if (!*s && cg_feed_cli_open(c, s))
		return CG_EIO;
	x->prev = cg_feedstore_find(*s, x->list, &cur) == 0 ? cur.id : 0;
	rc = cg_feedstore_import(*s, x->f, x->list, x->base, x->sha, received, &x->rec);
	if (rc == 1) {
		x->out = OUT_ALREADY;
		return CG_OK;
	}
	if (rc == CG_EEXIST && x->prev && cur.kind != x->f->kind)
		cg_cli_err(cg_tr("%s: danh sách '%s' đang chứa loại %s; chọn tên khác bằng --list",
		                 "%s: list '%s' holds kind %s; choose another name with --list"),
		           x->path, x->list, cg_feed_kind_name(cur.kind));
	else if (rc)
		cg_cli_err(cg_tr("%s: không lưu được, không ghi gì: %s",
		                 "%s: cannot store it, nothing written: %s"),
		           x->path, cg_strerror(rc));
	else
		x->out = OUT_IMPORTED;
	return rc;
}

/* One file; returns its exit status. */
static int import_one(struct cg_cli *c, const struct feed_opts *o, struct cg_feedstore **s,
                      struct one *x)
{
	int rc;

	base_name(x->path, x->base, sizeof(x->base));
	if (o->list)
		snprintf(x->list, sizeof(x->list), "%s", o->list);
	else
		default_list(x->base, x->list, sizeof(x->list));
	x->out = OUT_ERROR;
	rc = read_and_parse(o, x);
	if (!c->json)
		cg_cli_print_diags(&x->d);
	if (rc == 0 && !c->json)
		print_understood(x);
	if (rc == 0 && o->strict && (x->f->rows_bad || x->d.n))
		x->out = OUT_REFUSED;
	else if (rc == 0)
		rc = store(c, s, x, o->received);
	else if (rc != CG_EIO && rc != CG_ENOENT && rc != CG_EPERM && !c->json)
		cg_cli_err(cg_tr("%s: không nhập được: %s", "%s: cannot import: %s"), x->path,
		           cg_strerror(rc));
	x->err = rc;
	if (c->json)
		cg_feed_cli_print_json(one_json(x));
	else
		print_outcome(x);
	if (x->out == OUT_IMPORTED && x->f->rows_bad)
		return CG_EXIT_FOUND;
	return x->out == OUT_IMPORTED || x->out == OUT_ALREADY ? CG_EXIT_OK : CG_EXIT_ERROR;
}

int cg_feed_cli_import(struct cg_cli *c, const struct feed_opts *o, char **files, int n)
{
	struct cg_feedstore *s = NULL;
	int worst = CG_EXIT_OK;

	if (!o->kind || n < 1) {
		cg_cli_err("%s",
		           cg_tr("feed import: cần --kind botnet|ioc|advisory và ít nhất một tệp",
		                 "feed import: needs --kind botnet|ioc|advisory and at least "
		                 "one file"));
		cg_cli_usage_hint("feed");
		return CG_EXIT_ERROR;
	}
	if (o->list && n > 1) {
		cg_cli_err("%s", cg_tr("feed import: --list chỉ dùng với một tệp (mỗi lần nhập vào "
		                       "cùng danh sách sẽ thay thế lần trước)",
		                       "feed import: --list takes one file (each import into one "
		                       "list supersedes the one before)"));
		return CG_EXIT_ERROR;
	}
	for (int i = 0; i < n; i++) {
		struct one x;
		int r;
		memset(&x, 0, sizeof(x));
		x.path = files[i];
		r = import_one(c, o, &s, &x);
		if (r == CG_EXIT_ERROR || (r == CG_EXIT_FOUND && worst == CG_EXIT_OK))
			worst = r;
		cg_feed_free(x.f);
		cg_diags_clear(&x.d);
		cg_free(x.buf);
	}
	cg_feedstore_close(s);
	return worst;
}

/* error.c - error codes, message language, and diagnostics lists. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "banned.h"

static enum cg_lang cur_lang = CG_LANG_VI;

void cg_lang_set(enum cg_lang lang)
{
	cur_lang = lang == CG_LANG_EN ? CG_LANG_EN : CG_LANG_VI;
}

enum cg_lang cg_lang_get(void)
{
	return cur_lang;
}

const char *cg_tr(const char *vi, const char *en)
{
	return cur_lang == CG_LANG_EN ? en : vi;
}

static const char *const msgs[][2] = {
    {"thành công", "success"},
    {"hết bộ nhớ", "out of memory"},
    {"tham số không hợp lệ", "invalid argument"},
    {"dữ liệu sai định dạng", "malformed data"},
    {"lỗi đọc/ghi", "input/output error"},
    {"không tìm thấy", "not found"},
    {"không có quyền", "permission denied"},
    {"vượt giới hạn kích thước hoặc số lượng", "size or count limit reached"},
    {"tệp đã thay đổi trong khi xử lý", "file changed while in use"},
    {"đã tồn tại, không ghi đè", "already exists, not overwritten"},
    {"hết dung lượng đĩa", "no space left on device"},
    {"hệ thống tệp chỉ đọc", "read-only file system"},
    {"dạng chưa được hỗ trợ", "unsupported form"},
    {"lỗi mật mã", "cryptographic failure"},
    {"quá thời gian cho phép", "time limit reached"},
    {"tiến trình cách ly bị lỗi", "confined worker failed"},
    {"bị chặn bởi cơ chế bảo vệ (dùng --force để bỏ qua)",
     "refused by a guard rail (use --force to override)"},
    {"là liên kết tượng trưng", "is a symbolic link"},
    {"chữ ký số không hợp lệ", "signature does not verify"},
    {"chỉ nạp được một phần", "loaded only in part"},
    {"lỗi nội bộ", "internal error"},
    {"không phải tệp thông thường", "not a regular file"},
};

const char *cg_strerror(int err)
{
	size_t i = err <= 0 ? (size_t)-err : (size_t)-CG_EINTERNAL;
	if (i >= sizeof(msgs) / sizeof(msgs[0]))
		i = (size_t)-CG_EINTERNAL;
	return msgs[i][cur_lang == CG_LANG_EN];
}

int cg_from_errno(int e)
{
	switch (e) {
	case 0:
		return CG_OK;
	case ENOMEM:
		return CG_ENOMEM;
	case ENOENT:
	case ENOTDIR:
		return CG_ENOENT;
	case EACCES:
	case EPERM:
		return CG_EPERM;
	case EEXIST:
		return CG_EEXIST;
	case ENOSPC:
#ifdef EDQUOT
	case EDQUOT:
#endif
		return CG_ENOSPC;
	case EROFS:
		return CG_EROFS;
	case ELOOP:
		return CG_ESYMLINK;
	case EINVAL:
		return CG_EINVAL;
	case ENAMETOOLONG:
	case EFBIG:
		return CG_ELIMIT;
	default:
		return CG_EIO;
	}
}

int cg_diags_add(struct cg_diags *d, int code, const char *source, unsigned long line,
                 unsigned int column, const char *fmt_vi, const char *fmt_en, ...)
{
	struct cg_diag *g;
	va_list ap;

	if (!d)
		return code;
	if (d->n >= CG_MAX_DIAGS ||
	    cg_grow((void **)&d->v, &d->cap, d->n + 1, sizeof(*d->v), CG_MAX_DIAGS)) {
		d->dropped++;
		return code;
	}
	g = &d->v[d->n++];
	memset(g, 0, sizeof(*g));
	snprintf(g->source, sizeof(g->source), "%s", source ? source : "");
	g->line = line;
	g->column = column;
	g->code = code;
	va_start(ap, fmt_en);
	{
		va_list ap2;
		va_copy(ap2, ap);
		vsnprintf(g->msg_vi, sizeof(g->msg_vi), fmt_vi, ap2);
		va_end(ap2);
	}
	vsnprintf(g->msg_en, sizeof(g->msg_en), fmt_en, ap);
	va_end(ap);
	return code;
}

void cg_diags_clear(struct cg_diags *d)
{
	if (!d)
		return;
	cg_free(d->v);
	d->v = NULL;
	d->n = d->cap = d->dropped = 0;
}

const char *cg_diag_msg(const struct cg_diag *g)
{
	return cur_lang == CG_LANG_EN ? g->msg_en : g->msg_vi;
}

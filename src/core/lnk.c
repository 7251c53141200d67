/* lnk.c - [MS-SHLLINK] shell link parsing (see lnk.h). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "canhgac/lnk.h"
#include "text_int.h"
#include "banned.h"

#define HEADER_SIZE 0x4Cu
#define F_IDLIST 0x1u
#define F_LINKINFO 0x2u
#define F_UNICODE 0x80u
#define LI_LOCAL 0x1u
#define LI_NETWORK 0x2u

static const uint8_t link_clsid[16] = {0x01, 0x14, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
                                       0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46};

struct rd {
	const uint8_t *b;
	size_t n;
	const char *src;
	struct cg_diags *d;
};

static uint16_t u16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int bad(const struct rd *r, const char *field, size_t off)
{
	return cg_diags_add(r->d, CG_EPARSE, r->src, 0, 0,
	                    CG_MSG("tệp lối tắt hỏng: trường %s ở vị trí %zu vượt ra ngoài tệp",
	                           "malformed shortcut: field %s at offset %zu runs past the file"),
	                    field, off);
}

/* Decodes n bytes (UTF-16LE when wide, else Windows-1258) to capped UTF-8. */
static int decode(const uint8_t *p, size_t n, int wide, char **out)
{
	struct cg_sbuf sb = {.max = CG_MAX_LNK_STRING};
	int rc = wide ? cg_utf16_to_utf8(p, n & ~(size_t)1, 1, &sb) : cg_cp1258_to_utf8(p, n, &sb);
	if (rc) {
		cg_sbuf_free(&sb);
		return rc;
	}
	*out = cg_sbuf_take(&sb);
	return *out ? CG_OK : CG_ENOMEM;
}

/* A NUL-terminated string at off (narrow, or UTF-16LE when wide) within [off, end). */
static int cstr_at(const struct rd *r, size_t off, size_t end, int wide, const char *field,
                   char **out)
{
	size_t i = off;
	if (off >= end)
		return bad(r, field, off);
	if (!wide) {
		while (i < end && r->b[i])
			i++;
	} else {
		while (i + 1 < end && (r->b[i] || r->b[i + 1]))
			i += 2;
		if (i + 1 >= end)
			i = end;
	}
	if (i >= end)
		return bad(r, field, off);
	return decode(r->b + off, i - off, wide, out);
}

/* LinkInfo at *pos: the local base path (plus the common suffix) or the network path. */
static int link_info(const struct rd *r, size_t *pos, char **target)
{
	size_t at = *pos, size, hsize, end;
	uint32_t fl;
	char *base = NULL, *suffix = NULL;
	int rc;

	if (r->n - at < 0x1C)
		return bad(r, "LinkInfo", at);
	size = u32(r->b + at);
	hsize = u32(r->b + at + 4);
	fl = u32(r->b + at + 8);
	if (size < 0x1C || size > r->n - at || hsize < 0x1C || hsize > size)
		return bad(r, "LinkInfoSize", at);
	end = at + size;
	*pos = end;
	if (fl & LI_LOCAL) {
		int wide = hsize >= 0x24;
		size_t o = wide ? u32(r->b + at + 0x1C) : u32(r->b + at + 0x10);
		if ((rc = cstr_at(r, at + o, end, wide, "LocalBasePath", &base)) != 0)
			return rc;
		o = wide ? u32(r->b + at + 0x20) : u32(r->b + at + 0x18);
		if (o && cstr_at(r, at + o, end, wide, "CommonPathSuffix", &suffix) == 0 &&
		    *suffix) {
			size_t a = strlen(base), b = strlen(suffix);
			char *j = cg_malloc(a + b + 2);
			if (!j) {
				rc = CG_ENOMEM;
				goto out;
			}
			snprintf(j, a + b + 2, "%s%s%s", base,
			         a && base[a - 1] != '\\' && suffix[0] != '\\' ? "\\" : "", suffix);
			cg_free(base);
			base = j;
		}
		*target = base;
		base = NULL;
	} else if (fl & LI_NETWORK) {
		size_t o = u32(r->b + at + 0x14), net = at + o;
		if (o < hsize || net > end || end - net < 0x14)
			return bad(r, "CommonNetworkRelativeLink", net);
		if ((rc = cstr_at(r, net + u32(r->b + net + 8), end, 0, "NetName", &base)) != 0)
			return rc;
		*target = base;
		base = NULL;
	}
	rc = CG_OK;
out:
	cg_free(base);
	cg_free(suffix);
	return rc;
}

/* Offset of the long name inside a 0xBEEF0004 extension block, by the block's version. */
static size_t beef4_name_offset(unsigned ver)
{
	return ver >= 9 ? 0x2E : ver == 8 ? 0x2A : ver == 7 ? 0x26 : 0x14;
}

static int add_part(struct cg_sbuf *sb, int rc)
{
	return rc ? rc : cg_sbuf_addc(sb, '\\');
}

/* Appends one IDList item's name: the drive of a volume item ("C:\"), or the long (else short)
 * name of a file-entry item. Other items (the root CLSID, network places) add nothing. */
static int idlist_item(const uint8_t *p, size_t n, struct cg_sbuf *sb)
{
	uint8_t type = n > 2 ? p[2] : 0;
	size_t e = 14;
	if ((type & 0x70) == 0x20 && n >= 6 && p[4] == ':') {
		sb->n = 0; /* a drive starts the path again */
		return add_part(sb, cg_cp1258_to_utf8(p + 3, 2, sb));
	}
	if ((type & 0x70) != 0x30 || n < 16)
		return CG_OK;
	/* file entry: short name at 14; an extension block 0xBEEF0004 may hold the long name */
	for (size_t i = 14; i + 8 <= n; i += 2) {
		size_t bl, s, end;
		if (u32(p + i + 4) != 0xBEEF0004u)
			continue;
		bl = u16(p + i);
		if (bl < 0x14 || bl > n - i)
			break;
		s = i + beef4_name_offset(u16(p + i + 2));
		end = i + bl;
		for (size_t k = s; k + 1 < end; k += 2)
			if (!p[k] && !p[k + 1]) {
				if (k > s)
					return add_part(sb, cg_utf16_to_utf8(p + s, k - s, 1, sb));
				break;
			}
		break;
	}
	while (e < n && p[e])
		e++;
	if (e == 14 || e >= n)
		return CG_OK;
	return add_part(sb, cg_cp1258_to_utf8(p + 14, e - 14, sb));
}

static int idlist(const struct rd *r, size_t *pos, char **target)
{
	size_t at = *pos, size, i, end;
	struct cg_sbuf sb = {.max = CG_MAX_LNK_STRING};
	int rc = CG_OK;

	if (r->n - at < 2)
		return bad(r, "IDListSize", at);
	size = u16(r->b + at);
	if (size > r->n - at - 2)
		return bad(r, "IDListSize", at);
	end = at + 2 + size;
	*pos = end;
	for (i = at + 2; i + 2 <= end;) {
		size_t is = u16(r->b + i);
		if (is == 0)
			break;
		if (is < 2 || is > end - i) {
			rc = bad(r, "ItemID", i);
			goto out;
		}
		if ((rc = idlist_item(r->b + i, is, &sb)) != 0)
			goto out;
		i += is;
	}
	if (sb.n > 3 && sb.p[sb.n - 1] == '\\')
		sb.p[--sb.n] = '\0';
	if (sb.n && !*target)
		*target = cg_sbuf_take(&sb);
out:
	cg_sbuf_free(&sb);
	return rc;
}

static int string_data(const struct rd *r, size_t *pos, int wide, const char *field, char **out)
{
	size_t at = *pos, chars, bytes;
	if (r->n - at < 2)
		return bad(r, field, at);
	chars = u16(r->b + at);
	bytes = wide ? chars * 2 : chars;
	if (bytes > r->n - at - 2)
		return bad(r, field, at);
	*pos = at + 2 + bytes;
	return decode(r->b + at + 2, bytes, wide, out);
}

int cg_lnk_parse(const uint8_t *buf, size_t len, const char *source, struct cg_lnk *out,
                 struct cg_diags *d)
{
	struct rd r = {buf, len, source ? source : "", d};
	size_t pos = HEADER_SIZE;
	char *idl_target = NULL;
	char **fields[5];
	int rc;

	memset(out, 0, sizeof(*out));
	if (len > CG_MAX_LNK_FILE)
		return CG_ELIMIT;
	if (len < HEADER_SIZE || u32(buf) != HEADER_SIZE || memcmp(buf + 4, link_clsid, 16) != 0)
		return cg_diags_add(d, CG_EPARSE, r.src, 0, 0,
		                    CG_MSG("không phải tệp lối tắt Windows (.lnk)",
		                           "not a Windows shortcut (.lnk)"));
	out->flags = u32(buf + 0x14);
	out->file_attrs = u32(buf + 0x18);
	out->show_cmd = u32(buf + 0x3C);
	if ((out->flags & F_IDLIST) && (rc = idlist(&r, &pos, &idl_target)) != 0)
		goto out;
	if ((out->flags & F_LINKINFO) && (rc = link_info(&r, &pos, &out->target)) != 0)
		goto out;
	if (!out->target) {
		out->target = idl_target;
		idl_target = NULL;
	}
	fields[0] = &out->name;
	fields[1] = &out->relative_path;
	fields[2] = &out->working_dir;
	fields[3] = &out->arguments;
	fields[4] = &out->icon_location;
	for (int i = 0; i < 5; i++) {
		static const char *names[5] = {"NAME_STRING", "RELATIVE_PATH", "WORKING_DIR",
		                               "COMMAND_LINE_ARGUMENTS", "ICON_LOCATION"};
		if (!(out->flags & (0x4u << i)))
			continue;
		rc = string_data(&r, &pos, (out->flags & F_UNICODE) != 0, names[i], fields[i]);
		if (rc)
			goto out;
	}
	rc = CG_OK;
out:
	cg_free(idl_target);
	if (rc)
		cg_lnk_clear(out);
	return rc;
}

void cg_lnk_clear(struct cg_lnk *l)
{
	if (!l)
		return;
	cg_free(l->target);
	cg_free(l->name);
	cg_free(l->relative_path);
	cg_free(l->working_dir);
	cg_free(l->arguments);
	cg_free(l->icon_location);
	memset(l, 0, sizeof(*l));
}

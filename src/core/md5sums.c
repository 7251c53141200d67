/* md5sums.c - parser of dpkg's info/PKG.md5sums lines (pure; used by the dpkg guard). */
#include <stdint.h>
#include <string.h>

#include "canhgac/dpkg.h"
#include "canhgac/error.h"
#include "canhgac/hashsig.h"
#include "canhgac/limits.h"
#include "banned.h"

int cg_dpkg_parse_line(const char *line, size_t len, uint8_t md5[16], const char **path,
                       size_t *pathlen)
{
	size_t i;

	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len < 34)
		return CG_EPARSE;
	for (i = 0; i < 16; i++) {
		int hi = cg_hex_digit((unsigned char)line[2 * i]),
		    lo = cg_hex_digit((unsigned char)line[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return CG_EPARSE;
		md5[i] = (uint8_t)(hi << 4 | lo);
	}
	if (line[32] != ' ')
		return CG_EPARSE;
	for (i = 33; i < len && line[i] == ' '; i++)
		;
	if (i < len && line[i] == '*')
		i++;
	if (i >= len || memchr(line + i, '\0', len - i))
		return CG_EPARSE;
	*path = line + i;
	*pathlen = len - i;
	return CG_OK;
}

int cg_dpkg_parse_md5sums(const char *buf, size_t len, const char *src,
                          int (*cb)(void *arg, const uint8_t md5[16], const char *path,
                                    size_t pathlen),
                          void *arg, struct cg_diags *d)
{
	size_t pos = 0;
	unsigned long lineno = 0;

	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		const char *path;
		size_t plen;
		uint8_t md5[16];
		int rc;

		lineno++;
		if (llen == 0 || (llen == 1 && buf[pos] == '\r')) {
			/* blank lines are tolerated silently */
		} else if (llen > CG_DPKG_MAX_LINE) {
			cg_diags_add(d, CG_ELIMIT, src, lineno, 0,
			             CG_MSG("dòng dài quá %d byte, bỏ qua",
			                    "line longer than %d bytes, skipped"),
			             CG_DPKG_MAX_LINE);
		} else if (cg_dpkg_parse_line(buf + pos, llen, md5, &path, &plen)) {
			cg_diags_add(
			    d, CG_EPARSE, src, lineno, 0,
			    CG_MSG("dòng md5sums sai định dạng (cần '<32 ký tự hex>  <đường "
			           "dẫn>'), bỏ qua",
			           "malformed md5sums line (expected '<32 hex>  <path>'), "
			           "skipped"));
		} else if ((rc = cb(arg, md5, path, plen)) != 0) {
			return rc;
		}
		pos += llen + (nl ? 1 : 0);
	}
	return CG_OK;
}

/* iplist.c - plain IP list files (see iplist.h). */
#include <string.h>

#include "canhgac/iplist.h"
#include "canhgac/limits.h"
#include "banned.h"

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static int ends_field(char c)
{
	return is_blank(c) || c == ',' || c == ';' || c == '#';
}

/* The entry text of one line: [*p, *p + return); 0 for a comment or blank line. */
static size_t entry_of(const char *s, size_t n, const char **p)
{
	size_t i = 0, e, q;
	while (i < n && is_blank(s[i]))
		i++;
	if (i == n || s[i] == '#' || s[i] == ';')
		return 0;
	e = i;
	while (e < n && !ends_field(s[e]))
		e++;
	q = e;
	while (q < n && is_blank(s[q]))
		q++;
	if (q < n && s[q] == '-' && e > i && s[e - 1] != '-') { /* "LO - HI" */
		q++;
		while (q < n && is_blank(s[q]))
			q++;
		e = q;
		while (e < n && !ends_field(s[e]))
			e++;
	}
	*p = s + i;
	return e - i;
}

static int one_line(const char *s, size_t n, const char *source, unsigned long lineno,
                    cg_iplist_cb cb, void *arg, struct cg_diags *d, size_t *nbad)
{
	struct cg_prefix px[CG_MAX_RANGE_PREFIXES];
	const char *p = NULL;
	size_t en = entry_of(s, n, &p), np = 0;
	uint16_t port = 0;
	int rc;

	if (en == 0)
		return 0;
	if (cg_ip_scan4(p, en, &px[0].ip) == en) { /* the common line: one IPv4 address */
		px[0].len = 32;
		return cb(arg, &px[0], 0, lineno);
	}
	rc = cg_ip_entry_parse(p, en, px, CG_MAX_RANGE_PREFIXES, &np, &port);
	if (rc) {
		(*nbad)++;
		if (rc == CG_ELIMIT)
			cg_diags_add(d, CG_ELIMIT, source, lineno, 0,
			             CG_MSG("dải địa chỉ cần quá %d tiền tố: %.*s",
			                    "range needs more than %d prefixes: %.*s"),
			             CG_MAX_RANGE_PREFIXES, (int)(en > 80 ? 80 : en), p);
		else
			cg_diags_add(d, CG_EPARSE, source, lineno, 0,
			             CG_MSG("không phải địa chỉ IP, dải hay tiền tố: '%.*s'",
			                    "not an IP address, range or prefix: '%.*s'"),
			             (int)(en > 80 ? 80 : en), p);
		return 0;
	}
	for (size_t k = 0; k < np; k++) {
		rc = cb(arg, &px[k], port, lineno);
		if (rc)
			return rc;
	}
	return 0;
}

int cg_iplist_parse(const char *buf, size_t len, const char *source, cg_iplist_cb cb, void *arg,
                    struct cg_diags *d, size_t *nbad)
{
	size_t pos = 0;
	unsigned long lineno = 0;

	*nbad = 0;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - buf) : len;
		int rc;
		lineno++;
		if (end - pos > CG_MAX_LINE) {
			(*nbad)++;
			cg_diags_add(d, CG_ELIMIT, source, lineno, 0,
			             CG_MSG("dòng dài quá %d byte", "line longer than %d bytes"),
			             CG_MAX_LINE);
		} else {
			rc = one_line(buf + pos, end - pos, source, lineno, cb, arg, d, nbad);
			if (rc)
				return rc;
		}
		pos = end + 1;
	}
	return 0;
}

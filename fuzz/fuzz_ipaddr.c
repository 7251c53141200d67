/* fuzz_ipaddr.c - fuzzes address, prefix, range and list-entry text and plain list files. The
 * first byte picks the parser; whatever parses must format and parse back to the same value,
 * and an IP set built from a list must find every listed prefix. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/iplist.h"
#include "canhgac/ipset.h"
#include "canhgac/limits.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void roundtrip(const struct cg_ip *ip)
{
	char t[CG_IP_STRLEN];
	struct cg_ip back;
	size_t n = cg_ip_format(ip, t, sizeof(t));
	if (n == 0 || cg_ip_parse(t, n, &back) != 0 || cg_ip_cmp(ip, &back) != 0)
		abort();
}

struct listed {
	struct cg_ipset *set;
	struct cg_prefix p[64];
	size_t n;
};

static int add(void *arg, const struct cg_prefix *p, uint16_t port, unsigned long line)
{
	struct listed *l = arg;
	(void)port;
	if (l->n < 64)
		l->p[l->n++] = *p;
	return cg_ipset_add(l->set, p, (uint32_t)line) == CG_ENOMEM ? CG_ENOMEM : 0;
}

static void list_file(const char *s, size_t n)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct listed l;
	size_t nbad;
	l.n = 0;
	if (cg_ipset_new(&l.set))
		return;
	if (cg_iplist_parse(s, n, "fuzz", add, &l, &d, &nbad) == 0 && cg_ipset_build(l.set) == 0)
		for (size_t i = 0; i < l.n; i++)
			if (!cg_ipset_lookup(l.set, &l.p[i].ip, NULL))
				abort();
	cg_ipset_free(l.set);
	cg_diags_clear(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data + 1;
	struct cg_prefix p[CG_MAX_RANGE_PREFIXES];
	struct cg_ip ip;
	size_t n, np;
	uint16_t port;

	if (size < 1)
		return 0;
	n = size - 1;
	switch (data[0] % 4) {
	case 0:
		if (cg_ip_parse(s, n, &ip) == 0)
			roundtrip(&ip);
		if (cg_ip_scan4(s, n, &ip) > n || cg_ip_scan6(s, n, &ip) > n)
			abort();
		break;
	case 1:
		if (cg_prefix_parse(s, n, &p[0]) == 0) {
			roundtrip(&p[0].ip);
			if (!cg_prefix_contains(&p[0], &p[0].ip))
				abort();
		}
		break;
	case 2:
		if (cg_ip_entry_parse(s, n, p, CG_MAX_RANGE_PREFIXES, &np, &port) == 0)
			for (size_t i = 0; i < np; i++)
				roundtrip(&p[i].ip);
		break;
	default:
		list_file(s, n);
		break;
	}
	return 0;
}

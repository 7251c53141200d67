/* wininv_ext.c - the optional parts of the Windows inventory (wininv.h): installed programs,
 * security settings, antivirus, administrators, auto-start entries, network addresses. The
 * adders the collector and the parser share, and clearing. JSON lives in wininv_json.c. */
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/feed.h"
#include "canhgac/limits.h"
#include "canhgac/wininv.h"
#include "wininv_int.h"
#include "banned.h"

const char *cg_tri_name(enum cg_tri t)
{
	return t == CG_TRI_YES ? "yes" : t == CG_TRI_NO ? "no" : "?";
}

/* A copy of s cut to at most cap bytes without splitting a UTF-8 character; NULL stays NULL.
 * *oom is set when the copy failed. */
char *cg_wininv_dup(const char *s, size_t cap, int *oom)
{
	size_t n;
	char *t;

	if (!s)
		return NULL;
	n = strlen(s);
	if (n > cap) {
		n = cap;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	t = cg_strndup(s, n);
	*oom |= !t;
	return t;
}

/* Grows a list by one slot (zeroed). Lists are filled once, so growing by doubling from the
 * count (the capacity is not kept) costs little. */
static int grow(void **v, size_t n, size_t size, size_t max)
{
	void *p;
	if (n >= max)
		return CG_ELIMIT;
	/* a power of two at or above n + 1 stays the same for many calls: realloc is a no-op */
	size_t cap = 1;
	while (cap < n + 1)
		cap *= 2;
	if (!(p = cg_realloc(*v, (cap > max ? max : cap) * size)))
		return CG_ENOMEM;
	*v = p;
	memset((char *)p + n * size, 0, size);
	return 0;
}

int cg_wininv_add_program(struct cg_wininv *inv, const char *name, const char *version,
                          const char *publisher, enum cg_wininv_hive hive, unsigned view)
{
	struct cg_wininv_program *p;
	int oom = 0, rc;

	if (!name || !*name || (view != 32 && view != 64) ||
	    (hive != CG_HIVE_HKLM && hive != CG_HIVE_HKCU))
		return CG_EINVAL;
	rc = grow((void **)&inv->programs, inv->nprograms, sizeof(*p), CG_MAX_WININV_PROGRAMS);
	if (rc)
		return rc;
	p = &inv->programs[inv->nprograms];
	p->name = cg_wininv_dup(name, CG_MAX_WININV_FIELD, &oom);
	p->version = cg_wininv_dup(version && *version ? version : NULL, CG_MAX_WININV_FIELD, &oom);
	p->publisher =
	    cg_wininv_dup(publisher && *publisher ? publisher : NULL, CG_MAX_WININV_FIELD, &oom);
	p->hive = hive;
	p->view = view;
	inv->nprograms++;
	return oom ? CG_ENOMEM : 0;
}

int cg_wininv_add_av(struct cg_wininv *inv, const char *name, const char *source,
                     struct cg_wininv_av **out)
{
	struct cg_wininv_av *a;
	int oom = 0, rc;

	if (!name || !*name || !source || !*source)
		return CG_EINVAL;
	if ((rc = grow((void **)&inv->av, inv->nav, sizeof(*a), CG_MAX_WININV_AV)) != 0)
		return rc;
	a = &inv->av[inv->nav++];
	a->sig_updated = CG_TIME_NONE;
	a->name = cg_wininv_dup(name, CG_MAX_WININV_FIELD, &oom);
	a->source = cg_wininv_dup(source, CG_MAX_WININV_FIELD, &oom);
	if (out)
		*out = a;
	return oom ? CG_ENOMEM : 0;
}

int cg_wininv_add_admin(struct cg_wininv *inv, const char *member)
{
	int oom = 0, rc;

	if (!member || !*member)
		return CG_EINVAL;
	rc = grow((void **)&inv->admins, inv->nadmins, sizeof(char *), CG_MAX_WININV_ADMINS);
	if (rc)
		return rc;
	inv->admins[inv->nadmins] = cg_wininv_dup(member, CG_MAX_WININV_FIELD, &oom);
	if (oom)
		return CG_ENOMEM;
	inv->nadmins++;
	return 0;
}

int cg_wininv_add_autorun(struct cg_wininv *inv, const char *kind, const char *location,
                          const char *name, const char *command)
{
	struct cg_wininv_autorun *a;
	int oom = 0, rc;

	if (!kind || !*kind || !location || !*location || !name || !*name)
		return CG_EINVAL;
	rc = grow((void **)&inv->autoruns, inv->nautoruns, sizeof(*a), CG_MAX_WININV_AUTORUNS);
	if (rc)
		return rc;
	a = &inv->autoruns[inv->nautoruns++];
	a->kind = cg_wininv_dup(kind, CG_MAX_WININV_FIELD, &oom);
	a->location = cg_wininv_dup(location, CG_MAX_WININV_FIELD, &oom);
	a->name = cg_wininv_dup(name, CG_MAX_WININV_FIELD, &oom);
	a->command =
	    cg_wininv_dup(command && *command ? command : NULL, CG_MAX_WININV_COMMAND, &oom);
	return oom ? CG_ENOMEM : 0;
}

int cg_wininv_add_adapter(struct cg_wininv *inv, const char *name, const char *mac)
{
	struct cg_wininv_adapter *a;
	int oom = 0, rc;

	if (!name || !*name)
		return CG_EINVAL;
	rc = grow((void **)&inv->adapters, inv->nadapters, sizeof(*a), CG_MAX_WININV_ADAPTERS);
	if (rc)
		return rc;
	a = &inv->adapters[inv->nadapters++];
	a->name = cg_wininv_dup(name, CG_MAX_WININV_FIELD, &oom);
	a->mac = cg_wininv_dup(mac && *mac ? mac : NULL, CG_MAX_WININV_FIELD, &oom);
	return oom ? CG_ENOMEM : 0;
}

int cg_wininv_add_addr(struct cg_wininv *inv, const char *addr)
{
	struct cg_wininv_adapter *a;
	int oom = 0, rc;

	if (!inv->nadapters || !addr || !*addr)
		return CG_EINVAL;
	a = &inv->adapters[inv->nadapters - 1];
	if ((rc = grow((void **)&a->addrs, a->naddrs, sizeof(char *), CG_MAX_WININV_ADDRS)) != 0)
		return rc;
	a->addrs[a->naddrs] = cg_wininv_dup(addr, CG_MAX_WININV_FIELD, &oom);
	if (oom)
		return CG_ENOMEM;
	a->naddrs++;
	return 0;
}

void cg_wininv_ext_clear(struct cg_wininv *inv)
{
	for (size_t i = 0; i < inv->nprograms; i++) {
		cg_free(inv->programs[i].name);
		cg_free(inv->programs[i].version);
		cg_free(inv->programs[i].publisher);
	}
	cg_free(inv->programs);
	for (size_t i = 0; i < inv->nav; i++) {
		cg_free(inv->av[i].name);
		cg_free(inv->av[i].source);
		cg_free(inv->av[i].sig_version);
	}
	cg_free(inv->av);
	for (size_t i = 0; i < inv->nadmins; i++)
		cg_free(inv->admins[i]);
	cg_free(inv->admins);
	for (size_t i = 0; i < inv->nautoruns; i++) {
		cg_free(inv->autoruns[i].kind);
		cg_free(inv->autoruns[i].location);
		cg_free(inv->autoruns[i].name);
		cg_free(inv->autoruns[i].command);
	}
	cg_free(inv->autoruns);
	for (size_t i = 0; i < inv->nadapters; i++) {
		struct cg_wininv_adapter *a = &inv->adapters[i];
		cg_free(a->name);
		cg_free(a->mac);
		for (size_t j = 0; j < a->naddrs; j++)
			cg_free(a->addrs[j]);
		cg_free(a->addrs);
	}
	cg_free(inv->adapters);
}

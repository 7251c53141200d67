/* wininv.c - the Windows inventory (wininv.h): its JSON form read and written with jansson. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/feed.h"
#include "canhgac/limits.h"
#include "canhgac/timeutil.h"
#include "canhgac/wininv.h"
#include "feed_json.h"
#include "msrc_int.h"
#include "wininv_int.h"
#include "banned.h"

void cg_wininv_clear(struct cg_wininv *inv)
{
	if (!inv)
		return;
	cg_free(inv->hostname);
	cg_free(inv->product_name);
	cg_free(inv->edition_id);
	cg_free(inv->display_version);
	cg_free(inv->arch);
	for (size_t i = 0; i < inv->nkbs; i++)
		cg_free(inv->kbs[i]);
	cg_free(inv->kbs);
	cg_wininv_ext_clear(inv);
	memset(inv, 0, sizeof(*inv));
}

static int kb_find(const struct cg_wininv *inv, const char *kb, size_t *at)
{
	size_t lo = 0, hi = inv->nkbs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(inv->kbs[mid], kb);
		if (c == 0) {
			*at = mid;
			return 1;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*at = lo;
	return 0;
}

int cg_wininv_add_kb(struct cg_wininv *inv, const char *kb)
{
	char k[16];
	size_t at, cap = inv->nkbs;
	char **v, *s;

	if (!kb || cg_msrc_kb(kb, strlen(kb), k) != 0)
		return CG_EINVAL;
	if (kb_find(inv, k, &at))
		return 0;
	if (inv->nkbs >= CG_MAX_WININV_KBS)
		return CG_ELIMIT;
	/* the list is filled once, so growing one slot at a time costs little */
	if (!(v = cg_realloc(inv->kbs, (cap + 1) * sizeof(*v))))
		return CG_ENOMEM;
	inv->kbs = v;
	if (!(s = cg_strdup(k)))
		return CG_ENOMEM;
	memmove(v + at + 1, v + at, (inv->nkbs - at) * sizeof(*v));
	v[at] = s;
	inv->nkbs++;
	return 0;
}

int cg_wininv_has_kb(const struct cg_wininv *inv, const char *kb)
{
	char k[16];
	size_t at;
	return kb && cg_msrc_kb(kb, strlen(kb), k) == 0 && kb_find(inv, k, &at);
}

/* NT version of a build when the inventory does not say it. */
static void version_of_build(struct cg_wininv *inv)
{
	uint32_t b = inv->build;
	inv->major = b >= 10240 ? 10 : 6;
	inv->minor = b >= 10240 ? 0 : b >= 9600 ? 3 : b >= 9200 ? 2 : b >= 7600 ? 1 : 0;
}

void cg_wininv_version(const struct cg_wininv *inv, char *out, size_t cap)
{
	snprintf(out, cap, "%u.%u.%u.%u", inv->major, inv->minor, inv->build, inv->ubr);
}

static int str_field(json_t *o, const char *key, char **out, int *oom)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v) || json_string_length(v) == 0 ||
	    json_string_length(v) > CG_MAX_WININV_FIELD ||
	    strlen(json_string_value(v)) != json_string_length(v))
		return -1;
	*out = cg_strdup(json_string_value(v));
	*oom |= !*out;
	return 0;
}

static int uint_field(json_t *o, const char *key, uint32_t *out, int required)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return required ? -1 : 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 999999999)
		return -1;
	*out = (uint32_t)json_integer_value(v);
	return 0;
}

static void arch_norm(char *a)
{
	if (!a)
		return;
	if (strcasecmp(a, "amd64") == 0 || strcasecmp(a, "x86_64") == 0 ||
	    strcasecmp(a, "64-bit") == 0 || strcasecmp(a, "x64") == 0)
		snprintf(a, strlen(a) + 1, "x64");
	else if (strcasecmp(a, "x86") == 0 || strcasecmp(a, "32-bit") == 0 ||
	         strcasecmp(a, "i386") == 0 || strcasecmp(a, "i686") == 0)
		snprintf(a, strlen(a) + 1, "x86");
	else if (strcasecmp(a, "arm64") == 0 || strcasecmp(a, "aarch64") == 0)
		snprintf(a, strlen(a) + 1, "arm64");
}

static int os_fields(json_t *os, struct cg_wininv *inv, const char *src, struct cg_diags *d)
{
	const char *ver;
	int oom = 0, bad = 0;

	bad |= str_field(os, "product_name", &inv->product_name, &oom) || !inv->product_name;
	bad |= str_field(os, "edition_id", &inv->edition_id, &oom);
	bad |= str_field(os, "display_version", &inv->display_version, &oom);
	bad |= str_field(os, "arch", &inv->arch, &oom);
	bad |= uint_field(os, "build", &inv->build, 1) || inv->build == 0;
	bad |= uint_field(os, "ubr", &inv->ubr, 0);
	if (oom)
		return CG_ENOMEM;
	if (bad)
		return cg_diags_add(d, CG_EPARSE, src, 0, 0,
		                    CG_MSG("\"os\" cần product_name (chữ) và build (số dương); các "
		                           "trường khác phải đúng kiểu",
		                           "\"os\" needs product_name (text) and build (a positive "
		                           "number); other members must have the right type"));
	arch_norm(inv->arch);
	version_of_build(inv);
	ver = cg_fj_str(os, "version");
	if (ver && sscanf(ver, "%u.%u", &inv->major, &inv->minor) != 2)
		version_of_build(inv);
	return 0;
}

static int hotfixes(json_t *arr, struct cg_wininv *inv, const char *src, struct cg_diags *d)
{
	json_t *x;
	size_t i;

	if (arr && !json_is_array(arr))
		return cg_diags_add(
		    d, CG_EPARSE, src, 0, 0,
		    CG_MSG("\"hotfixes\" phải là mảng", "\"hotfixes\" must be an array"));
	if (json_array_size(arr) > CG_MAX_WININV_KBS)
		return cg_diags_add(d, CG_ELIMIT, src, 0, 0,
		                    CG_MSG("quá %d bản cập nhật", "more than %d updates"),
		                    CG_MAX_WININV_KBS);
	json_array_foreach(arr, i, x)
	{
		int rc = cg_wininv_add_kb(inv, json_string_value(x));
		if (rc == CG_EINVAL)
			cg_diags_add(d, CG_EPARSE, src, 0, 0,
			             CG_MSG("hotfixes[%zu]: không phải số KB; bỏ qua",
			                    "hotfixes[%zu]: not a KB number; skipped"),
			             i);
		else if (rc)
			return rc;
	}
	return 0;
}

int cg_wininv_parse_json(const uint8_t *buf, size_t len, const char *source, struct cg_wininv *inv,
                         struct cg_diags *d)
{
	const char *src = source ? source : "?";
	json_t *root = NULL, *os;
	int oom = 0, rc;

	memset(inv, 0, sizeof(*inv));
	inv->collected = CG_TIME_NONE;
	if (len > CG_MAX_WININV_FILE)
		return cg_diags_add(d, CG_ELIMIT, src, 0, 0,
		                    CG_MSG("tệp lớn hơn %lu byte", "file larger than %lu bytes"),
		                    (unsigned long)CG_MAX_WININV_FILE);
	if ((rc = cg_msrc_load(buf, len, src, &root, d)) != 0)
		return rc;
	os = json_object_get(root, "os");
	if (!json_is_object(os)) {
		rc = cg_diags_add(d, CG_EPARSE, src, 0, 0,
		                  CG_MSG("không phải bản kiểm kê Windows (thiếu \"os\")",
		                         "not a Windows inventory (no \"os\")"));
		goto out;
	}
	if ((rc = os_fields(os, inv, src, d)) != 0)
		goto out;
	if (str_field(root, "hostname", &inv->hostname, &oom) && !oom)
		cg_diags_add(
		    d, CG_EPARSE, src, 0, 0,
		    CG_MSG("\"hostname\" không hợp lệ; bỏ qua", "invalid \"hostname\"; ignored"));
	rc = oom ? CG_ENOMEM : hotfixes(json_object_get(root, "hotfixes"), inv, src, d);
	if (rc == 0)
		rc = cg_wininv_ext_parse(root, inv, src, d);
	inv->collected = cg_fj_time(root, "collected");
out:
	json_decref(root);
	if (rc)
		cg_wininv_clear(inv);
	return rc;
}

char *cg_wininv_to_json(const struct cg_wininv *inv)
{
	json_t *kbs = json_array(), *o;
	char ver[32], *t;

	for (size_t i = 0; kbs && i < inv->nkbs; i++)
		json_array_append_new(kbs, json_string(inv->kbs[i]));
	snprintf(ver, sizeof(ver), "%u.%u", inv->major, inv->minor);
	o = kbs ? json_pack("{s:s,s:s?,s:{s:s,s:s?,s:s?,s:s,s:I,s:I,s:s?},s:o}", "schema",
	                    CG_WININV_SCHEMA, "hostname", inv->hostname, "os", "product_name",
	                    inv->product_name ? inv->product_name : "", "edition_id",
	                    inv->edition_id, "display_version", inv->display_version, "version",
	                    ver, "build", (json_int_t)inv->build, "ubr", (json_int_t)inv->ubr,
	                    "arch", inv->arch, "hotfixes", kbs)
	        : NULL;
	if (o && cg_wininv_ext_json(inv, o) != 0) {
		json_decref(o);
		return NULL;
	}
	if (o && inv->collected != CG_TIME_NONE) {
		char ts[32];
		cg_time_iso8601_ms(ts, inv->collected * 1000);
		if (json_object_set_new(o, "collected", json_string(ts)) != 0) {
			json_decref(o);
			return NULL;
		}
	}
	t = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	json_decref(o);
	return t;
}

/* wininv_json.c - the JSON form of the optional parts of the Windows inventory (wininv.h):
 * "programs", "security", "admins", "autoruns", "network". Read leniently (a wrong entry is
 * reported and skipped), written compactly; absent facts are left out. */
#include <jansson.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/feed.h"
#include "canhgac/limits.h"
#include "canhgac/timeutil.h"
#include "canhgac/wininv.h"
#include "feed_json.h"
#include "wininv_int.h"
#include "banned.h"

static enum cg_tri tri_of(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	return json_is_true(v) ? CG_TRI_YES : json_is_false(v) ? CG_TRI_NO : CG_TRI_UNKNOWN;
}

/* The array member `key` checked against its cap; NULL when absent (or not an array: reported). */
static json_t *list_of(json_t *root, const char *key, size_t max, const char *src,
                       struct cg_diags *d, int *rc)
{
	json_t *a = json_object_get(root, key);
	if (!a || json_is_null(a))
		return NULL;
	if (!json_is_array(a)) {
		cg_diags_add(
		    d, CG_EPARSE, src, 0, 0,
		    CG_MSG("\"%s\" phải là mảng; bỏ qua", "\"%s\" must be an array; ignored"), key);
		return NULL;
	}
	if (json_array_size(a) > max) {
		*rc = cg_diags_add(d, CG_ELIMIT, src, 0, 0,
		                   CG_MSG("\"%s\": quá %zu mục", "\"%s\": more than %zu entries"),
		                   key, max);
		return NULL;
	}
	return a;
}

/* What an adder said about entry i of list key: 0 to go on, or the code to stop with. */
static int added(int rc, const char *key, size_t i, const char *src, struct cg_diags *d)
{
	if (rc != CG_EINVAL)
		return rc;
	cg_diags_add(d, CG_EPARSE, src, 0, 0,
	             CG_MSG("%s[%zu]: thiếu trường bắt buộc hoặc sai kiểu; bỏ qua",
	                    "%s[%zu]: a required member is missing or of the wrong type; skipped"),
	             key, i);
	return 0;
}

static int parse_programs(json_t *root, struct cg_wininv *inv, const char *src, struct cg_diags *d)
{
	int rc = 0;
	json_t *a = list_of(root, "programs", CG_MAX_WININV_PROGRAMS, src, d, &rc), *x;
	size_t i;

	json_array_foreach(a, i, x)
	{
		const char *hive = cg_fj_str(x, "hive");
		json_t *view = json_object_get(x, "view");
		enum cg_wininv_hive h =
		    hive && strcmp(hive, "HKCU") == 0 ? CG_HIVE_HKCU : CG_HIVE_HKLM;
		unsigned v = !view                   ? 64
		             : json_is_integer(view) ? (unsigned)json_integer_value(view)
		                                     : 0;
		if (hive && strcmp(hive, "HKLM") != 0 && strcmp(hive, "HKCU") != 0)
			v = 0; /* refused by the adder */
		rc = added(cg_wininv_add_program(inv, cg_fj_str(x, "name"), cg_fj_str(x, "version"),
		                                 cg_fj_str(x, "publisher"), h, v),
		           "programs", i, src, d);
		if (rc)
			break;
	}
	return rc;
}

static int parse_av(json_t *sec, struct cg_wininv *inv, const char *src, struct cg_diags *d)
{
	int rc = 0;
	json_t *a = list_of(sec, "antivirus", CG_MAX_WININV_AV, src, d, &rc), *x;
	size_t i;

	json_array_foreach(a, i, x)
	{
		struct cg_wininv_av *av = NULL;
		int oom = 0;
		rc = added(cg_wininv_add_av(inv, cg_fj_str(x, "name"), cg_fj_str(x, "source"), &av),
		           "antivirus", i, src, d);
		if (rc)
			break;
		if (!av)
			continue;
		av->enabled = tri_of(x, "enabled");
		av->realtime = tri_of(x, "realtime");
		av->up_to_date = tri_of(x, "up_to_date");
		av->sig_version =
		    cg_wininv_dup(cg_fj_str(x, "signature_version"), CG_MAX_WININV_FIELD, &oom);
		av->sig_updated = cg_fj_time(x, "signature_updated");
		if (oom)
			return CG_ENOMEM;
	}
	return rc;
}

static int parse_security(json_t *root, struct cg_wininv *inv, const char *src, struct cg_diags *d)
{
	json_t *sec = json_object_get(root, "security"), *fw;

	if (!sec || json_is_null(sec))
		return 0;
	if (!json_is_object(sec)) {
		cg_diags_add(d, CG_EPARSE, src, 0, 0,
		             CG_MSG("\"security\" phải là đối tượng; bỏ qua",
		                    "\"security\" must be an object; ignored"));
		return 0;
	}
	fw = json_object_get(sec, "firewall");
	inv->sec.fw_domain = tri_of(fw, "domain");
	inv->sec.fw_private = tri_of(fw, "private");
	inv->sec.fw_public = tri_of(fw, "public");
	inv->sec.smb1 = tri_of(sec, "smb1");
	inv->sec.rdp = tri_of(sec, "rdp");
	inv->sec.rdp_nla = tri_of(sec, "rdp_nla");
	return parse_av(sec, inv, src, d);
}

static int parse_admins_autoruns(json_t *root, struct cg_wininv *inv, const char *src,
                                 struct cg_diags *d)
{
	int rc = 0;
	json_t *a = list_of(root, "admins", CG_MAX_WININV_ADMINS, src, d, &rc), *x;
	size_t i;

	json_array_foreach(a, i, x)
	{
		if ((rc = added(cg_wininv_add_admin(inv, json_string_value(x)), "admins", i, src,
		                d)))
			return rc;
	}
	if (rc)
		return rc;
	a = list_of(root, "autoruns", CG_MAX_WININV_AUTORUNS, src, d, &rc);
	json_array_foreach(a, i, x)
	{
		rc = cg_wininv_add_autorun(inv, cg_fj_str(x, "kind"), cg_fj_str(x, "location"),
		                           cg_fj_str(x, "name"), cg_fj_str(x, "command"));
		if ((rc = added(rc, "autoruns", i, src, d)))
			return rc;
	}
	return rc;
}

static int parse_network(json_t *root, struct cg_wininv *inv, const char *src, struct cg_diags *d)
{
	int rc = 0;
	json_t *a = list_of(root, "network", CG_MAX_WININV_ADAPTERS, src, d, &rc), *x, *y;
	size_t i, j;

	json_array_foreach(a, i, x)
	{
		json_t *addrs = json_object_get(x, "addresses");
		rc = cg_wininv_add_adapter(inv, cg_fj_str(x, "adapter"), cg_fj_str(x, "mac"));
		if ((rc = added(rc, "network", i, src, d)) != 0)
			return rc;
		if (json_array_size(addrs) > CG_MAX_WININV_ADDRS)
			return cg_diags_add(d, CG_ELIMIT, src, 0, 0,
			                    CG_MSG("network[%zu]: quá %d địa chỉ",
			                           "network[%zu]: more than %d addresses"),
			                    i, CG_MAX_WININV_ADDRS);
		json_array_foreach(addrs, j, y)
		{
			if ((rc = added(cg_wininv_add_addr(inv, json_string_value(y)), "addresses",
			                j, src, d)) != 0)
				return rc;
		}
	}
	return rc;
}

int cg_wininv_ext_parse(json_t *root, struct cg_wininv *inv, const char *src, struct cg_diags *d)
{
	int rc = parse_programs(root, inv, src, d);
	if (rc == 0)
		rc = parse_security(root, inv, src, d);
	if (rc == 0)
		rc = parse_admins_autoruns(root, inv, src, d);
	if (rc == 0)
		rc = parse_network(root, inv, src, d);
	return rc;
}

/* Sets key to a boolean when the fact is known. */
static int set_tri(json_t *o, const char *key, enum cg_tri t)
{
	if (t == CG_TRI_UNKNOWN)
		return 0;
	return json_object_set_new(o, key, json_boolean(t == CG_TRI_YES));
}

/* Sets key to s when not NULL; a NULL value (out of memory) fails. */
static int set_str(json_t *o, const char *key, const char *s)
{
	return s ? json_object_set_new(o, key, json_string(s)) : 0;
}

static json_t *programs_json(const struct cg_wininv *inv)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < inv->nprograms; i++) {
		const struct cg_wininv_program *p = &inv->programs[i];
		json_t *o =
		    json_pack("{s:s,s:s*,s:s*,s:s,s:i}", "name", p->name, "version", p->version,
		              "publisher", p->publisher, "hive",
		              p->hive == CG_HIVE_HKCU ? "HKCU" : "HKLM", "view", (int)p->view);
		if (json_array_append_new(a, o) != 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *av_json(const struct cg_wininv_av *av)
{
	json_t *o = json_pack("{s:s,s:s}", "name", av->name, "source", av->source);
	char ts[32];
	int bad = !o;

	bad = bad || set_tri(o, "enabled", av->enabled) || set_tri(o, "realtime", av->realtime) ||
	      set_tri(o, "up_to_date", av->up_to_date) ||
	      set_str(o, "signature_version", av->sig_version);
	if (!bad && av->sig_updated != CG_TIME_NONE) {
		cg_time_iso8601_ms(ts, av->sig_updated * 1000);
		bad = set_str(o, "signature_updated", ts);
	}
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *security_json(const struct cg_wininv *inv)
{
	const struct cg_wininv_sec *s = &inv->sec;
	json_t *o = json_object(), *fw = json_object(), *av = json_array();
	int bad = !o || !fw || !av;

	bad = bad || set_tri(fw, "domain", s->fw_domain) || set_tri(fw, "private", s->fw_private) ||
	      set_tri(fw, "public", s->fw_public);
	for (size_t i = 0; !bad && i < inv->nav; i++)
		bad = json_array_append_new(av, av_json(&inv->av[i])) != 0;
	bad = bad || (json_object_size(fw) && json_object_set(o, "firewall", fw)) ||
	      set_tri(o, "smb1", s->smb1) || set_tri(o, "rdp", s->rdp) ||
	      set_tri(o, "rdp_nla", s->rdp_nla) ||
	      (json_array_size(av) && json_object_set(o, "antivirus", av));
	json_decref(fw);
	json_decref(av);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *lists_json(const struct cg_wininv *inv, json_t *o)
{
	json_t *ad = json_array(), *ar = json_array(), *net = json_array();
	int bad = !ad || !ar || !net;

	for (size_t i = 0; !bad && i < inv->nadmins; i++)
		bad = json_array_append_new(ad, json_string(inv->admins[i])) != 0;
	for (size_t i = 0; !bad && i < inv->nautoruns; i++) {
		const struct cg_wininv_autorun *a = &inv->autoruns[i];
		bad = json_array_append_new(ar, json_pack("{s:s,s:s,s:s,s:s*}", "kind", a->kind,
		                                          "location", a->location, "name", a->name,
		                                          "command", a->command)) != 0;
	}
	for (size_t i = 0; !bad && i < inv->nadapters; i++) {
		const struct cg_wininv_adapter *a = &inv->adapters[i];
		json_t *addrs = json_array();
		for (size_t j = 0; addrs && j < a->naddrs; j++)
			if (json_array_append_new(addrs, json_string(a->addrs[j])) != 0) {
				json_decref(addrs);
				addrs = NULL;
			}
		bad = json_array_append_new(net, json_pack("{s:s,s:s*,s:o*}", "adapter", a->name,
		                                           "mac", a->mac, "addresses", addrs)) != 0;
	}
	bad = bad || (inv->nadmins && json_object_set(o, "admins", ad)) ||
	      (inv->nautoruns && json_object_set(o, "autoruns", ar)) ||
	      (inv->nadapters && json_object_set(o, "network", net));
	json_decref(ad);
	json_decref(ar);
	json_decref(net);
	return bad ? NULL : o;
}

int cg_wininv_ext_json(const struct cg_wininv *inv, json_t *o)
{
	json_t *sec;

	if (inv->nprograms && json_object_set_new(o, "programs", programs_json(inv)) != 0)
		return CG_ENOMEM;
	if (!(sec = security_json(inv)))
		return CG_ENOMEM;
	if (json_object_size(sec) ? json_object_set_new(o, "security", sec) != 0
	                          : (json_decref(sec), 0))
		return CG_ENOMEM;
	return lists_json(inv, o) ? 0 : CG_ENOMEM;
}

/* facts.c - the host facts of the agent's heartbeat (host name, OS, machine id, addresses, MACs,
 * uptime) and the common fields of its events. What the OS tells comes from agent_os.h. */
#include <stdio.h>
#include <string.h>

#include "canhgac/agent.h"
#include "canhgac/alloc.h"
#include "canhgac/event.h"
#include "canhgac/sys.h"
#include "canhgac/timeutil.h"
#include "agent_os.h"
#include "banned.h"

static void copy(char *dst, size_t cap, const char *s)
{
	snprintf(dst, cap, "%s", s ? s : "");
}

static char hostname_override[64];

void cg_agent_facts_set_hostname(const char *name)
{
	snprintf(hostname_override, sizeof(hostname_override), "%s", name ? name : "");
}

void cg_agent_facts_get(struct cg_agent_facts *f)
{
	const struct cg_host_facts *h = cg_host_facts();

	memset(f, 0, sizeof(*f));
	copy(f->hostname, sizeof(f->hostname),
	     hostname_override[0] ? hostname_override : h->hostname);
	copy(f->os, sizeof(f->os), h->os);
	copy(f->machine_id, sizeof(f->machine_id), h->machine_id);
	cg_agent_os_facts(f);
}

json_t *cg_agent_facts_json(const struct cg_agent_facts *f)
{
	json_t *o = json_object(), *ips = json_array(), *macs = json_array();
	int bad = !o || !ips || !macs;

	for (size_t i = 0; !bad && i < f->n_ips; i++)
		bad |= json_array_append_new(ips, json_string(f->ips[i]));
	for (size_t i = 0; !bad && i < f->n_macs; i++)
		bad |= json_array_append_new(macs, json_string(f->macs[i]));
	if (!bad) {
		bad |= json_object_set_new(o, "hostname", json_string(f->hostname));
		bad |= json_object_set_new(o, "os", json_string(f->os));
		bad |= json_object_set_new(o, "os_version", json_string(f->os_version));
		bad |= json_object_set_new(o, "machine_id", json_string(f->machine_id));
		bad |= json_object_set(o, "ips", ips);
		bad |= json_object_set(o, "macs", macs);
		bad |= json_object_set_new(o, "uptime_s", json_integer(f->uptime_s));
	}
	json_decref(ips);
	json_decref(macs);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *cg_agent_event_new(const char *kind, int sev, int64_t now_ms)
{
	const struct cg_host_facts *h = cg_host_facts();
	json_t *o = json_object(), *host = json_object();
	char ts[32];
	int bad = !o || !host;

	cg_time_iso8601_ms(ts, now_ms);
	if (!bad) {
		bad |= json_object_set_new(o, "schema", json_string(CG_EVENT_SCHEMA));
		bad |= json_object_set_new(o, "time", json_string(ts));
		bad |= json_object_set_new(o, "time_ms", json_integer(now_ms));
		bad |= json_object_set_new(o, "kind", json_string(kind));
		bad |= json_object_set_new(o, "severity",
		                           json_string(cg_severity_name((enum cg_severity)sev)));
		bad |= json_object_set_new(o, "severity_level", json_integer(sev));
		if (hostname_override[0]) /* `hostname =` of agent.conf, as in the heartbeat */
			bad |=
			    json_object_set_new(host, "hostname", json_string(hostname_override));
		else if (h->hostname)
			bad |= json_object_set_new(host, "hostname", json_string(h->hostname));
		if (h->os)
			bad |= json_object_set_new(host, "os", json_string(h->os));
		if (h->machine_id)
			bad |= json_object_set_new(host, "machine_id", json_string(h->machine_id));
		bad |= json_object_set(o, "host", host);
	}
	json_decref(host);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

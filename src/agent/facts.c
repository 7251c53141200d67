/* facts.c - the host facts of the agent's heartbeat (host name, OS, machine id, addresses, MACs,
 * uptime) and its own CPU and memory use. Linux: getifaddrs, /etc/os-release, /proc. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netpacket/packet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "canhgac/agent.h"
#include "canhgac/alloc.h"
#include "canhgac/event.h"
#include "canhgac/sys.h"
#include "canhgac/timeutil.h"
#include "banned.h"

int cg_agent_read_proc(const char *path, size_t max, char **buf, size_t *len)
{
	size_t cap = 0, n = 0;
	char *p = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;

	*buf = NULL;
	*len = 0;
	if (fd < 0)
		return cg_from_errno(errno);
	for (;;) {
		ssize_t got;
		if (cg_grow((void **)&p, &cap, n + 4097, 1, max + 4097)) {
			rc = n >= max ? CG_ELIMIT : CG_ENOMEM;
			break;
		}
		got = read(fd, p + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = cg_from_errno(errno);
			break;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n > max) {
			rc = CG_ELIMIT;
			break;
		}
	}
	close(fd);
	if (rc) {
		cg_free(p);
		return rc;
	}
	p[n] = '\0';
	*buf = p;
	*len = n;
	return 0;
}

static void copy(char *dst, size_t cap, const char *s)
{
	snprintf(dst, cap, "%s", s ? s : "");
}

/* VERSION_ID="12" from /etc/os-release (the pretty name comes from cg_host_facts). */
static void os_version(char *out, size_t cap)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	char *p, *e;

	if (cg_read_file("/etc/os-release", 64 << 10, &buf, &len) != 0)
		return;
	for (p = (char *)buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, "VERSION_ID=", 11) != 0)
			continue;
		p += 11;
		if (*p == '"')
			p++;
		e = p + strcspn(p, "\"\n");
		snprintf(out, cap, "%.*s", (int)(e - p), p);
		break;
	}
	cg_free(buf);
}

static void add_ip(struct cg_agent_facts *f, const struct sockaddr *sa)
{
	char s[INET6_ADDRSTRLEN] = "";
	const void *a = sa->sa_family == AF_INET
	                    ? (const void *)&((const struct sockaddr_in *)sa)->sin_addr
	                    : (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr;
	if (!inet_ntop(sa->sa_family, a, s, sizeof(s)) || f->n_ips >= CG_AGENT_MAX_ADDRS)
		return;
	for (size_t i = 0; i < f->n_ips; i++)
		if (strcmp(f->ips[i], s) == 0)
			return;
	copy(f->ips[f->n_ips++], sizeof(f->ips[0]), s);
}

static void add_mac(struct cg_agent_facts *f, const struct sockaddr_ll *ll)
{
	char s[18];
	int zero = 1;
	if (ll->sll_halen != 6 || f->n_macs >= CG_AGENT_MAX_ADDRS)
		return;
	for (int i = 0; i < 6; i++)
		zero &= ll->sll_addr[i] == 0;
	if (zero)
		return;
	snprintf(s, sizeof(s), "%02x:%02x:%02x:%02x:%02x:%02x", ll->sll_addr[0], ll->sll_addr[1],
	         ll->sll_addr[2], ll->sll_addr[3], ll->sll_addr[4], ll->sll_addr[5]);
	for (size_t i = 0; i < f->n_macs; i++)
		if (strcmp(f->macs[i], s) == 0)
			return;
	copy(f->macs[f->n_macs++], sizeof(f->macs[0]), s);
}

static void addresses(struct cg_agent_facts *f)
{
	struct ifaddrs *ifa = NULL;
	if (getifaddrs(&ifa) != 0)
		return;
	for (struct ifaddrs *i = ifa; i; i = i->ifa_next) {
		if (!i->ifa_addr || (i->ifa_flags & IFF_LOOPBACK))
			continue;
		if (i->ifa_addr->sa_family == AF_INET || i->ifa_addr->sa_family == AF_INET6)
			add_ip(f, i->ifa_addr);
		else if (i->ifa_addr->sa_family == AF_PACKET)
			add_mac(f, (const struct sockaddr_ll *)i->ifa_addr);
	}
	freeifaddrs(ifa);
}

static char hostname_override[64];

void cg_agent_facts_set_hostname(const char *name)
{
	snprintf(hostname_override, sizeof(hostname_override), "%s", name ? name : "");
}

void cg_agent_facts_get(struct cg_agent_facts *f)
{
	const struct cg_host_facts *h = cg_host_facts();
	char *buf = NULL;
	size_t len;

	memset(f, 0, sizeof(*f));
	copy(f->hostname, sizeof(f->hostname),
	     hostname_override[0] ? hostname_override : h->hostname);
	copy(f->os, sizeof(f->os), h->os);
	copy(f->machine_id, sizeof(f->machine_id), h->machine_id);
	os_version(f->os_version, sizeof(f->os_version));
	addresses(f);
	if (cg_agent_read_proc("/proc/uptime", 4096, &buf, &len) == 0)
		f->uptime_s = strtoll(buf, NULL, 10);
	cg_free(buf);
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

static long rss_kb(void)
{
	char *buf = NULL;
	size_t len;
	long kb = 0;
	const char *p;

	if (cg_agent_read_proc("/proc/self/status", 64 << 10, &buf, &len) != 0)
		return 0;
	p = strstr(buf, "\nVmRSS:");
	if (p)
		kb = strtol(p + 7, NULL, 10);
	cg_free(buf);
	return kb;
}

void cg_agent_self_sample(struct cg_agent_self *s)
{
	struct rusage ru;
	int64_t cpu = 0, wall = cg_mono_ns() / 1000000;

	if (getrusage(RUSAGE_SELF, &ru) == 0)
		cpu = (int64_t)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec +
		      (int64_t)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec;
	if (s->last_wall_ms > 0 && wall > s->last_wall_ms)
		s->cpu_pct =
		    (double)(cpu - s->last_cpu_us) / 10.0 / (double)(wall - s->last_wall_ms);
	s->last_cpu_us = cpu;
	s->last_wall_ms = wall;
	s->rss_kb = rss_kb();
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

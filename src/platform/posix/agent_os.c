/* agent_os.c - what the agent asks of Linux (src/agent/agent_os.h): /etc/os-release,
 * getifaddrs and /proc for the host facts, the agent's own use, the connection tables, and the
 * scanner child at low CPU and I/O priority with a memory cap. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netpacket/packet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "canhgac/agent.h"
#include "canhgac/alloc.h"
#include "canhgac/sys.h"
#include "agent/agent_os.h"
#include "banned.h"

/* ioprio_set(2): no glibc wrapper. */
#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_CLASS_IDLE 3
#define IOPRIO_CLASS_SHIFT 13

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
	snprintf(f->ips[f->n_ips++], sizeof(f->ips[0]), "%s", s);
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
	snprintf(f->macs[f->n_macs++], sizeof(f->macs[0]), "%s", s);
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

void cg_agent_os_facts(struct cg_agent_facts *f)
{
	char *buf = NULL;
	size_t len;

	os_version(f->os_version, sizeof(f->os_version));
	addresses(f);
	if (cg_agent_read_proc("/proc/uptime", 4096, &buf, &len) == 0)
		f->uptime_s = strtoll(buf, NULL, 10);
	cg_free(buf);
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

int cg_netconns_read(struct cg_netconns *out)
{
	static const char *const protos[4] = {"tcp", "tcp6", "udp", "udp6"};
	int rc = 0;

	memset(out, 0, sizeof(*out));
	for (int i = 0; rc == 0 && i < 4; i++) {
		char path[64];
		char *buf = NULL;
		size_t len = 0;
		snprintf(path, sizeof(path), "/proc/net/%s", protos[i]);
		if (cg_agent_read_proc(path, CG_AGENT_MAX_PROCNET, &buf, &len) == 0)
			rc = cg_procnet_parse(buf, len, protos[i], out, NULL);
		cg_free(buf); /* a missing file (no IPv6) is not an error */
	}
	if (rc)
		cg_netconns_clear(out);
	return rc;
}

/* In the child, before exec: nice, the idle I/O class (best effort) and the memory cap
 * (RLIMIT_DATA: private writable memory, heap, mmaps and thread stacks; 0 = none). */
static void low_priority(int nice_v, unsigned cap_mb)
{
	if (cap_mb) {
		struct rlimit rl;
		rl.rlim_cur = rl.rlim_max = (rlim_t)cap_mb << 20;
		(void)setrlimit(RLIMIT_DATA, &rl);
	}
	(void)setpriority(PRIO_PROCESS, 0, nice_v);
	(void)syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0,
	              IOPRIO_CLASS_IDLE << IOPRIO_CLASS_SHIFT);
}

struct cg_agent_child {
	pid_t pid;
	int fd;
};

int cg_agent_child_start(char *const argv[], int nice_v, unsigned cap_mb,
                         struct cg_agent_child **out)
{
	struct cg_agent_child *c = cg_calloc(1, sizeof(*c));
	int p[2];

	*out = NULL;
	if (!c)
		return CG_ENOMEM;
	if (pipe2(p, O_CLOEXEC) != 0) {
		cg_free(c);
		return CG_EIO;
	}
	c->pid = fork();
	if (c->pid < 0) {
		close(p[0]);
		close(p[1]);
		cg_free(c);
		return CG_EIO;
	}
	if (c->pid == 0) {
		int nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (nul < 0 || dup2(nul, 0) < 0 || dup2(p[1], 1) < 0)
			_exit(127);
		low_priority(nice_v, cap_mb);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	c->fd = p[0];
	*out = c;
	return 0;
}

int64_t cg_agent_child_read(struct cg_agent_child *c, void *buf, size_t n)
{
	for (;;) {
		ssize_t got = read(c->fd, buf, n);
		if (got < 0 && errno == EINTR)
			continue;
		return got < 0 ? CG_EIO : (int64_t)got;
	}
}

int cg_agent_child_wait(struct cg_agent_child *c, int kill_first)
{
	int status = 0, code = -1;
	if (!c)
		return -1;
	close(c->fd);
	if (kill_first)
		kill(c->pid, SIGKILL);
	if (waitpid(c->pid, &status, 0) == c->pid && WIFEXITED(status))
		code = WEXITSTATUS(status);
	cg_free(c);
	return code;
}

void cg_agent_trim_heap(void)
{
#if defined(__GLIBC__)
	malloc_trim(0);
#endif
}

/* agent_os.c - what the agent asks of Windows (src/agent/agent_os.h, agent.h): the version,
 * addresses and uptime for the host facts (RtlGetVersion, the UBR value, GetAdaptersAddresses,
 * GetTickCount64), the agent's own use (GetProcessTimes, GetProcessMemoryInfo), the TCP and UDP
 * tables (GetExtendedTcpTable/UdpTable, with the owning process), and the scanner child at
 * below-normal and background priority inside a job object that caps its memory. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#include <psapi.h>
#include <stdio.h>
#include <string.h>

#include "canhgac/agent.h"
#include "canhgac/alloc.h"
#include "canhgac/sys.h"
#include "agent/agent_os.h"
#include "win.h"
#include "banned.h"

#define MAX_TABLE (8u << 20) /* bytes of one connection table */

typedef LONG(WINAPI *rtl_get_version_fn)(OSVERSIONINFOW *);

/* "10.0.19045.3803": major.minor.build and the update build revision when known. */
static void os_version(char *out, size_t cap)
{
	OSVERSIONINFOW v = {.dwOSVersionInfoSize = sizeof(v)};
	HMODULE nt = GetModuleHandleW(L"ntdll.dll");
	rtl_get_version_fn get =
	    nt ? (rtl_get_version_fn)(void (*)(void))GetProcAddress(nt, "RtlGetVersion") : NULL;
	DWORD ubr = 0, sz = sizeof(ubr);
	if (!get || get(&v) != 0)
		return;
	if (RegGetValueW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion",
	                 L"UBR", RRF_RT_REG_DWORD, NULL, &ubr, &sz) == ERROR_SUCCESS)
		snprintf(out, cap, "%lu.%lu.%lu.%lu", v.dwMajorVersion, v.dwMinorVersion,
		         v.dwBuildNumber, ubr);
	else
		snprintf(out, cap, "%lu.%lu.%lu", v.dwMajorVersion, v.dwMinorVersion,
		         v.dwBuildNumber);
}

static void add_ip(struct cg_agent_facts *f, const SOCKADDR *sa)
{
	char s[INET6_ADDRSTRLEN] = "";
	const void *a = sa->sa_family == AF_INET
	                    ? (const void *)&((const SOCKADDR_IN *)sa)->sin_addr
	                    : (const void *)&((const SOCKADDR_IN6 *)sa)->sin6_addr;
	if ((sa->sa_family != AF_INET && sa->sa_family != AF_INET6) ||
	    !inet_ntop(sa->sa_family, a, s, sizeof(s)) || f->n_ips >= CG_AGENT_MAX_ADDRS)
		return;
	for (size_t i = 0; i < f->n_ips; i++)
		if (strcmp(f->ips[i], s) == 0)
			return;
	snprintf(f->ips[f->n_ips++], sizeof(f->ips[0]), "%s", s);
}

static void add_mac(struct cg_agent_facts *f, const BYTE *m, ULONG len)
{
	char s[18];
	int zero = 1;
	if (len != 6 || f->n_macs >= CG_AGENT_MAX_ADDRS)
		return;
	for (int i = 0; i < 6; i++)
		zero &= m[i] == 0;
	if (zero)
		return;
	snprintf(s, sizeof(s), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	for (size_t i = 0; i < f->n_macs; i++)
		if (strcmp(f->macs[i], s) == 0)
			return;
	snprintf(f->macs[f->n_macs++], sizeof(f->macs[0]), "%s", s);
}

static void addresses(struct cg_agent_facts *f)
{
	ULONG size = 16384,
	      flags = GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_DNS_SERVER;
	IP_ADAPTER_ADDRESSES *list = NULL;
	ULONG r = ERROR_BUFFER_OVERFLOW;
	for (int tries = 0; r == ERROR_BUFFER_OVERFLOW && tries < 4 && size <= MAX_TABLE; tries++) {
		cg_free(list);
		if (!(list = cg_malloc(size)))
			return;
		r = GetAdaptersAddresses(AF_UNSPEC, flags, NULL, list, &size);
	}
	for (IP_ADAPTER_ADDRESSES *a = r == NO_ERROR ? list : NULL; a; a = a->Next) {
		if (a->IfType == IF_TYPE_SOFTWARE_LOOPBACK)
			continue;
		for (IP_ADAPTER_UNICAST_ADDRESS *u = a->FirstUnicastAddress; u; u = u->Next)
			add_ip(f, u->Address.lpSockaddr);
		add_mac(f, a->PhysicalAddress, a->PhysicalAddressLength);
	}
	cg_free(list);
}

void cg_agent_os_facts(struct cg_agent_facts *f)
{
	os_version(f->os_version, sizeof(f->os_version));
	addresses(f);
	f->uptime_s = (int64_t)(GetTickCount64() / 1000);
}

static int64_t ft_us(FILETIME t)
{
	return (int64_t)(((uint64_t)t.dwHighDateTime << 32 | t.dwLowDateTime) / 10);
}

void cg_agent_self_sample(struct cg_agent_self *s)
{
	FILETIME c, e, k, u;
	PROCESS_MEMORY_COUNTERS m = {.cb = sizeof(m)};
	int64_t cpu = 0, wall = cg_mono_ns() / 1000000;

	if (GetProcessTimes(GetCurrentProcess(), &c, &e, &k, &u))
		cpu = ft_us(k) + ft_us(u);
	if (s->last_wall_ms > 0 && wall > s->last_wall_ms)
		s->cpu_pct =
		    (double)(cpu - s->last_cpu_us) / 10.0 / (double)(wall - s->last_wall_ms);
	s->last_cpu_us = cpu;
	s->last_wall_ms = wall;
	s->rss_kb = GetProcessMemoryInfo(GetCurrentProcess(), &m, sizeof(m))
	                ? (long)(m.WorkingSetSize / 1024)
	                : 0;
}

/* One extended table (TCP or UDP, IPv4 or IPv6) in an allocated buffer. */
static void *table(int tcp, ULONG af)
{
	DWORD size = 0, r;
	void *t = NULL;
	for (int tries = 0; tries < 4; tries++) {
		r = tcp ? GetExtendedTcpTable(t, &size, FALSE, af, TCP_TABLE_OWNER_PID_ALL, 0)
		        : GetExtendedUdpTable(t, &size, FALSE, af, UDP_TABLE_OWNER_PID, 0);
		if (r == NO_ERROR && t)
			return t;
		cg_free(t);
		t = NULL;
		if ((r != ERROR_INSUFFICIENT_BUFFER && r != NO_ERROR) || size == 0 ||
		    size > MAX_TABLE || !(t = cg_malloc(size + 4096)))
			return NULL;
		size += 4096; /* the table may grow between the two calls */
	}
	cg_free(t);
	return NULL;
}

static void fill(struct cg_netconn *c, const char *proto, int af, const void *la, DWORD lport,
                 const void *ra, DWORD rport, DWORD pid)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->proto, sizeof(c->proto), "%s", proto);
	inet_ntop(af, la, c->local, sizeof(c->local));
	if (ra)
		inet_ntop(af, ra, c->remote, sizeof(c->remote));
	c->lport = ntohs((u_short)lport);
	c->rport = ra ? ntohs((u_short)rport) : 0;
	c->pid = pid;
}

static int tcp4(struct cg_netconns *out)
{
	MIB_TCPTABLE_OWNER_PID *t = table(1, AF_INET);
	struct cg_netconn c;
	int rc = 0;
	for (DWORD i = 0; t && rc == 0 && i < t->dwNumEntries; i++) {
		const MIB_TCPROW_OWNER_PID *r = &t->table[i];
		if (r->dwState != MIB_TCP_STATE_LISTEN && r->dwState != MIB_TCP_STATE_ESTAB)
			continue;
		fill(&c, "tcp", AF_INET, &r->dwLocalAddr, r->dwLocalPort, &r->dwRemoteAddr,
		     r->dwRemotePort, r->dwOwningPid);
		if (r->dwState == MIB_TCP_STATE_LISTEN)
			c.remote[0] = '\0', c.rport = 0;
		rc = cg_netconns_add(out, &c, r->dwState == MIB_TCP_STATE_LISTEN);
	}
	cg_free(t);
	return rc;
}

static int tcp6(struct cg_netconns *out)
{
	MIB_TCP6TABLE_OWNER_PID *t = table(1, AF_INET6);
	struct cg_netconn c;
	int rc = 0;
	for (DWORD i = 0; t && rc == 0 && i < t->dwNumEntries; i++) {
		const MIB_TCP6ROW_OWNER_PID *r = &t->table[i];
		if (r->dwState != MIB_TCP_STATE_LISTEN && r->dwState != MIB_TCP_STATE_ESTAB)
			continue;
		fill(&c, "tcp6", AF_INET6, r->ucLocalAddr, r->dwLocalPort, r->ucRemoteAddr,
		     r->dwRemotePort, r->dwOwningPid);
		if (r->dwState == MIB_TCP_STATE_LISTEN)
			c.remote[0] = '\0', c.rport = 0;
		rc = cg_netconns_add(out, &c, r->dwState == MIB_TCP_STATE_LISTEN);
	}
	cg_free(t);
	return rc;
}

static int udp(struct cg_netconns *out)
{
	MIB_UDPTABLE_OWNER_PID *t4 = table(0, AF_INET);
	MIB_UDP6TABLE_OWNER_PID *t6 = table(0, AF_INET6);
	struct cg_netconn c;
	int rc = 0;
	for (DWORD i = 0; t4 && rc == 0 && i < t4->dwNumEntries; i++) {
		fill(&c, "udp", AF_INET, &t4->table[i].dwLocalAddr, t4->table[i].dwLocalPort, NULL,
		     0, t4->table[i].dwOwningPid);
		rc = cg_netconns_add(out, &c, 1);
	}
	for (DWORD i = 0; t6 && rc == 0 && i < t6->dwNumEntries; i++) {
		fill(&c, "udp6", AF_INET6, t6->table[i].ucLocalAddr, t6->table[i].dwLocalPort, NULL,
		     0, t6->table[i].dwOwningPid);
		rc = cg_netconns_add(out, &c, 1);
	}
	cg_free(t4);
	cg_free(t6);
	return rc;
}

int cg_netconns_read(struct cg_netconns *out)
{
	int rc;
	memset(out, 0, sizeof(*out));
	rc = tcp4(out);
	if (rc == 0)
		rc = tcp6(out);
	if (rc == 0)
		rc = udp(out);
	if (rc)
		cg_netconns_clear(out);
	return rc;
}

struct cg_agent_child {
	HANDLE proc, job, rd;
};

/* A job that caps the child's committed memory and kills it with the job's last handle (the
 * agent stopping takes its scan down too). */
static HANDLE make_job(unsigned cap_mb)
{
	JOBOBJECT_EXTENDED_LIMIT_INFORMATION li;
	HANDLE job = CreateJobObjectW(NULL, NULL);
	if (!job)
		return NULL;
	memset(&li, 0, sizeof(li));
	li.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
	if (cap_mb) {
		li.BasicLimitInformation.LimitFlags |= JOB_OBJECT_LIMIT_PROCESS_MEMORY;
		li.ProcessMemoryLimit = (SIZE_T)cap_mb << 20;
	}
	/* best effort: wine and old systems may refuse a limit; the scan still runs */
	(void)SetInformationJobObject(job, JobObjectExtendedLimitInformation, &li, sizeof(li));
	return job;
}

int cg_agent_child_start(char *const argv[], int nice_v, unsigned cap_mb,
                         struct cg_agent_child **out)
{
	SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
	PROCESS_INFORMATION pi;
	struct cg_agent_child *c;
	HANDLE wr = NULL;
	DWORD prio = nice_v > 0 ? BELOW_NORMAL_PRIORITY_CLASS : 0;
	int rc;

	*out = NULL;
	if (!(c = cg_calloc(1, sizeof(*c))))
		return CG_ENOMEM;
	if (!CreatePipe(&c->rd, &wr, &sa, 0)) {
		cg_free(c);
		return cg_win_last();
	}
	SetHandleInformation(c->rd, HANDLE_FLAG_INHERIT, 0);
	c->job = make_job(cap_mb);
	rc = cg_win_spawn((const char *const *)argv, wr, CREATE_SUSPENDED | prio, 1, &pi);
	CloseHandle(wr);
	if (rc) {
		CloseHandle(c->rd);
		if (c->job)
			CloseHandle(c->job);
		cg_free(c);
		return rc;
	}
	if (c->job)
		(void)AssignProcessToJobObject(c->job, pi.hProcess);
	/* the lowest priority in its class for its first thread as well */
	(void)SetThreadPriority(pi.hThread, THREAD_PRIORITY_LOWEST);
	ResumeThread(pi.hThread);
	CloseHandle(pi.hThread);
	c->proc = pi.hProcess;
	*out = c;
	return 0;
}

int64_t cg_agent_child_read(struct cg_agent_child *c, void *buf, size_t n)
{
	DWORD got = 0;
	if (n > (1u << 30))
		n = 1u << 30;
	if (!ReadFile(c->rd, buf, (DWORD)n, &got, NULL)) {
		DWORD e = GetLastError();
		return e == ERROR_BROKEN_PIPE ? 0 : cg_win_err(e);
	}
	return (int64_t)got;
}

int cg_agent_child_wait(struct cg_agent_child *c, int kill_first)
{
	DWORD code = 0;
	int ret = -1;
	if (!c)
		return -1;
	CloseHandle(c->rd);
	if (kill_first)
		TerminateProcess(c->proc, 1);
	if (WaitForSingleObject(c->proc, INFINITE) == WAIT_OBJECT_0 &&
	    GetExitCodeProcess(c->proc, &code))
		ret = (int)code;
	CloseHandle(c->proc);
	if (c->job)
		CloseHandle(c->job);
	cg_free(c);
	return ret;
}

void cg_agent_trim_heap(void)
{
	/* the process heap gives whole free blocks back by itself; trim the working set */
	(void)SetProcessWorkingSetSize(GetCurrentProcess(), (SIZE_T)-1, (SIZE_T)-1);
}

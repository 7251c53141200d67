/* inventory_sec.c - the security facts of the Windows inventory (hostinv.h): firewall
 * profiles, SMBv1, Remote Desktop, antivirus (registry only: Defender's keys and what Security
 * Center keeps under Provider\Av; no WMI), local administrators, network addresses. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#include <lm.h>
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/feed.h"
#include "canhgac/limits.h"
#include "inventory_int.h"
#include "banned.h"

#define HKLM HKEY_LOCAL_MACHINE

/* A DWORD of the policy key when set, else of the local key; CG_ENOENT when neither. */
static int policy_dword(const wchar_t *pol, const wchar_t *local, const wchar_t *name, DWORD *v)
{
	if (pol && cg_inv_path_dword(HKLM, pol, name, INV_VIEW64, v) == 0)
		return 0;
	return cg_inv_path_dword(HKLM, local, name, INV_VIEW64, v);
}

static enum cg_tri tri(int rc, int yes)
{
	return rc ? CG_TRI_UNKNOWN : yes ? CG_TRI_YES : CG_TRI_NO;
}

static void firewall(struct cg_wininv_sec *s)
{
	static const wchar_t *const pol[] = {
	    L"SOFTWARE\\Policies\\Microsoft\\WindowsFirewall\\DomainProfile",
	    L"SOFTWARE\\Policies\\Microsoft\\WindowsFirewall\\PrivateProfile",
	    L"SOFTWARE\\Policies\\Microsoft\\WindowsFirewall\\PublicProfile"};
	/* the private profile is "Standard" in the service's own keys */
	static const wchar_t *const local[] = {
	    L"SYSTEM\\CurrentControlSet\\Services\\SharedAccess\\Parameters\\FirewallPolicy"
	    L"\\DomainProfile",
	    L"SYSTEM\\CurrentControlSet\\Services\\SharedAccess\\Parameters\\FirewallPolicy"
	    L"\\StandardProfile",
	    L"SYSTEM\\CurrentControlSet\\Services\\SharedAccess\\Parameters\\FirewallPolicy"
	    L"\\PublicProfile"};
	enum cg_tri *out[] = {&s->fw_domain, &s->fw_private, &s->fw_public};

	for (size_t i = 0; i < 3; i++) {
		DWORD v = 0;
		int rc = policy_dword(pol[i], local[i], L"EnableFirewall", &v);
		*out[i] = tri(rc, v != 0);
	}
}

/* The SMB server accepts SMBv1: LanmanServer\Parameters\SMB1 when set; else the SMBv1 server
 * driver (srv) decides: absent (the SMB1 feature removed, Windows 10 1709 and later) or
 * disabled (Start = 4) is no. */
static void smb1(struct cg_wininv_sec *s)
{
	DWORD v = 0;
	HKEY k;

	if (cg_inv_path_dword(HKLM,
	                      L"SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters",
	                      L"SMB1", INV_VIEW64, &v) == 0) {
		s->smb1 = v ? CG_TRI_YES : CG_TRI_NO;
		return;
	}
	if (cg_inv_open(HKLM, L"SYSTEM\\CurrentControlSet\\Services\\srv", INV_VIEW64, &k) != 0) {
		s->smb1 = CG_TRI_NO;
		return;
	}
	s->smb1 = cg_inv_dword(k, L"Start", &v) == 0 && v == 4 ? CG_TRI_NO : CG_TRI_YES;
	RegCloseKey(k);
}

static void rdp(struct cg_wininv_sec *s)
{
	static const wchar_t pol[] =
	    L"SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services";
	static const wchar_t ts[] = L"SYSTEM\\CurrentControlSet\\Control\\Terminal Server";
	DWORD v = 0;
	HKEY k;
	int rc = policy_dword(pol, ts, L"fDenyTSConnections", &v);

	if (rc == CG_ENOENT && cg_inv_open(HKLM, ts, INV_VIEW64, &k) == 0) {
		RegCloseKey(k); /* the key without the value: connections are denied */
		rc = 0;
		v = 1;
	}
	s->rdp = tri(rc, v == 0);
	rc = policy_dword(
	    pol, L"SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp",
	    L"UserAuthentication", &v);
	s->rdp_nla = tri(rc, v != 0);
}

/* FILETIME in a REG_BINARY (Defender's SignaturesLastUpdated) to UTC seconds. */
static int64_t filetime_value(HKEY k, const wchar_t *name)
{
	uint8_t b[8];
	DWORD type = 0, size = sizeof(b);
	uint64_t t = 0;
	if (RegQueryValueExW(k, name, NULL, &type, b, &size) != ERROR_SUCCESS ||
	    type != REG_BINARY || size != 8)
		return CG_TIME_NONE;
	for (int i = 7; i >= 0; i--)
		t = t << 8 | b[i];
	return t ? cg_win_ft_ns((int64_t)t) / 1000000000 : CG_TIME_NONE;
}

static int defender(struct cg_wininv *inv)
{
	static const wchar_t key[] = L"SOFTWARE\\Microsoft\\Windows Defender";
	static const wchar_t pol[] = L"SOFTWARE\\Policies\\Microsoft\\Windows Defender";
	struct cg_wininv_av *av = NULL;
	DWORD off = 0;
	HKEY k;
	int rc = cg_inv_open(HKLM, key, INV_VIEW64, &k);

	if (rc)
		return rc == CG_ENOENT ? 0 : rc;
	RegCloseKey(k);
	if ((rc = cg_wininv_add_av(inv, "Windows Defender", "defender", &av)) != 0)
		return rc;
	rc = policy_dword(pol, key, L"DisableAntiSpyware", &off);
	av->enabled = rc == 0 && off ? CG_TRI_NO : CG_TRI_YES;
	off = 0;
	rc = policy_dword(L"SOFTWARE\\Policies\\Microsoft\\Windows Defender\\Real-Time Protection",
	                  L"SOFTWARE\\Microsoft\\Windows Defender\\Real-Time Protection",
	                  L"DisableRealtimeMonitoring", &off);
	av->realtime = av->enabled == CG_TRI_NO || (rc == 0 && off) ? CG_TRI_NO : CG_TRI_YES;
	if (cg_inv_open(HKLM, L"SOFTWARE\\Microsoft\\Windows Defender\\Signature Updates",
	                INV_VIEW64, &k) == 0) {
		rc = cg_inv_str(k, L"AVSignatureVersion", &av->sig_version);
		av->sig_updated = filetime_value(k, L"SignaturesLastUpdated");
		RegCloseKey(k);
		if (rc == CG_ENOMEM)
			return rc;
	}
	return 0;
}

/* Security Center's registry copy of its antivirus list (what root\SecurityCenter2's
 * AntiVirusProduct shows): DISPLAYNAME and the productState bits in STATE. */
static int sc_cb(void *arg, const char *name, HKEY sub)
{
	struct cg_wininv_av *av = NULL;
	char *dn = NULL;
	DWORD st;
	int rc;
	(void)name;
	if (!sub || cg_inv_str(sub, L"DISPLAYNAME", &dn) != 0 || !*dn) {
		cg_free(dn);
		return 0;
	}
	rc = cg_wininv_add_av(arg, dn, "security-center", &av);
	cg_free(dn);
	if (rc == 0 && cg_inv_dword(sub, L"STATE", &st) == 0) {
		av->enabled = ((st >> 12) & 0xF) == 1 ? CG_TRI_YES : CG_TRI_NO;
		av->up_to_date = ((st >> 4) & 0xF) == 0 ? CG_TRI_YES : CG_TRI_NO;
	}
	return rc;
}

int cg_inv_security(struct cg_wininv *inv, struct cg_diags *d)
{
	HKEY k;
	int rc;

	firewall(&inv->sec);
	smb1(&inv->sec);
	rdp(&inv->sec);
	if ((rc = cg_inv_part(d, "Windows Defender", defender(inv))) != 0)
		return rc;
	rc = cg_inv_open(HKLM, L"SOFTWARE\\Microsoft\\Security Center\\Provider\\Av", INV_VIEW64,
	                 &k);
	if (rc == 0) {
		rc = cg_inv_subkeys(k, INV_VIEW64, sc_cb, inv);
		RegCloseKey(k);
	}
	return rc == CG_ENOENT ? 0 : rc;
}

int cg_inv_admins(struct cg_wininv *inv)
{
	BYTE sid[SECURITY_MAX_SID_SIZE];
	DWORD sl = sizeof(sid), nl = 256, dl = 256, got = 0, total = 0;
	wchar_t name[256], dom[256];
	LOCALGROUP_MEMBERS_INFO_3 *m = NULL;
	SID_NAME_USE use;
	NET_API_STATUS st;
	int rc = 0;

	/* the group's name depends on the language of Windows ("Administratoren") */
	if (!CreateWellKnownSid(WinBuiltinAdministratorsSid, NULL, sid, &sl) ||
	    !LookupAccountSidW(NULL, sid, name, &nl, dom, &dl, &use))
		return cg_win_last();
	st = NetLocalGroupGetMembers(NULL, name, 3, (BYTE **)&m, MAX_PREFERRED_LENGTH, &got, &total,
	                             NULL);
	if (st != NERR_Success)
		return st == ERROR_ACCESS_DENIED ? CG_EPERM : CG_EIO;
	for (DWORD i = 0; rc == 0 && i < got; i++) {
		char *u = NULL;
		if (m[i].lgrmi3_domainandname &&
		    (rc = cg_inv_utf8(m[i].lgrmi3_domainandname, &u)) == 0)
			rc = cg_wininv_add_admin(inv, u);
		else if (rc != CG_ENOMEM)
			rc = 0;
		cg_free(u);
	}
	NetApiBufferFree(m);
	return rc;
}

static void mac_text(const IP_ADAPTER_ADDRESSES *a, char *out, size_t cap)
{
	size_t o = 0;
	out[0] = '\0';
	for (ULONG i = 0; i < a->PhysicalAddressLength && i < 8 && o + 4 <= cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%s%02X", i ? "-" : "",
		                      a->PhysicalAddress[i]);
}

static int adapter_addrs(struct cg_wininv *inv, const IP_ADAPTER_ADDRESSES *a)
{
	int rc = 0;
	for (const IP_ADAPTER_UNICAST_ADDRESS *u = a->FirstUnicastAddress; u && rc == 0;
	     u = u->Next) {
		const struct sockaddr *sa = u->Address.lpSockaddr;
		char ip[INET6_ADDRSTRLEN], text[INET6_ADDRSTRLEN + 8];
		const void *bin;
		if (!sa || (sa->sa_family != AF_INET && sa->sa_family != AF_INET6))
			continue;
		bin = sa->sa_family == AF_INET
		          ? (const void *)&((const struct sockaddr_in *)sa)->sin_addr
		          : (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr;
		if (!inet_ntop(sa->sa_family, bin, ip, sizeof(ip)))
			continue;
		snprintf(text, sizeof(text), "%s/%u", ip, (unsigned)u->OnLinkPrefixLength);
		rc = cg_wininv_add_addr(inv, text);
	}
	return rc;
}

int cg_inv_network(struct cg_wininv *inv)
{
	ULONG flags = GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_DNS_SERVER;
	ULONG size = 16u << 10, e = ERROR_BUFFER_OVERFLOW;
	IP_ADAPTER_ADDRESSES *list = NULL;
	int rc = 0;

	/* the list can grow between the calls: try a few times, bounded */
	for (int tries = 0; e == ERROR_BUFFER_OVERFLOW && tries < 4 && size <= (1u << 20);
	     tries++) {
		cg_free(list);
		if (!(list = cg_malloc(size)))
			return CG_ENOMEM;
		e = GetAdaptersAddresses(AF_UNSPEC, flags, NULL, list, &size);
	}
	if (e != ERROR_SUCCESS) {
		cg_free(list);
		return e == ERROR_NO_DATA ? 0 : cg_win_err(e);
	}
	for (IP_ADAPTER_ADDRESSES *a = list; a && rc == 0; a = a->Next) {
		char mac[32], *name = NULL;
		if (a->IfType == IF_TYPE_SOFTWARE_LOOPBACK || !a->FriendlyName)
			continue;
		mac_text(a, mac, sizeof(mac));
		if ((rc = cg_inv_utf8(a->FriendlyName, &name)) == 0 && *name &&
		    (rc = cg_wininv_add_adapter(inv, name, mac)) == 0)
			rc = adapter_addrs(inv, a);
		else if (rc != CG_ENOMEM)
			rc = 0;
		cg_free(name);
	}
	cg_free(list);
	return rc;
}

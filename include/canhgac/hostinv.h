/* hostinv.h - the inventory of this PC (platform layer): on Windows, everything wininv.h holds,
 * read from the registry and Windows' APIs; elsewhere CG_EUNSUPP.
 *
 * What is read (Windows; docs/internals/hostinv-win.md says more):
 *   OS          HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion (64-bit view): ProductName,
 *               EditionID, DisplayVersion (else ReleaseId), CurrentBuildNumber, UBR,
 *               CurrentMajor/MinorVersionNumber (else CurrentVersion); GetNativeSystemInfo
 *   updates     ...\CurrentVersion\HotFix subkeys (old systems) and the names of
 *               HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\Packages
 *               that hold "_KB<digits>"
 *   programs    ...\CurrentVersion\Uninstall of HKLM (64- and 32-bit views) and HKCU: entries
 *               with a DisplayName, not SystemComponent=1, without ParentKeyName (updates)
 *   security    firewall profiles, SMBv1 server, RDP and NLA, Defender and the antivirus
 *               products Security Center lists in the registry (no WMI)
 *   admins      NetLocalGroupGetMembers on the group of S-1-5-32-544
 *   autoruns    Run/RunOnce (HKLM both views, HKCU), auto-start services, scheduled tasks
 *               (%SystemRoot%\System32\Tasks), the two Startup folders
 *   network     GetAdaptersAddresses: unicast IPv4/IPv6 with prefix length, MAC
 * A part that cannot be read (access denied, an API missing) or that passes its cap of
 * limits.h (the list is cut there) is reported in d and the rest is still collected; only the
 * OS part is required. Returns 0, CG_ENOENT (or the registry's error) when the OS key or its
 * build number cannot be read, CG_ENOMEM, CG_EUNSUPP on systems other than Windows. *out is
 * zeroed first, holds nothing on error, and is the caller's to cg_wininv_clear on success. */
#ifndef CANHGAC_HOSTINV_H
#define CANHGAC_HOSTINV_H

#include "canhgac/error.h"
#include "canhgac/wininv.h"

int cg_host_inventory(struct cg_wininv *out, struct cg_diags *d);

#endif

/* fmeta.c - a file's metadata on Windows (see fsat.h): FILE_BASIC_INFO times and attributes,
 * and the security descriptor (owner, group, DACL) as self-relative bytes; and the check that
 * a file or directory belongs to SYSTEM, the Administrators, this process's default owner or
 * (not elevated) the user. */
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/fsat.h"
#include "canhgac/sys.h"
#include "win.h"
#include <aclapi.h>
#include "banned.h"

#define SD_PARTS                                                                                   \
	(OWNER_SECURITY_INFORMATION | GROUP_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION)
/* The attributes a file may be given back; the others describe its storage or kind. */
#define SETTABLE_ATTRS                                                                             \
	(FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM |                 \
	 FILE_ATTRIBUTE_ARCHIVE | FILE_ATTRIBUTE_TEMPORARY | FILE_ATTRIBUTE_NOT_CONTENT_INDEXED)

static int64_t ns_to_ticks(int64_t ns)
{
	return ns / 100 + INT64_C(116444736000000000);
}

/* The self-relative security descriptor of h (needs READ_CONTROL), allocated with LocalAlloc. */
static DWORD get_sd(HANDLE h, PSECURITY_DESCRIPTOR *sd)
{
	*sd = NULL;
	return GetSecurityInfo(h, SE_FILE_OBJECT, SD_PARTS, NULL, NULL, NULL, NULL, sd);
}

int cg_fmeta_get(int fd, struct cg_fmeta *m)
{
	HANDLE h = cg_win_handle(fd);
	PSECURITY_DESCRIPTOR sd = NULL;
	FILE_BASIC_INFO b;
	DWORD e, n;

	memset(m, 0, sizeof(*m));
	if (!GetFileInformationByHandleEx(h, FileBasicInfo, &b, sizeof(b)))
		return cg_win_last();
	m->atime_ns = cg_win_ft_ns(b.LastAccessTime.QuadPart);
	m->mtime_ns = cg_win_ft_ns(b.LastWriteTime.QuadPart);
	m->btime_ns = cg_win_ft_ns(b.CreationTime.QuadPart);
	m->win_attrs = b.FileAttributes;
	m->mode = cg_win_mode(b.FileAttributes, 0);
	e = get_sd(h, &sd);
	if (e == ERROR_ACCESS_DENIED)
		return CG_OK; /* a handle without READ_CONTROL: the times and attributes only */
	if (e != ERROR_SUCCESS)
		return cg_win_err(e);
	n = GetSecurityDescriptorLength(sd);
	if (n == 0 || n > CG_FMETA_MAX_SD) {
		LocalFree(sd);
		return CG_ELIMIT;
	}
	m->sd = cg_malloc(n);
	if (m->sd) {
		memcpy(m->sd, sd, n);
		m->sd_len = n;
	}
	LocalFree(sd);
	return m->sd ? CG_OK : CG_ENOMEM;
}

/* Turns one privilege of the process token on (on != 0) or back off; 1 when it was on. */
static int set_privilege(const wchar_t *name, int on, int *was_on)
{
	TOKEN_PRIVILEGES tp, prev;
	HANDLE tok;
	DWORD got = 0;
	BOOL ok;

	if (!OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY, &tok))
		return cg_win_last();
	tp.PrivilegeCount = 1;
	tp.Privileges[0].Attributes = on ? SE_PRIVILEGE_ENABLED : 0;
	ok = LookupPrivilegeValueW(NULL, name, &tp.Privileges[0].Luid) &&
	     AdjustTokenPrivileges(tok, FALSE, &tp, sizeof(prev), &prev, &got) &&
	     GetLastError() == ERROR_SUCCESS;
	if (ok && was_on)
		*was_on = prev.PrivilegeCount == 0 ||
		          (prev.Privileges[0].Attributes & SE_PRIVILEGE_ENABLED) != 0;
	CloseHandle(tok);
	return ok ? CG_OK : CG_EPERM;
}

/* Owner, group and DACL from the saved descriptor; SeRestorePrivilege lets the owner be any
 * SID, not only ours. A DACL that inherited nothing stays protected; otherwise the inherited
 * entries are taken from the new parent again, as a file created there would get them. */
static int apply_sd(HANDLE h, const uint8_t *bytes, size_t len)
{
	PSECURITY_DESCRIPTOR sd = (PSECURITY_DESCRIPTOR)bytes;
	SECURITY_DESCRIPTOR_CONTROL ctl = 0;
	PSID owner = NULL, group = NULL;
	PACL dacl = NULL;
	BOOL present = FALSE, def = FALSE;
	DWORD rev, si = 0, e;
	int was_on = 1;

	if (!IsValidSecurityDescriptor(sd) || GetSecurityDescriptorLength(sd) > len ||
	    !GetSecurityDescriptorControl(sd, &ctl, &rev) || !(ctl & SE_SELF_RELATIVE) ||
	    !GetSecurityDescriptorOwner(sd, &owner, &def) ||
	    !GetSecurityDescriptorGroup(sd, &group, &def) ||
	    !GetSecurityDescriptorDacl(sd, &present, &dacl, &def))
		return CG_EINVAL;
	if (owner)
		si |= OWNER_SECURITY_INFORMATION;
	if (group)
		si |= GROUP_SECURITY_INFORMATION;
	if (present)
		si |= DACL_SECURITY_INFORMATION |
		      ((ctl & SE_DACL_PROTECTED) ? PROTECTED_DACL_SECURITY_INFORMATION
		                                 : UNPROTECTED_DACL_SECURITY_INFORMATION);
	if (!si)
		return CG_OK;
	(void)set_privilege(SE_RESTORE_NAME, 1, &was_on);
	e = SetSecurityInfo(h, SE_FILE_OBJECT, si, owner, group, present ? dacl : NULL, NULL);
	if (!was_on)
		(void)set_privilege(SE_RESTORE_NAME, 0, NULL);
	return cg_win_err(e);
}

int cg_fmeta_set(int fd, const struct cg_fmeta *m, unsigned flags, unsigned *notes)
{
	HANDLE h = cg_win_handle(fd);
	FILE_BASIC_INFO b;
	int rc;

	(void)flags; /* no setuid or setgid on Windows */
	if (notes)
		*notes = 0;
	if (m->sd && m->sd_len) {
		if (cg_is_privileged()) {
			if ((rc = apply_sd(h, m->sd, m->sd_len)) != 0)
				return rc;
		} else if (notes) {
			*notes |= CG_FMETA_NOTE_SD_SKIPPED;
		}
	}
	/* 0 leaves a time or the attributes as they are; READONLY goes on last of all, and our
	 * handle keeps the write access it was opened with */
	memset(&b, 0, sizeof(b));
	b.LastAccessTime.QuadPart = ns_to_ticks(m->atime_ns);
	b.LastWriteTime.QuadPart = ns_to_ticks(m->mtime_ns);
	if (m->btime_ns)
		b.CreationTime.QuadPart = ns_to_ticks(m->btime_ns);
	if (m->win_attrs)
		b.FileAttributes = (m->win_attrs & SETTABLE_ATTRS) ? (m->win_attrs & SETTABLE_ATTRS)
		                                                   : FILE_ATTRIBUTE_NORMAL;
	if (!SetFileInformationByHandle(h, FileBasicInfo, &b, sizeof(b)))
		return cg_win_last();
	return CG_OK;
}

void cg_fmeta_clear(struct cg_fmeta *m)
{
	if (!m)
		return;
	cg_free(m->sd);
	memset(m, 0, sizeof(*m));
}

/* 1 when sid is the user of this process's token (which=TokenUser) or the owner it gives new
 * objects (which=TokenOwner). */
static int token_sid_is(TOKEN_INFORMATION_CLASS which, PSID sid)
{
	union {
		TOKEN_USER tu;
		TOKEN_OWNER to;
		uint8_t b[256];
	} u;
	HANDLE tok;
	DWORD got = 0;
	BOOL ok;

	if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok))
		return 0;
	ok = GetTokenInformation(tok, which, &u, sizeof(u), &got);
	CloseHandle(tok);
	if (!ok)
		return 0;
	return EqualSid(sid, which == TokenUser ? u.tu.User.Sid : u.to.Owner) != 0;
}

/* 1 under wine, which has no file owners: it shows every file of the Unix user as owned by the
 * Windows user, whatever owner the file was created with. */
static int on_wine(void)
{
	HMODULE nt = GetModuleHandleW(L"ntdll.dll");
	return nt && GetProcAddress(nt, "wine_get_version") != NULL;
}

/* SYSTEM, the Administrators, the default owner of what this process creates (Administrators
 * for an elevated administrator, unless policy says the creator), or, not elevated, the user:
 * an elevated process must not trust a folder that the user's unelevated programs, owning it,
 * could open up. Under wine the user is trusted too (see on_wine). */
static int trusted_owner(PSID owner)
{
	return IsWellKnownSid(owner, WinLocalSystemSid) ||
	       IsWellKnownSid(owner, WinBuiltinAdministratorsSid) ||
	       token_sid_is(TokenOwner, owner) ||
	       ((!cg_is_privileged() || on_wine()) && token_sid_is(TokenUser, owner));
}

int cg_fs_check_private(int fd, int fix)
{
	HANDLE h = cg_win_handle(fd), h2 = INVALID_HANDLE_VALUE;
	PSECURITY_DESCRIPTOR sd = NULL;
	PSID owner = NULL;
	BOOL def = FALSE;
	DWORD e;
	int rc = CG_EPERM;

	(void)fix; /* the store's ACL is set when it is made (cg_at_mkdir); not re-examined here */
	e = get_sd(h, &sd);
	if (e == ERROR_ACCESS_DENIED) {
		/* a directory walked with read access only: ask again for READ_CONTROL */
		h2 = ReOpenFile(h, READ_CONTROL,
		                FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
		                FILE_FLAG_BACKUP_SEMANTICS);
		if (h2 == INVALID_HANDLE_VALUE)
			return cg_win_last();
		e = get_sd(h2, &sd);
		CloseHandle(h2);
	}
	if (e != ERROR_SUCCESS)
		return cg_win_err(e);
	if (GetSecurityDescriptorOwner(sd, &owner, &def) && owner && trusted_owner(owner))
		rc = CG_OK;
	LocalFree(sd);
	return rc;
}

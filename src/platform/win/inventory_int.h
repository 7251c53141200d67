/* inventory_int.h - what the files of the Windows inventory collector share (hostinv.h):
 * registry reading in UTF-8, and the parts each file collects. Private to src/platform/win. */
#ifndef CANHGAC_PLATFORM_WIN_INVENTORY_INT_H
#define CANHGAC_PLATFORM_WIN_INVENTORY_INT_H

#include "canhgac/error.h"
#include "canhgac/wininv.h"
#include "win.h"

/* The registry views: the 64-bit one (native on 64-bit Windows) and WOW6432Node. */
#define INV_VIEW64 KEY_WOW64_64KEY
#define INV_VIEW32 KEY_WOW64_32KEY

/* Opens root\path for reading in a view. CG_ENOENT when absent. */
int cg_inv_open(HKEY root, const wchar_t *path, REGSAM view, HKEY *out);
/* A REG_SZ / REG_EXPAND_SZ value (not expanded) as allocated UTF-8 (cg_free); a value longer
 * than 32 KiB is CG_ELIMIT, other types CG_EINVAL, absence CG_ENOENT. */
int cg_inv_str(HKEY k, const wchar_t *name, char **out);
/* A NUL-terminated UTF-16 string as allocated UTF-8 (cg_free); CG_EINVAL when not UTF-16. */
int cg_inv_utf8(const wchar_t *w, char **out);
/* A REG_DWORD value. */
int cg_inv_dword(HKEY k, const wchar_t *name, DWORD *out);
/* A REG_DWORD of root\path, or CG_ENOENT when the key or value is absent. */
int cg_inv_path_dword(HKEY root, const wchar_t *path, const wchar_t *name, REGSAM view, DWORD *out);
/* Calls cb for each subkey (UTF-8 name and the open subkey, closed after cb; NULL when it cannot
 * be opened; in `view`) of k, at most CG_MAX_WININV_KEYS; cb returns 0 to go on. */
int cg_inv_subkeys(HKEY k, REGSAM view, int (*cb)(void *arg, const char *name, HKEY sub),
                   void *arg);
/* Calls cb for each string value (UTF-8 name, "" for the default value, and data) of k. */
int cg_inv_values(HKEY k, int (*cb)(void *arg, const char *name, const char *data), void *arg);
/* 1 on 32-bit Windows (one registry view only). */
int cg_inv_os32(void);

/* Reports a part that could not be read and says whether to stop (CG_ENOMEM) or go on. */
int cg_inv_part(struct cg_diags *d, const char *part, int rc);

/* The parts (inventory_sec.c, inventory_auto.c). Each returns 0 or the first error. */
int cg_inv_security(struct cg_wininv *inv, struct cg_diags *d);
int cg_inv_admins(struct cg_wininv *inv);
int cg_inv_network(struct cg_wininv *inv);
int cg_inv_autoruns(struct cg_wininv *inv, struct cg_diags *d);

#endif

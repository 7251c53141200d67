/* dpkg.h - the packaged-file guard: is a file shipped by an installed Debian package?
 *
 * Reads dpkg's database (<admindir>/info/PKG.md5sums, lines "<32 hex>  <path without the
 * leading slash>") into an in-memory index the first time a lookup needs it. Used by the
 * quarantine so that an unmodified packaged file (a false positive on /usr/bin/ls) is not
 * removed. A struct cg_dpkg is not thread-safe: use one per thread or lock around it.
 */
#ifndef CANHGAC_DPKG_H
#define CANHGAC_DPKG_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/error.h"

#define CG_DPKG_DEFAULT_ADMINDIR "/var/lib/dpkg"

struct cg_dpkg;

/* Creates a guard over `admindir` (NULL means CG_DPKG_DEFAULT_ADMINDIR). Nothing is read yet.
 * The caller frees it with cg_dpkg_close. Errors: CG_ENOMEM, CG_EINVAL. */
int cg_dpkg_open(const char *admindir, struct cg_dpkg **out);
void cg_dpkg_close(struct cg_dpkg *g);

/* Loads the index now (otherwise the first lookup does). Bad lines and unreadable files are
 * skipped and reported in `d` (optional); a missing admindir yields an empty index. Caps:
 * CG_DPKG_MAX_ENTRIES files, CG_DPKG_MAX_PKGS packages, CG_DPKG_MAX_MD5SUMS bytes per file
 * (files past a cap are reported and skipped; the return is then CG_EPARTIAL). Returns 0,
 * CG_EPARTIAL, or CG_ENOMEM (then the guard stays unloaded). */
int cg_dpkg_load(struct cg_dpkg *g, struct cg_diags *d);

/* Looks up the normal absolute path `abs_path`. Merged /usr is handled: /usr/bin/x matches an
 * entry "bin/x" and /bin/x matches "usr/bin/x" (also lib, lib32, lib64, libx32, sbin); an exact
 * entry wins over a merged-/usr alias. On a hit, copies the package name (":arch" removed)
 * into pkg (truncated to pkgcap, NUL-terminated) and the recorded MD5 into md5 (either may be
 * NULL) and returns 1; returns 0 when no package lists the file, or a negative CG_E code when
 * the index cannot be loaded. */
int cg_dpkg_lookup(struct cg_dpkg *g, const char *abs_path, char *pkg, size_t pkgcap,
                   uint8_t md5[16]);

/* Parses one md5sums line (without its '\n'; a trailing '\r' is ignored): 32 hex digits, one
 * or more spaces (a '*' binary marker is allowed), then a non-empty path. On success fills md5
 * and points *path / *pathlen into `line`. Returns 0 or CG_EPARSE. Pure; exposed for fuzzing. */
int cg_dpkg_parse_line(const char *line, size_t len, uint8_t md5[16], const char **path,
                       size_t *pathlen);

/* Parses a whole md5sums buffer, calling cb for each good line; bad lines (and lines longer
 * than CG_DPKG_MAX_LINE) are reported in `d` with `src` and the line number and skipped. A
 * non-zero return from cb stops parsing and is returned. Returns 0 or cb's code. */
int cg_dpkg_parse_md5sums(const char *buf, size_t len, const char *src,
                          int (*cb)(void *arg, const uint8_t md5[16], const char *path,
                                    size_t pathlen),
                          void *arg, struct cg_diags *d);

#endif

/* dirlist.h - one folder's entries with their DOS/Windows attributes, and setting those
 * attributes (platform layer). For usb-clean: a worm hides files by setting Hidden and System.
 *
 * Windows: the attributes are the file system's (FindFirstFileExW / SetFileAttributesW).
 * Linux: on a FAT or exFAT stick (vfat, msdos) they come from the FAT_IOCTL_*_ATTRIBUTES
 * ioctls; on other file systems there are none (0) and setting them gives CG_EUNSUPP.
 * Links are never followed: a link is listed with CG_FA_REPARSE and never opened.
 */
#ifndef CANHGAC_DIRLIST_H
#define CANHGAC_DIRLIST_H

#include <stddef.h>
#include <stdint.h>

struct cg_dirent {
	const char *name; /* UTF-8 on Windows; the bytes on Linux; never "." or ".." */
	uint32_t attrs;   /* CG_FA_* (usbclean.h) */
	uint64_t size;
};

/* Calls cb for each entry of the folder `path` (at most `max` entries: CG_ELIMIT beyond).
 * Returns 0, the callback's nonzero value (which stops the listing), or a CG_E code. */
int cg_dir_list(const char *path, size_t max, int (*cb)(void *arg, const struct cg_dirent *e),
                void *arg);

/* Sets the Hidden, System and Read-only attributes of `path` to those in attrs (other bits are
 * ignored), without following a link. Returns 0, CG_EUNSUPP (no such attributes here), or a
 * CG_E code. */
int cg_file_set_attrs(const char *path, uint32_t attrs);

#endif

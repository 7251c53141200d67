/* lnk.h - Windows shell link (.lnk) files, read as [MS-SHLLINK] defines them (engine, no I/O).
 *
 * USB worms hide the user's folders and put shortcuts with the same names in their place; each
 * shortcut runs the worm (cmd.exe, wscript.exe, rundll32.exe... with arguments naming a file on
 * the stick) and then opens the hidden folder. usb-clean reads every shortcut to tell these from
 * the user's own. The bytes are hostile: every offset and count is checked against the buffer,
 * and strings are capped at CG_MAX_LNK_STRING bytes of UTF-8.
 *
 * What is kept: the target path (LinkInfo's local base path, or the path rebuilt from the
 * LinkTargetIDList's drive and file-entry items when there is no LinkInfo, or the network path),
 * and the StringData fields (name, relative path, working directory, arguments, icon). ANSI
 * strings are read as Windows-1258 (the Vietnamese code page); Unicode ones as UTF-16LE. All
 * results are UTF-8.
 */
#ifndef CANHGAC_LNK_H
#define CANHGAC_LNK_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/error.h"

struct cg_lnk {
	uint32_t flags;      /* LinkFlags */
	uint32_t file_attrs; /* FileAttributes of the target when the link was made */
	uint32_t show_cmd;   /* ShowCommand: 1 normal, 3 maximised, 7 minimised (worms hide) */
	char *target;        /* absolute target path, or NULL when the link names none */
	char *name;          /* the StringData fields, NULL when absent */
	char *relative_path;
	char *working_dir;
	char *arguments;
	char *icon_location;
};

/* Parses one .lnk file of len bytes (at most CG_MAX_LNK_FILE). Returns 0, CG_EPARSE (not a
 * shell link or malformed; a diagnostic names the field and the offset when d is given),
 * CG_ELIMIT or CG_ENOMEM. On success *out holds allocated strings (cg_lnk_clear). */
int cg_lnk_parse(const uint8_t *buf, size_t len, const char *source, struct cg_lnk *out,
                 struct cg_diags *d);
void cg_lnk_clear(struct cg_lnk *l);

#endif

/* usbclean.h - what to do on a USB stick infected by a shortcut worm (engine, no I/O).
 *
 * The shortcut worms common in schools (the "folder.lnk" family: Jenxcus/Dinihou, Bundpil,
 * VBS/Autorun...) hide every folder and file at the root of a stick (Hidden+System), often move
 * them into a folder with a blank-looking name, and put a shortcut named like each one in its
 * place. The shortcut runs the worm (cmd.exe /c start x.vbs, wscript.exe, rundll32.exe...) and
 * then opens the hidden folder, so the user notices nothing. An autorun.inf may start it too.
 *
 * The program lists the stick (the root and one level below), reads each shortcut (lnk.h), and
 * gives the entries here. cg_usbclean_plan decides, for each entry, one action:
 *  - QUARANTINE: a worm shortcut, autorun.inf, or a script/executable that a worm shortcut runs
 *    or that sits hidden at the root;
 *  - UNHIDE: a file or folder of the user that the worm hid (its Hidden and System attributes
 *    are cleared);
 *  - KEEP: everything else, including the system's own hidden folders (System Volume
 *    Information, $RECYCLE.BIN).
 * Each decision carries a reason in Vietnamese and English. Nothing is deleted: quarantined
 * files can be restored.
 */
#ifndef CANHGAC_USBCLEAN_H
#define CANHGAC_USBCLEAN_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/lnk.h"

/* FILE_ATTRIBUTE_* values, the same on every platform. */
#define CG_FA_READONLY 0x1u
#define CG_FA_HIDDEN 0x2u
#define CG_FA_SYSTEM 0x4u
#define CG_FA_DIRECTORY 0x10u
#define CG_FA_REPARSE 0x400u

struct cg_usb_entry {
	const char *path;         /* relative to the stick's root, '\\' or '/' separated, UTF-8 */
	uint32_t attrs;           /* CG_FA_* bits */
	uint64_t size;            /* bytes */
	const struct cg_lnk *lnk; /* the parsed shortcut when path ends in .lnk and it parsed */
};

enum cg_usb_action { CG_USB_KEEP = 0, CG_USB_QUARANTINE, CG_USB_UNHIDE };

enum cg_usb_reason {
	CG_USB_R_NONE = 0,
	CG_USB_R_WORM_LNK,  /* a shortcut that runs a command interpreter or a file on the stick */
	CG_USB_R_DECOY_LNK, /* a shortcut named like a folder or file the worm hid */
	CG_USB_R_AUTORUN,   /* autorun.inf */
	CG_USB_R_PAYLOAD,   /* a file a worm shortcut runs */
	CG_USB_R_HIDDEN_SCRIPT, /* a hidden executable or script at the root */
	CG_USB_R_HIDDEN_USER,   /* the user's file or folder, hidden by the worm */
};

struct cg_usb_decision {
	enum cg_usb_action action;
	enum cg_usb_reason reason;
};

/* Decides an action for each of the n entries (n at most CG_MAX_USB_ENTRIES); out has n slots,
 * in the same order. Returns 0, CG_EINVAL or CG_ELIMIT (nothing decided then). *infected is
 * set to 1 when anything was found to quarantine. */
int cg_usbclean_plan(const struct cg_usb_entry *e, size_t n, struct cg_usb_decision *out,
                     int *infected);

/* The reason in the current language (error.h cg_tr). */
const char *cg_usbclean_reason(enum cg_usb_reason r);

#endif

/* error.h - the one error convention of canhgac, and diagnostics for parsers of outside data.
 *
 * Every function that can fail returns int: 0 on success or a negative CG_E* code. Functions
 * that parse outside data also take an optional struct cg_diags to which they add one entry per
 * problem found (source, line, column, message in Vietnamese and English). Core code never
 * prints or exits; programs turn codes and diagnostics into messages.
 */
#ifndef CANHGAC_ERROR_H
#define CANHGAC_ERROR_H

#include <stddef.h>

enum cg_err {
	CG_OK = 0,
	CG_ENOMEM = -1,     /* out of memory */
	CG_EINVAL = -2,     /* invalid argument (a caller's bug or a bad option) */
	CG_EPARSE = -3,     /* outside data is malformed; details in the diagnostics */
	CG_EIO = -4,        /* read or write failed */
	CG_ENOENT = -5,     /* no such file or object */
	CG_EPERM = -6,      /* permission denied */
	CG_ELIMIT = -7,     /* a size or count cap of limits.h was reached */
	CG_ECHANGED = -8,   /* the object changed while we worked on it */
	CG_EEXIST = -9,     /* refusing to overwrite */
	CG_ENOSPC = -10,    /* no space left on the device */
	CG_EROFS = -11,     /* read-only file system */
	CG_EUNSUPP = -12,   /* a valid form we do not support */
	CG_ECRYPTO = -13,   /* a cryptographic check or operation failed */
	CG_ETIMEOUT = -14,  /* a time bound was reached */
	CG_ESANDBOX = -15,  /* the confined worker failed or died */
	CG_EREFUSED = -16,  /* refused by a guard rail (e.g. a packaged file); --force overrides */
	CG_ESYMLINK = -17,  /* a symbolic link where a regular file was expected */
	CG_EBADSIG = -18,   /* a signature over data does not verify */
	CG_EPARTIAL = -19,  /* data loaded only in part */
	CG_EINTERNAL = -20, /* a bug: an invariant did not hold */
	CG_ENOTFILE = -21,  /* not a regular file */
	CG_E_LAST = -22
};

/* Message languages. Vietnamese is the default; programs set the language once at start. */
enum cg_lang { CG_LANG_VI = 0, CG_LANG_EN = 1 };

void cg_lang_set(enum cg_lang lang);
enum cg_lang cg_lang_get(void);

/* Picks the Vietnamese or English text by the current language. */
const char *cg_tr(const char *vi, const char *en);

/* A short description of an error code in the current language; never NULL. */
const char *cg_strerror(int err);

/* Maps an errno value to a CG_E code (used only in src/platform). */
int cg_from_errno(int e);

/* The printf format archetype for __attribute__((format)): mingw-w64 is built with its C99
 * printf (__USE_MINGW_ANSI_STDIO), whose archetype is gnu_printf there. */
#if defined(__MINGW32__)
#define CG_FMT_PRINTF __gnu_printf__
#else
#define CG_FMT_PRINTF __printf__
#endif

/* CG_MSG("vi %s", "en %s") passes a message in both languages to a function that takes both. */
#define CG_MSG(vi, en) vi, en

/* One problem found in outside data. source is the file name or another label; line and column
 * are 1-based, 0 when unknown. Both messages are always filled. */
struct cg_diag {
	char source[256];
	unsigned long line;
	unsigned int column;
	int code;
	char msg_vi[320];
	char msg_en[320];
};

/* A bounded list of diagnostics. Zero-initialise (CG_DIAGS_INIT); cg_diags_clear frees it.
 * After CG_MAX_DIAGS entries further ones are only counted in `dropped`. */
struct cg_diags {
	struct cg_diag *v;
	size_t n, cap;
	size_t dropped;
};
#define CG_DIAGS_INIT                                                                              \
	{                                                                                          \
		NULL, 0, 0, 0                                                                      \
	}

/* Adds a diagnostic; d may be NULL (then nothing happens). Formats are printf-style and both
 * consume the same arguments. Returns `code` so callers can write `return cg_diags_add(...)`. */
int cg_diags_add(struct cg_diags *d, int code, const char *source, unsigned long line,
                 unsigned int column, const char *fmt_vi, const char *fmt_en, ...)
    __attribute__((format(CG_FMT_PRINTF, 6, 8), format(CG_FMT_PRINTF, 7, 8)));
void cg_diags_clear(struct cg_diags *d);
/* The message of one diagnostic in the current language. */
const char *cg_diag_msg(const struct cg_diag *g);

#endif

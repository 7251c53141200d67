/* glob.h - shell-style wildcard matching for exclude patterns (core; no I/O).
 *
 * '*' matches any run of characters, '?' one character, "[abc]", "[a-z]" and "[!x]" one
 * character of (or not of) a set; '\' escapes the next character unless CG_GLOB_WINSEP is set,
 * where '\' is a path separator. Like fnmatch() without flags, '*' also matches separators, so
 * a pattern matches a full path or a base name alike. Characters are bytes (UTF-8 passes
 * through; a '?' matches one byte, not one code point).
 */
#ifndef CANHGAC_GLOB_H
#define CANHGAC_GLOB_H

enum {
	CG_GLOB_NOCASE = 1, /* ASCII letters match regardless of case (Windows names) */
	CG_GLOB_WINSEP = 2  /* '\' and '/' are both separators and match each other */
};

/* 1 when `s` matches `pat`, 0 when not. Bounded work: a pattern with many '*' costs at most
 * O(strlen(pat) * strlen(s)). */
int cg_glob_match(const char *pat, const char *s, unsigned flags);

#endif

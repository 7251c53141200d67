/* run.h - running a helper program and capturing its output (platform layer).
 *
 * For the few facts only a system tool gives (the rpm database). No shell is involved: argv[0]
 * is an absolute path, the environment is fixed (LC_ALL=C, a system PATH), standard input is
 * /dev/null and standard error is discarded. The output is capped.
 */
#ifndef CANHGAC_RUN_H
#define CANHGAC_RUN_H

#include <stddef.h>
#include <stdint.h>

/* Runs argv (argv[0] absolute, NULL-terminated) and captures its standard output, at most max
 * bytes (CG_ELIMIT beyond). *out is allocated and NUL-terminated. Returns 0 when the program
 * exited with status 0, CG_ENOENT when it cannot be run, CG_EIO when it failed. */
int cg_run_capture(const char *const argv[], size_t max, uint8_t **out, size_t *len);

#endif

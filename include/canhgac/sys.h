/* sys.h - small OS services for programs and host code: clock, host facts, data directory,
 * whole-file reads with a cap, directory creation. Platform layer. */
#ifndef CANHGAC_SYS_H
#define CANHGAC_SYS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Facts about this host that every event carries (event.h). */
struct cg_host_facts {
	const char *hostname; /* NULL when unknown */
	const char *os; /* e.g. "Debian GNU/Linux 12 (bookworm)", "Windows 10 Pro 10.0.19045" */
	const char *machine_id; /* /etc/machine-id; Windows: MachineGuid */
};

/* The path separator programs write ("\\" on Windows, "/" elsewhere). */
#ifdef _WIN32
#define CG_DIRSEP "\\"
#else
#define CG_DIRSEP "/"
#endif

/* Wall clock, UTC milliseconds since the epoch. */
int64_t cg_now_ms(void);
/* Monotonic clock, nanoseconds. */
int64_t cg_mono_ns(void);

/* Host facts read once: host name, OS from /etc/os-release, /etc/machine-id (Windows: DNS host
 * name, ProductName and RtlGetVersion, the MachineGuid of HKLM\SOFTWARE\Microsoft\Cryptography).
 * Never fails; a missing fact stays NULL. The strings live until the process ends. */
const struct cg_host_facts *cg_host_facts(void);

/* The data directory: `opt` when given, else $CANHGAC_DATA_DIR, else /var/lib/canhgac for root,
 * else $XDG_DATA_HOME/canhgac or ~/.local/share/canhgac. On Windows: `opt`, else
 * %CANHGAC_DATA_DIR%, else %ProgramData%\canhgac. Writes into out (cap bytes). */
int cg_datadir_resolve(const char *opt, char *out, size_t cap);

/* mkdir -p with `mode` for directories it creates. */
int cg_mkdir_p(const char *path, unsigned mode);

/* Reads a whole file of at most max bytes into an allocated buffer (NUL-terminated for
 * convenience; *len excludes the NUL). CG_ELIMIT when larger, CG_ENOENT, CG_EPERM, CG_EIO. */
int cg_read_file(const char *path, size_t max, uint8_t **buf, size_t *len);
/* The same for `name` inside the directory dirfd; with nofollow a symbolic link is refused
 * (CG_ESYMLINK). A file that shrinks while read gives CG_ECHANGED. */
int cg_read_file_at(int dirfd, const char *name, int nofollow, size_t max, uint8_t **buf,
                    size_t *len);

/* Writes a file atomically: temp file in the same directory, fsync, rename, fsync dir. */
int cg_write_file_atomic(const char *path, const void *buf, size_t len, unsigned mode);

/* Makes a file written by someone else (a library that takes a file name) durable and puts it
 * in place: fsync tmp, rename it to path, fsync the directory. On failure tmp is removed. */
int cg_file_fsync_rename(const char *tmp, const char *path);
/* A cg_alloc_large_fn (alloc.h): asks the kernel to back the whole pages of [p, p + n) with
 * huge pages where it can (madvise MADV_HUGEPAGE); a hint, silently ignored elsewhere. */
void cg_sys_large_alloc_hint(void *p, size_t n);
/* A hint for programs about to build large arrays and stream large files: keep big blocks in
 * the heap, grow it by `bytes` at once and use huge pages there, so fewer page faults (costly
 * on virtual machines). Call once, before the allocations; never fails. */
void cg_mem_prefer_huge(size_t bytes);

/* The canonical absolute form of an existing path (realpath: links resolved, no "." or "..").
 * Returns 0, CG_ELIMIT when it does not fit in cap, or the error of the lookup. */
int cg_path_real(const char *path, char *out, size_t cap);

/* The folder holding the running program (for --portable: state kept beside canhgac.exe on a
 * USB stick). Returns 0, CG_ELIMIT or the error of the lookup. */
int cg_exe_dir(char *out, size_t cap);

/* Sets an environment variable of this process (inherited by its children). */
int cg_setenv(const char *name, const char *value);

/* 1 when path is absolute: "/..." on POSIX; "C:\...", "C:/..." or "\\server\share..." on
 * Windows. */
int cg_path_is_absolute(const char *path);

/* The full path of the running program. */
int cg_exe_path(char *out, size_t cap);

/* 1 when this process runs with full privileges (root; an elevated administrator on Windows),
 * else 0. */
int cg_is_privileged(void);

/* The SHA-256 of a file read to its end (opened without following a final link), and its
 * size. Returns 0, CG_ENOENT, CG_EIO, or CG_ELIMIT when it is larger than max bytes. */
int cg_file_sha256(const char *path, uint64_t max, uint8_t sha256[32], uint64_t *size);

/* A named pointer to a sibling entry (bundles/current -> "2026.12.01"): a symbolic link on
 * POSIX, a small file holding the name on Windows. cg_pointer_set replaces it atomically and
 * durably (value "" removes it); cg_pointer_read gives "" when there is none (0), CG_ELIMIT when
 * the name does not fit in cap. */
int cg_pointer_set(const char *path, const char *value);
int cg_pointer_read(const char *path, char *out, size_t cap);
/* Appends len bytes to path (created owner-only, a final link refused) and makes them durable. */
int cg_path_append(const char *path, const void *buf, size_t len);
/* Copies src (a final link refused) to dst (created or truncated, owner-only), durably; more
 * than max bytes gives CG_ELIMIT. On failure dst is removed. */
int cg_file_copy(const char *src, const char *dst, uint64_t max);
/* Renames a file or an (empty-target) directory, replacing a file at `to`, durably. */
int cg_path_rename(const char *from, const char *to);

/* fopen mode suffix for a stream not inherited by child programs ("e": O_CLOEXEC on glibc;
 * Windows' runtime has no such letter, and the agent's children inherit only their pipes). */
#ifdef _WIN32
#define CG_FOPEN_E ""
#else
#define CG_FOPEN_E "e"
#endif
/* fflush and then fsync (Windows: _commit) of a stdio stream: its data durable. */
int cg_stream_sync(FILE *f);

/* The local (time zone of the system) calendar time of a unix time in seconds. */
struct tm;
int cg_local_tm(int64_t unix_s, struct tm *out);

/* Number of online CPUs (at least 1). */
int cg_ncpu(void);

/* Sleeps about ms milliseconds (less when a stop request arrives). */
void cg_sleep_ms(long ms);
/* From now on, Ctrl-C, SIGTERM/SIGHUP (a console close or shutdown on Windows) set a flag that
 * cg_stop_requested reads, instead of killing the process: long-running commands then save
 * their state and exit. */
void cg_stop_on_signals(void);
int cg_stop_requested(void);
/* Sets that flag from within the program (a Windows service's stop control). */
void cg_stop_request(void);

#endif

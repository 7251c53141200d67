/* sys.c - clock, host facts, data directory and whole-file helpers (POSIX). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <unistd.h>

#include "canhgac/alloc.h"
#include "canhgac/digest.h"
#include "canhgac/error.h"
#include "canhgac/sys.h"
#include "banned.h"

int64_t cg_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t cg_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void cg_sys_large_alloc_hint(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	/* only the whole pages inside the block: the allocator's header page is shared */
	uintptr_t pg = 4096, a = ((uintptr_t)p + pg - 1) & ~(pg - 1);
	uintptr_t e = ((uintptr_t)p + n) & ~(pg - 1);
	if (e > a)
		(void)madvise((void *)a, e - a, MADV_HUGEPAGE);
#else
	(void)p;
	(void)n;
#endif
}

int cg_path_real(const char *path, char *out, size_t cap)
{
	char *r = realpath(path, NULL);
	size_t n;
	if (!r)
		return cg_from_errno(errno);
	n = strlen(r);
	if (n >= cap) {
		free(r);
		return CG_ELIMIT;
	}
	memcpy(out, r, n + 1);
	free(r);
	return CG_OK;
}

int cg_exe_dir(char *out, size_t cap)
{
	char buf[4096];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	char *slash;
	if (n < 0)
		return cg_from_errno(errno);
	if ((size_t)n >= sizeof(buf) - 1)
		return CG_ELIMIT;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return CG_EIO;
	*(slash == buf ? slash + 1 : slash) = '\0';
	if (strlen(buf) >= cap)
		return CG_ELIMIT;
	memcpy(out, buf, strlen(buf) + 1);
	return CG_OK;
}

int cg_exe_path(char *out, size_t cap)
{
	return cg_path_real("/proc/self/exe", out, cap);
}

int cg_is_privileged(void)
{
	return geteuid() == 0;
}

int cg_ncpu(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 1024 ? 1024 : (int)n;
}

static volatile sig_atomic_t stop_flag;

static void on_stop(int sig)
{
	(void)sig;
	stop_flag = 1;
}

void cg_stop_on_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

int cg_stop_requested(void)
{
	return stop_flag != 0;
}

void cg_sleep_ms(long ms)
{
	struct timespec ts;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	/* a signal interrupts the sleep: the caller sees the stop request at once */
	nanosleep(&ts, NULL);
}

static struct cg_host_facts facts;
static char f_host[256], f_os[512], f_mid[64];
static pthread_once_t facts_once = PTHREAD_ONCE_INIT;

static void trim(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		s[--n] = '\0';
}

static void read_os(void)
{
	FILE *f = fopen("/etc/os-release", "re");
	char line[512];
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "PRETTY_NAME=", 12) == 0) {
			char *v = line + 12;
			size_t n;
			trim(v);
			n = strlen(v);
			if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
				v[n - 1] = '\0';
				v++;
			}
			snprintf(f_os, sizeof(f_os), "%s", v);
			facts.os = f_os;
		}
	}
	fclose(f);
}

static void load_facts(void)
{
	FILE *f;
	if (gethostname(f_host, sizeof(f_host) - 1) == 0 && f_host[0])
		facts.hostname = f_host;
	read_os();
	f = fopen("/etc/machine-id", "re");
	if (f) {
		if (fgets(f_mid, sizeof(f_mid), f)) {
			trim(f_mid);
			if (f_mid[0])
				facts.machine_id = f_mid;
		}
		fclose(f);
	}
}

const struct cg_host_facts *cg_host_facts(void)
{
	pthread_once(&facts_once, load_facts);
	return &facts;
}

int cg_datadir_resolve(const char *opt, char *out, size_t cap)
{
	const char *env = getenv("CANHGAC_DATA_DIR");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	int n;

	if (opt && *opt)
		n = snprintf(out, cap, "%s", opt);
	else if (env && *env)
		n = snprintf(out, cap, "%s", env);
	else if (geteuid() == 0)
		n = snprintf(out, cap, "/var/lib/canhgac");
	else if (xdg && *xdg == '/')
		n = snprintf(out, cap, "%s/canhgac", xdg);
	else if (home && *home)
		n = snprintf(out, cap, "%s/.local/share/canhgac", home);
	else
		return CG_ENOENT;
	return n < 0 || (size_t)n >= cap ? CG_ELIMIT : CG_OK;
}

int cg_mkdir_p(const char *path, unsigned mode)
{
	char buf[4096];
	size_t n = strlen(path);
	if (n == 0 || n >= sizeof(buf))
		return CG_ELIMIT;
	memcpy(buf, path, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, mode) != 0 && errno != EEXIST)
			return cg_from_errno(errno);
		if (i < n)
			buf[i] = '/';
	}
	return CG_OK;
}

int cg_read_file_at(int dirfd, const char *name, int nofollow, size_t max, uint8_t **buf,
                    size_t *len)
{
	int fd =
	    openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (nofollow ? O_NOFOLLOW : 0));
	struct stat st;
	uint8_t *b = NULL;
	size_t got = 0;
	int rc = CG_OK;

	if (fd < 0)
		return cg_from_errno(errno);
	if (fstat(fd, &st) != 0) {
		rc = cg_from_errno(errno);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = CG_ENOTFILE;
		goto out;
	}
	if ((uint64_t)st.st_size > max) {
		rc = CG_ELIMIT;
		goto out;
	}
	b = cg_malloc((size_t)st.st_size + 1);
	if (!b) {
		rc = CG_ENOMEM;
		goto out;
	}
	while (got < (size_t)st.st_size) {
		ssize_t r = pread(fd, b + got, (size_t)st.st_size - got, (off_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			rc = r < 0 ? cg_from_errno(errno) : CG_ECHANGED;
			goto out;
		}
		got += (size_t)r;
	}
	b[got] = '\0';
	*buf = b;
	*len = got;
	b = NULL;
out:
	cg_free(b);
	close(fd);
	return rc;
}

int cg_read_file(const char *path, size_t max, uint8_t **buf, size_t *len)
{
	return cg_read_file_at(AT_FDCWD, path, 0, max, buf, len);
}

int cg_write_file_atomic(const char *path, const void *buf, size_t len, unsigned mode)
{
	char tmp[4096], dir[4096];
	const uint8_t *p = buf;
	int fd, dfd, rc = CG_OK;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof(tmp) ||
	    snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return CG_ELIMIT;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return cg_from_errno(errno);
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			rc = cg_from_errno(errno);
			break;
		}
		p += w;
		len -= (size_t)w;
	}
	if (rc == 0 && fsync(fd) != 0)
		rc = cg_from_errno(errno);
	close(fd);
	if (rc == 0 && rename(tmp, path) != 0)
		rc = cg_from_errno(errno);
	if (rc != 0) {
		unlink(tmp);
		return rc;
	}
	dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return CG_OK;
}

int cg_file_fsync_rename(const char *tmp, const char *path)
{
	char dir[4096];
	int fd, dfd, rc = CG_OK;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir)) {
		unlink(tmp);
		return CG_ELIMIT;
	}
	fd = open(tmp, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		rc = cg_from_errno(errno);
	if (rc == CG_OK && fsync(fd) != 0)
		rc = cg_from_errno(errno);
	if (fd >= 0)
		close(fd);
	if (rc == CG_OK && rename(tmp, path) != 0)
		rc = cg_from_errno(errno);
	if (rc != CG_OK) {
		unlink(tmp);
		return rc;
	}
	dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return CG_OK;
}

/* Page faults cost a lot on virtual machines (each one traps to the hypervisor); a program that
 * builds large arrays then reads gigabytes through a few buffers spends much of its time there.
 * This keeps large blocks in the heap (freed ones are reused, already mapped), grows the heap by
 * `bytes` at once and asks for transparent huge pages over it: one fault per 2 MiB. Only where
 * glibc and madvise(MADV_HUGEPAGE) exist; elsewhere nothing happens. */
void cg_mem_prefer_huge(size_t bytes)
{
#if defined(__GLIBC__) && defined(MADV_HUGEPAGE)
	const uintptr_t huge = (uintptr_t)2 << 20;
	void *p;
	uintptr_t a, top;
	size_t pad = bytes > ((size_t)1 << 30) ? (size_t)1 << 30 : bytes;

	mallopt(M_MMAP_THRESHOLD, 256 << 20);
	mallopt(M_TRIM_THRESHOLD, (int)(2 * pad - 1));
	mallopt(M_TOP_PAD, (int)pad);
	p = malloc(1u << 20); /* grows the heap by at least the pad */
	if (!p)
		return;
	a = ((uintptr_t)p + huge - 1) & ~(huge - 1);
	top = (uintptr_t)sbrk(0);
	if (top != (uintptr_t)-1 && top > a + huge)
		madvise((void *)a, top - a, MADV_HUGEPAGE);
	free(p);
	mallopt(M_TOP_PAD, 64 << 20);
#else
	(void)bytes;
#endif
}

int cg_local_tm(int64_t unix_s, struct tm *out)
{
	time_t t = (time_t)unix_s;
	return localtime_r(&t, out) ? 0 : CG_EINVAL;
}

int cg_stream_sync(FILE *f)
{
	return fflush(f) == 0 && fsync(fileno(f)) == 0 ? 0 : CG_EIO;
}

int cg_setenv(const char *name, const char *value)
{
	return setenv(name, value, 1) == 0 ? 0 : cg_from_errno(errno);
}

int cg_path_is_absolute(const char *path)
{
	return path && path[0] == '/';
}

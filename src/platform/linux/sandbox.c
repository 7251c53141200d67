/* sandbox.c - fork a worker that drops privileges and is confined by seccomp; talk to it over
 * a socketpair with descriptors passed by SCM_RIGHTS. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "canhgac/sandbox.h"
#include "banned.h"

/* How long a new worker may take to confine itself and say so. */
#define WORKER_START_MS 10000

struct cg_worker {
	pid_t pid;
	int sock;
};

static uid_t nobody_uid = 65534;
static gid_t nobody_gid = 65534;
static pthread_once_t ids_once = PTHREAD_ONCE_INIT;

static void lookup_ids(void)
{
	struct passwd *pw = getpwnam("nobody");
	struct group *gr = getgrnam("nogroup");
	if (pw) {
		nobody_uid = pw->pw_uid;
		nobody_gid = pw->pw_gid;
	}
	if (gr)
		nobody_gid = gr->gr_gid;
}

/* The system calls a worker may make: reading descriptors it was given, memory, time, and
 * talking on its socket. Anything else kills it. */
static const int allowed[] = {
    SCMP_SYS(read),
    SCMP_SYS(write),
    SCMP_SYS(pread64),
    SCMP_SYS(readv),
    SCMP_SYS(writev),
    SCMP_SYS(lseek),
    SCMP_SYS(fstat),
    SCMP_SYS(close),
    SCMP_SYS(munmap),
    SCMP_SYS(mremap),
    SCMP_SYS(brk),
    SCMP_SYS(madvise),
    SCMP_SYS(recvmsg),
    SCMP_SYS(sendmsg),
    SCMP_SYS(futex),
    SCMP_SYS(exit),
    SCMP_SYS(exit_group),
    SCMP_SYS(rt_sigreturn),
    SCMP_SYS(rt_sigprocmask),
    SCMP_SYS(getrandom),
    SCMP_SYS(clock_gettime),
    SCMP_SYS(gettimeofday),
    SCMP_SYS(getpid),
    SCMP_SYS(gettid),
    SCMP_SYS(sched_yield),
    SCMP_SYS(poll),
    SCMP_SYS(ppoll),
    SCMP_SYS(sigaltstack),
    SCMP_SYS(getrusage),
    SCMP_SYS(clock_getres),
    SCMP_SYS(restart_syscall),
    SCMP_SYS(rt_sigaction), /* libyara guards its scans with signal handlers */
    SCMP_SYS(getuid),
    SCMP_SYS(geteuid),
    SCMP_SYS(getgid),
    SCMP_SYS(getegid),
#if defined(__SANITIZE_ADDRESS__)
    /* the sanitizer runtime reports errors through these */
    SCMP_SYS(prctl),
    SCMP_SYS(sched_getaffinity),
    SCMP_SYS(readlink),
    SCMP_SYS(getppid),
    SCMP_SYS(ioctl),
    SCMP_SYS(kill),
    SCMP_SYS(tgkill),
    SCMP_SYS(wait4),
    SCMP_SYS(clone),
#endif
};

/* The filter as a BPF program, built once in the parent (libseccomp allocates), so that the
 * child loads it with one prctl() and allocates nothing between fork and confinement. */
static struct sock_fprog filter;
static int filter_rc = CG_ESANDBOX;
static pthread_once_t filter_once = PTHREAD_ONCE_INIT;

static int add_rules(scmp_filter_ctx ctx)
{
	int rc = 0;
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]) && rc == 0; i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed[i], 0);
	/* with argument checks: memory is never mapped executable; stat only on a held descriptor;
	 * fcntl only reads or sets status flags */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
		                      SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
		                      SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(newfstatat), 1,
		                      SCMP_A3(SCMP_CMP_MASKED_EQ, AT_EMPTY_PATH, AT_EMPTY_PATH));
	for (int cmd = 0; rc == 0 && cmd < 3; cmd++) {
		static const int cmds[] = {F_GETFL, F_SETFL, F_GETFD};
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(fcntl), 1,
		                      SCMP_A1(SCMP_CMP_EQ, cmds[cmd]));
	}
	/* Opening files fails with EACCES instead of killing: glibc's malloc reads
	 * /proc/sys/vm/overcommit_memory once when it trims a thread's heap, and can do without. */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(open), 0);
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(openat), 0);
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(openat2), 0);
	return rc;
}

static void build_filter(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	int fd = -1;
	off_t len;
	if (!ctx || add_rules(ctx) != 0)
		goto out;
	fd = memfd_create("canhgac-seccomp", MFD_CLOEXEC);
	if (fd < 0 || seccomp_export_bpf(ctx, fd) != 0)
		goto out;
	len = lseek(fd, 0, SEEK_END);
	if (len <= 0 || len % (off_t)sizeof(struct sock_filter) || len > 65536)
		goto out;
	filter.filter = cg_malloc((size_t)len);
	if (!filter.filter || pread(fd, filter.filter, (size_t)len, 0) != len)
		goto out;
	filter.len = (unsigned short)(len / (off_t)sizeof(struct sock_filter));
	filter_rc = CG_OK;
	/* The time zone is loaded here too: archive readers convert member times, the file
	 * cannot be opened once confined, and with TZ unset glibc stats /etc/localtime on every
	 * mktime(). Naming the file makes it load once (and changes nothing else). */
	if (!getenv("TZ"))
		setenv("TZ", ":/etc/localtime", 1);
	tzset();
out:
	if (fd >= 0)
		close(fd);
	if (ctx)
		seccomp_release(ctx);
}

static int confine(void)
{
	struct rlimit zero = {0, 0}, files = {16, 16};

	if (geteuid() == 0) {
		if (setgroups(0, NULL) != 0 || setresgid(nobody_gid, nobody_gid, nobody_gid) != 0 ||
		    setresuid(nobody_uid, nobody_uid, nobody_uid) != 0)
			return -1;
		if (setuid(0) == 0) /* must be impossible now */
			return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		return -1;
	setrlimit(RLIMIT_CORE, &zero);
	setrlimit(RLIMIT_FSIZE, &zero);
	setrlimit(RLIMIT_NOFILE, &files);
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &filter, 0, 0);
}

static int send_msg(int sock, int fd, const void *p, size_t n);
static int recv_msg(int sock, int *fd, void **out, size_t *outlen, int timeout_ms);

static void child(int sock, cg_worker_fn fn, void *arg)
{
	int status;
	/* the socket becomes descriptor 3; everything else but stdio is closed */
	if (sock != 3 && dup2(sock, 3) < 0)
		_exit(120);
	if (syscall(SYS_close_range, 4, ~0u, 0) != 0)
		for (int fd = 4; fd < 1024; fd++)
			close(fd);
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (confine() != 0)
		_exit(121);
	/* tell the parent confinement is in place before serving anything */
	if (send_msg(3, -1, "ready", 5) != 0)
		_exit(122);
	status = fn(3, arg);
	_exit(status & 0x7f);
}

int cg_worker_start(struct cg_worker **out, cg_worker_fn fn, void *arg)
{
	struct cg_worker *w = cg_calloc(1, sizeof(*w));
	int sv[2];

	if (!w)
		return CG_ENOMEM;
	pthread_once(&ids_once, lookup_ids);
	pthread_once(&filter_once, build_filter);
	if (filter_rc) {
		cg_free(w);
		return filter_rc;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		cg_free(w);
		return cg_from_errno(errno);
	}
	w->pid = fork();
	if (w->pid < 0) {
		int e = cg_from_errno(errno);
		close(sv[0]);
		close(sv[1]);
		cg_free(w);
		return e;
	}
	if (w->pid == 0) {
		close(sv[0]);
		child(sv[1], fn, arg);
	}
	close(sv[1]);
	w->sock = sv[0];
	{
		/* a worker that could not drop privileges or load its filter never says ready */
		void *hello = NULL;
		size_t len = 0;
		int rc = recv_msg(w->sock, NULL, &hello, &len, WORKER_START_MS);
		int ok = rc == 0 && len == 5 && memcmp(hello, "ready", 5) == 0;
		cg_free(hello);
		if (!ok) {
			cg_worker_stop(w);
			return rc == CG_ETIMEOUT ? CG_ETIMEOUT : CG_ESANDBOX;
		}
	}
	*out = w;
	return CG_OK;
}

void cg_worker_stop(struct cg_worker *w)
{
	if (!w)
		return;
	close(w->sock);
	if (w->pid > 0) {
		kill(w->pid, SIGKILL);
		while (waitpid(w->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	cg_free(w);
}

/* Sends a length-prefixed message; the descriptor rides with the length. */
static int send_msg(int sock, int fd, const void *p, size_t n)
{
	uint32_t len = (uint32_t)n;
	struct iovec iov[2] = {{&len, sizeof(len)}, {(void *)p, n}};
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr mh;
	size_t sent = 0, total = sizeof(len) + n;

	if (n > CG_WORKER_MAX_MSG)
		return CG_ELIMIT;
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = iov;
	mh.msg_iovlen = 2;
	if (fd >= 0) {
		struct cmsghdr *c;
		memset(&u, 0, sizeof(u));
		mh.msg_control = u.buf;
		mh.msg_controllen = sizeof(u.buf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	while (sent < total) {
		ssize_t r = sendmsg(sock, &mh, MSG_NOSIGNAL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return CG_ESANDBOX;
		sent += (size_t)r;
		mh.msg_control = NULL;
		mh.msg_controllen = 0;
		/* advance the iovecs past what was sent */
		while (r > 0 && mh.msg_iovlen > 0) {
			size_t k =
			    (size_t)r < mh.msg_iov[0].iov_len ? (size_t)r : mh.msg_iov[0].iov_len;
			mh.msg_iov[0].iov_base = (char *)mh.msg_iov[0].iov_base + k;
			mh.msg_iov[0].iov_len -= k;
			r -= (ssize_t)k;
			if (mh.msg_iov[0].iov_len == 0) {
				mh.msg_iov++;
				mh.msg_iovlen--;
			}
		}
	}
	return CG_OK;
}

/* Waits until sock is readable; timeout_ms < 0 waits for ever. */
static int wait_readable(int sock, int timeout_ms)
{
	struct pollfd p = {sock, POLLIN, 0};
	int r;
	do
		r = poll(&p, 1, timeout_ms);
	while (r < 0 && errno == EINTR);
	return r > 0 ? CG_OK : r == 0 ? CG_ETIMEOUT : CG_ESANDBOX;
}

static int read_full(int sock, void *p, size_t n, int timeout_ms)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r;
		int rc = wait_readable(sock, timeout_ms);
		if (rc)
			return rc;
		r = read(sock, (char *)p + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return CG_ESANDBOX;
		got += (size_t)r;
	}
	return CG_OK;
}

/* Receives a message; the length (and descriptor) first. */
static int recv_msg(int sock, int *fd, void **out, size_t *outlen, int timeout_ms)
{
	uint32_t len = 0;
	size_t got = 0;
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	void *p;
	int rc;

	if (fd)
		*fd = -1;
	while (got < sizeof(len)) {
		struct iovec iov = {(char *)&len + got, sizeof(len) - got};
		struct msghdr mh;
		ssize_t r;
		memset(&mh, 0, sizeof(mh));
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = u.buf;
		mh.msg_controllen = sizeof(u.buf);
		rc = wait_readable(sock, timeout_ms);
		if (rc)
			return rc;
		r = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0 && got == 0)
			return CG_ENOENT;
		if (r <= 0)
			return CG_ESANDBOX;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
				int f;
				memcpy(&f, CMSG_DATA(c), sizeof(int));
				if (fd && *fd < 0)
					*fd = f;
				else
					close(f);
			}
		got += (size_t)r;
	}
	if (len > CG_WORKER_MAX_MSG)
		return CG_ESANDBOX;
	p = cg_malloc(len ? len : 1);
	if (!p)
		return CG_ENOMEM;
	rc = read_full(sock, p, len, timeout_ms);
	if (rc) {
		cg_free(p);
		return rc == CG_ENOENT ? CG_ESANDBOX : rc;
	}
	*out = p;
	*outlen = len;
	return CG_OK;
}

int cg_worker_call(struct cg_worker *w, int fd, const void *req, size_t reqlen, void **resp,
                   size_t *resp_len, int timeout_ms)
{
	int rc = send_msg(w->sock, fd, req, reqlen);
	if (rc == 0)
		rc = recv_msg(w->sock, NULL, resp, resp_len, timeout_ms);
	if (rc == CG_ENOENT)
		rc = CG_ESANDBOX;
	if (rc == CG_ETIMEOUT && w->pid > 0) {
		kill(w->pid, SIGKILL);
		while (waitpid(w->pid, NULL, 0) < 0 && errno == EINTR)
			;
		w->pid = -1;
	}
	return rc;
}

int cg_worker_recv(int sock, int *fd, void **req, size_t *len)
{
	return recv_msg(sock, fd, req, len, -1);
}

int cg_worker_send(int sock, const void *resp, size_t len)
{
	return send_msg(sock, -1, resp, len);
}

int cg_worker_spawn(struct cg_worker **out, const struct cg_worker_kind *kind, void *arg,
                    const void *desc, size_t desc_len)
{
	(void)desc;
	(void)desc_len;
	return cg_worker_start(out, kind->fn, arg);
}

int cg_worker_is_child(int argc, char **argv)
{
	return argc >= 2 && strcmp(argv[1], "__worker") == 0;
}

int cg_worker_serve(int argc, char **argv, const struct cg_worker_kind *kind)
{
	(void)argc;
	(void)argv;
	(void)kind;
	return 2; /* workers are forked here, never spawned */
}

/* agent_os.h - what the agent asks of the operating system, beyond agent.h (host facts'
 * cg_agent_self_sample and cg_netconns_read): implemented in src/platform/posix/agent_os.c
 * (Linux) and src/platform/win/agent_os.c (Windows). */
#ifndef CANHGAC_AGENT_OS_H
#define CANHGAC_AGENT_OS_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/agent.h"

/* The OS version, addresses (no loopback), MACs and uptime of this host, into f (the rest of f
 * is filled by cg_agent_facts_get). Never fails: what cannot be read stays empty. */
void cg_agent_os_facts(struct cg_agent_facts *f);

/* A child program (argv[0] a full path) with standard input on the null device and standard
 * output on a pipe, at low CPU and I/O priority (nice_v on Linux; the below-normal and
 * background classes on Windows) with its memory capped at cap_mb MiB (0 = none). */
struct cg_agent_child;
int cg_agent_child_start(char *const argv[], int nice_v, unsigned cap_mb,
                         struct cg_agent_child **out);
/* Reads its output: bytes read, 0 at the end, or a negative code. */
int64_t cg_agent_child_read(struct cg_agent_child *c, void *buf, size_t n);
/* Closes the pipe, kills the child first with kill_first, waits for it and frees c; returns
 * its exit code, or -1 when it did not exit normally. */
int cg_agent_child_wait(struct cg_agent_child *c, int kill_first);

/* Gives memory the heap no longer uses back to the system (after a task), so the idle agent
 * stays small. */
void cg_agent_trim_heap(void);

#endif

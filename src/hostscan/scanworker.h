/* scanworker.h - the scanner's worker kind (private to src/hostscan; the kind itself is
 * declared in scanner.h for main()). */
#ifndef CANHGAC_HOSTSCAN_SCANWORKER_H
#define CANHGAC_HOSTSCAN_SCANWORKER_H

#include <stddef.h>
#include <stdint.h>

struct cg_bundle;

/* A request to a worker: this header, then the file's base name (not NUL-terminated). */
struct cg_scan_worker_req {
	uint64_t size;
	uint32_t mask, flags;
};

/* The description a spawned worker is started with: the bundle's folder, load options, trust
 * keys and versions; *out is allocated (cg_free). */
int cg_scan_worker_desc(const struct cg_bundle *b, void **out, size_t *len);

#endif

/* iplist.h - plain IP list files: one address, prefix, range or IP:port per line (engine, no
 * I/O). Reads what `canhgac match ips --list-file` is given on a USB stick, without any
 * database: FireHOL .ipset/.netset, ipsum "IP<TAB>count", hand-written lists.
 *
 * Per line: leading and trailing blanks are ignored; an empty line or one starting with '#' or
 * ';' is a comment; the entry is the first field (up to a blank, ',', ';' or '#'), or
 * "LO - HI" with blanks around the dash; anything after the entry is ignored (ipsum's count,
 * an inline comment). A UTF-8 BOM and CRLF line ends are accepted. Entries follow
 * cg_ip_entry_parse (ipaddr.h); a range gives its covering prefixes, all with its line.
 */
#ifndef CANHGAC_IPLIST_H
#define CANHGAC_IPLIST_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/error.h"
#include "canhgac/ipaddr.h"

/* Called for each prefix; a nonzero return stops the parse and is returned. */
typedef int (*cg_iplist_cb)(void *arg, const struct cg_prefix *p, uint16_t port,
                            unsigned long line);

/* Parses buf[0..len). Each bad line adds a diagnostic "source:line" (when d is not NULL) and
 * counts in *nbad; good lines go on. Returns 0, or what cb returned. */
int cg_iplist_parse(const char *buf, size_t len, const char *source, cg_iplist_cb cb, void *arg,
                    struct cg_diags *d, size_t *nbad);

#endif

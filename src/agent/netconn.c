/* netconn.c - listening sockets and established connections from /proc/net/{tcp,udp}{,6}, read
 * with bounded counts and a parser that skips anything malformed, and the net.connections event. */
#include <stdio.h>
#include <string.h>

#include "canhgac/agent.h"
#include "canhgac/alloc.h"
#include "canhgac/event.h"
#include "canhgac/ipaddr.h"
#include "canhgac/sys.h"
#include "banned.h"

#define ST_ESTABLISHED 0x01
#define ST_UDP_UNCONN 0x07
#define ST_LISTEN 0x0A

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Exactly n hex digits at *p (then *p moves past them). */
static int hexn(const char **p, const char *end, int n, unsigned long *out)
{
	unsigned long v = 0;
	if (end - *p < n)
		return -1;
	for (int i = 0; i < n; i++) {
		int h = hexval((*p)[i]);
		if (h < 0)
			return -1;
		v = v << 4 | (unsigned long)h;
	}
	*p += n;
	*out = v;
	return 0;
}

/* "0100007F:0016" (IPv4) or 32 hex digits (IPv6): the kernel prints each 32-bit word of the
 * address as a number in host order, so its memory image is the address bytes. */
static int addr(const char **p, const char *end, int v6, char *out, size_t cap, unsigned *port)
{
	unsigned char b[16];
	unsigned long w, pt;
	int words = v6 ? 4 : 1;

	for (int i = 0; i < words; i++) {
		uint32_t x;
		if (hexn(p, end, 8, &w))
			return -1;
		x = (uint32_t)w;
		memcpy(b + 4 * i, &x, 4);
	}
	if (*p >= end || **p != ':')
		return -1;
	(*p)++;
	if (hexn(p, end, 4, &pt))
		return -1;
	*port = (unsigned)pt;
	struct cg_ip ip = {.v6 = (uint8_t)v6};
	memcpy(ip.a, b, v6 ? 16 : 4);
	return cg_ip_format(&ip, out, cap) ? 0 : -1;
}

static void skip_sp(const char **p, const char *end)
{
	while (*p < end && **p == ' ')
		(*p)++;
}

/* A decimal number up to the next space. */
static int dec(const char **p, const char *end, unsigned long *out)
{
	unsigned long v = 0;
	int n = 0;
	skip_sp(p, end);
	for (; *p < end && **p >= '0' && **p <= '9' && n < 20; (*p)++, n++)
		v = v * 10 + (unsigned long)(**p - '0');
	*out = v;
	return n > 0 ? 0 : -1;
}

/* Skips one space-separated field. */
static int skip_field(const char **p, const char *end)
{
	skip_sp(p, end);
	if (*p >= end)
		return -1;
	while (*p < end && **p != ' ')
		(*p)++;
	return 0;
}

static int push(struct cg_netconn **v, size_t *n, size_t *dropped, const struct cg_netconn *c)
{
	if (*n >= CG_AGENT_MAX_CONNS) {
		(*dropped)++;
		return 0;
	}
	if (*n % 64 == 0) {
		struct cg_netconn *nv = cg_realloc(*v, (*n + 64) * sizeof(**v));
		if (!nv)
			return CG_ENOMEM;
		*v = nv;
	}
	(*v)[(*n)++] = *c;
	return 0;
}

int cg_netconns_add(struct cg_netconns *out, const struct cg_netconn *c, int listening)
{
	return listening ? push(&out->listening, &out->n_listening, &out->dropped, c)
	                 : push(&out->established, &out->n_established, &out->dropped, c);
}

/* "  0: 0100007F:0277 00000000:0000 0A 00000000:00000000 00:00000000 00000000  0  0 1234 ..." */
static int line(const char *p, const char *end, const char *proto, struct cg_netconns *out, int *ok)
{
	struct cg_netconn c;
	int v6 = proto[3] == '6', tcp = proto[0] == 't';
	unsigned long st, dummy;

	*ok = 0;
	memset(&c, 0, sizeof(c));
	snprintf(c.proto, sizeof(c.proto), "%s", proto);
	skip_sp(&p, end);
	if (dec(&p, end, &dummy) || p >= end || *p++ != ':')
		return 0;
	skip_sp(&p, end);
	if (addr(&p, end, v6, c.local, sizeof(c.local), &c.lport))
		return 0;
	skip_sp(&p, end);
	if (addr(&p, end, v6, c.remote, sizeof(c.remote), &c.rport))
		return 0;
	skip_sp(&p, end);
	if (hexn(&p, end, 2, &st))
		return 0;
	/* tx:rx queues, timer, retransmits, then uid, timeout, inode */
	if (skip_field(&p, end) || skip_field(&p, end) || skip_field(&p, end) ||
	    dec(&p, end, &c.uid) || dec(&p, end, &dummy) || dec(&p, end, &c.inode))
		return 0;
	*ok = 1;
	if ((tcp && st == ST_LISTEN) || (!tcp && st == ST_UDP_UNCONN && c.rport == 0)) {
		c.remote[0] = '\0';
		return push(&out->listening, &out->n_listening, &out->dropped, &c);
	}
	if (tcp && st == ST_ESTABLISHED)
		return push(&out->established, &out->n_established, &out->dropped, &c);
	return 0;
}

int cg_procnet_parse(const char *buf, size_t len, const char *proto, struct cg_netconns *out,
                     size_t *bad)
{
	const char *p = buf, *end = buf + len;
	int first = 1, rc = 0;

	if (!out || !proto || (!buf && len) ||
	    (strcmp(proto, "tcp") && strcmp(proto, "tcp6") && strcmp(proto, "udp") &&
	     strcmp(proto, "udp6")))
		return CG_EINVAL;
	if (len > CG_AGENT_MAX_PROCNET)
		return CG_ELIMIT;
	while (rc == 0 && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		int ok = 1;
		if (!first) /* the first line is the header */
			rc = line(p, le, proto, out, &ok);
		if (!ok && bad)
			(*bad)++;
		first = 0;
		p = nl ? nl + 1 : end;
	}
	return rc;
}

void cg_netconns_clear(struct cg_netconns *c)
{
	if (!c)
		return;
	cg_free(c->listening);
	cg_free(c->established);
	memset(c, 0, sizeof(*c));
}

static json_t *conn_json(const struct cg_netconn *c, int with_remote)
{
	json_t *o =
	    json_pack("{s:s, s:s, s:i, s:I, s:I}", "proto", c->proto, "local", c->local, "port",
	              (int)c->lport, "uid", (json_int_t)c->uid, "inode", (json_int_t)c->inode);
	if (o && c->pid)
		json_object_set_new(o, "pid", json_integer((json_int_t)c->pid));
	if (o && with_remote) {
		json_object_set_new(o, "remote", json_string(c->remote));
		json_object_set_new(o, "remote_port", json_integer(c->rport));
	}
	return o;
}

json_t *cg_netconns_event(const struct cg_netconns *c, int64_t now_ms)
{
	json_t *o = cg_agent_event_new("net.connections", CG_SEV_INFO, now_ms);
	json_t *l = json_array(), *e = json_array();
	int bad = !o || !l || !e;

	for (size_t i = 0; !bad && i < c->n_listening; i++)
		bad |= json_array_append_new(l, conn_json(&c->listening[i], 0));
	for (size_t i = 0; !bad && i < c->n_established; i++)
		bad |= json_array_append_new(e, conn_json(&c->established[i], 1));
	if (!bad) {
		bad |= json_object_set(o, "listening", l);
		bad |= json_object_set(o, "established", e);
		bad |= json_object_set_new(o, "truncated", json_integer((json_int_t)c->dropped));
	}
	json_decref(l);
	json_decref(e);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* http.h - the HTTP(S) listener of the server (libmicrohttpd), started on the server state. */
#ifndef CANHGAC_SRV_HTTP_H
#define CANHGAC_SRV_HTTP_H

struct cg_srv;
struct cg_http;

/* Listens on cfg.listen_addr:cfg.port (port 0 = any free port; cg_http_port tells which). */
int cg_http_start(struct cg_srv *s, struct cg_http **out);
int cg_http_port(struct cg_http *h);
void cg_http_stop(struct cg_http *h);

#endif

/* http.c - the libmicrohttpd adapter: one epoll-driven daemon with a thread pool, request bodies
 * gathered up to CG_SRV_MAX_BODY, each request turned into struct cg_req for the router, and
 * each struct cg_resp sent with the security headers every answer carries. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/http.h"
#include "server/srv.h"

#include "banned.h"

struct conn_state {
	uint8_t *body;
	size_t len, cap;
	int too_big;
};

static void client_ip(struct MHD_Connection *c, char *out, size_t cap)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	out[0] = 0;
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
		          (socklen_t)cap);
	} else if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a6 =
		    &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
		if (IN6_IS_ADDR_V4MAPPED(a6))
			inet_ntop(AF_INET, &a6->s6_addr[12], out, (socklen_t)cap);
		else
			inet_ntop(AF_INET6, a6, out, (socklen_t)cap);
	}
}

const char *cg_req_arg(struct cg_req *q, const char *name)
{
	if (!q->conn) {
		for (const char *const *a = q->args; a && a[0] && a[1]; a += 2)
			if (strcmp(a[0], name) == 0)
				return a[1];
		return NULL;
	}
	return MHD_lookup_connection_value((struct MHD_Connection *)q->conn, MHD_GET_ARGUMENT_KIND,
	                                   name);
}

/* Every answer's security headers; the console's policy allows no inline script or style. */
static void security_headers(struct MHD_Response *resp)
{
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Content-Security-Policy",
	                        "default-src 'self'; object-src 'none'; frame-ancestors 'none'; "
	                        "base-uri 'none'; form-action 'self'");
}

/* A built-in console file (web.c): gzip when the client takes it, 304 when it holds it; assets
 * named with their hash (?v=) are cached for a year, the page itself is revalidated. */
static enum MHD_Result send_asset(struct MHD_Connection *c, const struct cg_webasset *a)
{
	const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
	const char *ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding");
	const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "v");
	int not_modified = cg_web_etag_matches(inm, a->etag);
	int gz = !not_modified && cg_web_accepts_gzip(ae);
	struct MHD_Response *resp =
	    MHD_create_response_from_buffer(not_modified ? 0
	                                    : gz         ? a->gz_len
	                                                 : a->len,
	                                    (void *)(not_modified ? ""
	                                             : gz         ? (const char *)a->gz
	                                                          : (const char *)a->data),
	                                    MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	if (!not_modified)
		MHD_add_response_header(resp, "Content-Type", a->type);
	if (gz)
		MHD_add_response_header(resp, "Content-Encoding", "gzip");
	MHD_add_response_header(resp, "Vary", "Accept-Encoding");
	MHD_add_response_header(resp, "ETag", a->etag);
	MHD_add_response_header(
	    resp, "Cache-Control",
	    v && strcmp(a->path, "/") != 0 ? "public, max-age=31536000, immutable" : "no-cache");
	security_headers(resp);
	enum MHD_Result ok =
	    MHD_queue_response(c, not_modified ? MHD_HTTP_NOT_MODIFIED : MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return ok;
}

static enum MHD_Result send_resp(struct MHD_Connection *c, struct cg_resp *r, int is_api)
{
	char *buf = NULL;
	size_t len = 0;
	const char *type = "application/json; charset=utf-8";
	if (r->raw) {
		buf = r->raw;
		len = r->raw_len;
		type = r->raw_type ? r->raw_type : "application/octet-stream";
		r->raw = NULL;
	} else {
		if (!r->json)
			r->json = json_object();
		buf = json_dumps(r->json, JSON_COMPACT | JSON_ENSURE_ASCII);
		if (!buf) {
			r->status = 500;
			buf = strdup("{\"error\":\"internal\"}");
		}
		len = buf ? strlen(buf) : 0;
	}
	struct MHD_Response *resp =
	    MHD_create_response_from_buffer(len, buf, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(buf);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", type);
	security_headers(resp);
	if (is_api)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (r->set_cookie[0])
		MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
	if (r->disposition[0])
		MHD_add_response_header(resp, "Content-Disposition", r->disposition);
	if (r->retry_after > 0) {
		char ra[16];
		snprintf(ra, sizeof ra, "%d", r->retry_after);
		MHD_add_response_header(resp, "Retry-After", ra);
	}
	enum MHD_Result ok = MHD_queue_response(c, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
	struct cg_srv *s = cls;
	(void)version;
	struct conn_state *st = *con_cls;
	if (!st) {
		st = calloc(1, sizeof *st);
		if (!st)
			return MHD_NO;
		*con_cls = st;
		return MHD_YES;
	}
	if (*upload_size) {
		size_t n = *upload_size;
		*upload_size = 0;
		if (st->too_big || st->len + n > CG_SRV_MAX_BODY) {
			st->too_big = 1;
			return MHD_YES;
		}
		if (st->len + n > st->cap) {
			size_t nc = st->cap ? st->cap : 4096;
			while (nc < st->len + n)
				nc *= 2;
			uint8_t *nb = realloc(st->body, nc);
			if (!nb)
				return MHD_NO;
			st->body = nb;
			st->cap = nc;
		}
		memcpy(st->body + st->len, upload_data, n);
		st->len += n;
		return MHD_YES;
	}
	struct cg_resp r = {.status = 200};
	if (strncmp(url, "/api/", 5) != 0 &&
	    (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)) {
		const struct cg_webasset *a = cg_web_find(url);
		if (a)
			return send_asset(c, a);
	}
	if (st->too_big) {
		cg_resp_err(&r, 413, "too_large", "Nội dung yêu cầu quá lớn (tối đa 4 MiB)",
		            "Request body too large (4 MiB at most)");
		return send_resp(c, &r, 1);
	}
	struct cg_req q = {.method = method,
	                   .path = url,
	                   .query = "",
	                   .body = st->body,
	                   .body_len = st->len,
	                   .conn = c};
	q.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	q.cookie_session = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "cg_session");
	q.authorization = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	q.csrf_header = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
	client_ip(c, q.ip, sizeof q.ip);
	__atomic_add_fetch(&s->inflight, 1, __ATOMIC_RELAXED);
	cg_srv_dispatch(s, &q, &r);
	__atomic_sub_fetch(&s->inflight, 1, __ATOMIC_RELAXED);
	enum MHD_Result ok = send_resp(c, &r, strncmp(url, "/api/", 5) == 0);
	json_decref(r.json);
	free(r.raw);
	return ok;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	struct conn_state *st = *con_cls;
	if (st) {
		free(st->body);
		free(st);
		*con_cls = NULL;
	}
}

/* libmicrohttpd's own messages (mostly clients that drop or botch a TLS handshake: scanners,
 * browsers closing spare connections) go to stderr as warnings, at most 10 a minute, with the
 * count of those left out; none with --quiet. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	static time_t window;
	static int shown, dropped;
	const struct cg_srv *s = cls;
	if (s->cfg.quiet)
		return;
	time_t now = time(NULL) / 60;
	pthread_mutex_lock(&mu);
	if (now != window) {
		if (dropped)
			fprintf(stderr, "<4>http: %d %s\n", dropped,
			        cg_tr("thông báo khác bị bỏ qua", "more messages left out"));
		window = now;
		shown = dropped = 0;
	}
	int show = shown < 10;
	shown += show;
	dropped += !show;
	pthread_mutex_unlock(&mu);
	if (!show)
		return;
	fputs("<4>http: ", stderr);
	vfprintf(stderr, fmt, ap);
}

int cg_http_start(struct cg_srv *s, struct cg_http **out)
{
	struct sockaddr_in sa4;
	struct sockaddr_in6 sa6;
	const struct sockaddr *sa;
	memset(&sa4, 0, sizeof sa4);
	memset(&sa6, 0, sizeof sa6);
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
	if (inet_pton(AF_INET, s->cfg.listen_addr, &sa4.sin_addr) == 1) {
		sa4.sin_family = AF_INET;
		sa4.sin_port = htons((uint16_t)s->cfg.port);
		sa = (const struct sockaddr *)&sa4;
	} else if (inet_pton(AF_INET6, s->cfg.listen_addr, &sa6.sin6_addr) == 1) {
		sa6.sin6_family = AF_INET6;
		sa6.sin6_port = htons((uint16_t)s->cfg.port);
		sa = (const struct sockaddr *)&sa6;
		flags |= MHD_USE_IPv6;
	} else {
		return CG_EINVAL;
	}
	if (!s->cfg.plain_http)
		flags |= MHD_USE_TLS;
	struct MHD_OptionItem opts[] = {
	    {MHD_OPTION_SOCK_ADDR, 0, (void *)sa},
	    {MHD_OPTION_THREAD_POOL_SIZE, s->cfg.threads, NULL},
	    {MHD_OPTION_CONNECTION_LIMIT, s->cfg.max_conns, NULL},
	    {MHD_OPTION_CONNECTION_TIMEOUT, 120, NULL},
	    {MHD_OPTION_CONNECTION_MEMORY_LIMIT, 64 * 1024, NULL},
	    {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, NULL},
	    {MHD_OPTION_LISTEN_BACKLOG_SIZE, 4096, NULL},
	    {MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_log, s},
	    {s->cfg.plain_http ? MHD_OPTION_END : MHD_OPTION_HTTPS_MEM_KEY, 0, s->key_pem},
	    {MHD_OPTION_HTTPS_MEM_CERT, 0, s->cert_pem},
	    {MHD_OPTION_END, 0, NULL},
	};
	struct MHD_Daemon *d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
	                                        MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
	if (!d)
		return CG_EIO;
	*out = (struct cg_http *)d;
	return 0;
}

int cg_http_port(struct cg_http *h)
{
	const union MHD_DaemonInfo *di =
	    MHD_get_daemon_info((struct MHD_Daemon *)h, MHD_DAEMON_INFO_BIND_PORT);
	return di ? (int)di->port : -1;
}

void cg_http_stop(struct cg_http *h)
{
	if (h)
		MHD_stop_daemon((struct MHD_Daemon *)h);
}

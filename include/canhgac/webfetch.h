/* webfetch.h - fetching a web page for the website checks, with libcurl (src/web, Linux; the
 * Windows build has no `web` command yet).
 *
 * A fetch follows redirects (at most max_redirs, http and https only), honours the proxy
 * variables of the environment (http_proxy, https_proxy, no_proxy) or an explicit proxy,
 * accepts compressed bodies (gzip, deflate, br, zstd: whatever libcurl was built with) and keeps
 * at most max_body bytes after decompression: the rest is not downloaded and `truncated` is set.
 * TLS certificates are verified unless `insecure` is set; cacert names a CA bundle file to trust
 * instead of the system's. The certificate's end date is read (CURLOPT_CERTINFO) whenever the
 * connection used TLS, also with `insecure`.
 */
#ifndef CANHGAC_WEBFETCH_H
#define CANHGAC_WEBFETCH_H

#include <stddef.h>
#include <stdint.h>

struct cg_fetch_opts {
	long connect_timeout_s; /* default 10 */
	long timeout_s;         /* whole transfer, default 30 */
	long max_redirs;        /* default 5, at most CG_MAX_WEB_REDIRS */
	size_t max_body;        /* default and at most CG_MAX_WEB_BODY */
	const char *proxy;      /* NULL: the environment's */
	const char *cacert;     /* NULL: the system's CA bundle (or CURL_CA_BUNDLE) */
	int insecure;           /* do not verify the certificate or host name */
	const char *user_agent;
	const char *referer; /* NULL: none */
};

struct cg_fetch_result {
	long status;          /* HTTP status of the last response, 0 when none */
	char final_url[2048]; /* after redirects */
	long redirects;
	uint8_t *body; /* cg_free; NULL when empty */
	size_t len;
	int truncated;          /* the body was longer than max_body */
	int64_t cert_not_after; /* UTC seconds, 0 when unknown or not TLS */
	char cert_subject[256];
	int tls_error;   /* the failure was the certificate's (not trusted, wrong host, expired) */
	char error[512]; /* why it failed, for people (libcurl's words) */
};

/* The user agents of the two views. */
#define CG_UA_BROWSER                                                                              \
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "        \
	"Chrome/131.0.0.0 Safari/537.36"
#define CG_UA_CRAWLER "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
#define CG_REFERER_CRAWLER "https://www.google.com/"

/* Call once at program start, before threads (curl_global_init). */
int cg_fetch_global_init(void);

/* Fetches url. Returns 0 with *r filled (any HTTP status: r->status tells), CG_ETIMEOUT,
 * CG_ECRYPTO (r->tls_error set), CG_EIO (connection or protocol failure), CG_EINVAL (a URL
 * that is not http(s)), CG_ENOMEM; r->error says why. Free with cg_fetch_result_clear. */
int cg_fetch(const char *url, const struct cg_fetch_opts *o, struct cg_fetch_result *r);
void cg_fetch_result_clear(struct cg_fetch_result *r);

/* Parses OpenSSL's certificate date as libcurl reports it ("Dec  2 18:29:20 2026 GMT") into UTC
 * seconds; 0 or CG_EPARSE. */
int cg_fetch_parse_certdate(const char *s, int64_t *out);

#endif

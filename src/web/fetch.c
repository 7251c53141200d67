/* fetch.c - one web page fetched with libcurl: timeouts, capped redirects, proxies, size cap,
 * decompression, TLS verification and the certificate's end date (webfetch.h). */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "canhgac/timeutil.h"
#include "canhgac/webfetch.h"
#include "banned.h"

struct sink {
	struct cg_fetch_result *r;
	size_t cap, max;
};

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	struct cg_fetch_result *r = s->r;
	size_t len = size * n, take = len;

	if (r->len + take > s->max) {
		take = s->max - r->len;
		r->truncated = 1;
	}
	if (take && cg_grow((void **)&r->body, &s->cap, r->len + take + 1, 1, s->max + 1) != 0)
		return 0;
	if (take) {
		memcpy(r->body + r->len, p, take);
		r->len += take;
		r->body[r->len] = '\0';
	}
	/* past the cap: stop the transfer (a write error), the caller keeps what came */
	return r->truncated ? 0 : len;
}

int cg_fetch_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? CG_OK : CG_EINTERNAL;
}

int cg_fetch_parse_certdate(const char *s, int64_t *out)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char mon[4];
	unsigned d, hh, mm, ss, y;
	const char *m;

	if (sscanf(s, "%3s %u %u:%u:%u %u", mon, &d, &hh, &mm, &ss, &y) != 6)
		return CG_EPARSE;
	m = strstr(months, mon);
	if (!m || strlen(mon) != 3 || (m - months) % 3 || d < 1 || d > 31 || hh > 23 || mm > 59 ||
	    ss > 60 || y < 1970 || y > 9999)
		return CG_EPARSE;
	char iso[40];
	int64_t ms;
	snprintf(iso, sizeof(iso), "%04u-%02u-%02uT%02u:%02u:%02uZ", y,
	         (unsigned)((m - months) / 3 + 1), d, hh, mm, ss > 59 ? 59 : ss);
	if (cg_time_parse_iso8601(iso, &ms) != 0)
		return CG_EPARSE;
	*out = ms / 1000;
	return CG_OK;
}

/* The end date and subject of the server's own certificate (the first of the chain). */
static void cert_info(CURL *h, struct cg_fetch_result *r)
{
	struct curl_certinfo *ci = NULL;
	if (curl_easy_getinfo(h, CURLINFO_CERTINFO, &ci) != CURLE_OK || !ci || ci->num_of_certs < 1)
		return;
	for (struct curl_slist *l = ci->certinfo[0]; l; l = l->next) {
		if (strncmp(l->data, "Expire date:", 12) == 0)
			cg_fetch_parse_certdate(l->data + 12, &r->cert_not_after);
		else if (strncmp(l->data, "Subject:", 8) == 0)
			snprintf(r->cert_subject, sizeof(r->cert_subject), "%s", l->data + 8);
	}
}

static int map_error(CURLcode c, struct cg_fetch_result *r)
{
	switch (c) {
	case CURLE_OK:
		return CG_OK;
	case CURLE_OPERATION_TIMEDOUT:
		return CG_ETIMEOUT;
	case CURLE_OUT_OF_MEMORY:
		return CG_ENOMEM;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
		r->tls_error = 1;
		return CG_ECRYPTO;
	case CURLE_SSL_CONNECT_ERROR:
		return CG_ECRYPTO;
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
		return CG_EINVAL;
	default:
		return CG_EIO;
	}
}

static void setup(CURL *h, const struct cg_fetch_opts *o, struct sink *s, char *errbuf)
{
	long redirs = o->max_redirs > 0 ? o->max_redirs : 5;
	if (redirs > CG_MAX_WEB_REDIRS)
		redirs = CG_MAX_WEB_REDIRS;
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, o->max_redirs < 0 ? 0L : 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, redirs);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT,
	                 o->connect_timeout_s > 0 ? o->connect_timeout_s : 10L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, o->timeout_s > 0 ? o->timeout_s : 30L);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(h, CURLOPT_CERTINFO, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, o->user_agent ? o->user_agent : "canhgac");
	if (o->referer)
		curl_easy_setopt(h, CURLOPT_REFERER, o->referer);
	if (o->proxy)
		curl_easy_setopt(h, CURLOPT_PROXY, o->proxy);
	if (o->cacert)
		curl_easy_setopt(h, CURLOPT_CAINFO, o->cacert);
	if (o->insecure) {
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	}
}

int cg_fetch(const char *url, const struct cg_fetch_opts *o, struct cg_fetch_result *r)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	struct sink s;
	CURL *h;
	CURLcode c;
	char *eff = NULL;
	int rc;

	memset(r, 0, sizeof(*r));
	if (!url || (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)) {
		snprintf(r->error, sizeof(r->error), "%s", "not an http(s) URL");
		return CG_EINVAL;
	}
	s.r = r;
	s.cap = 0;
	s.max = o->max_body && o->max_body < CG_MAX_WEB_BODY ? o->max_body : CG_MAX_WEB_BODY;
	h = curl_easy_init();
	if (!h)
		return CG_ENOMEM;
	setup(h, o, &s, errbuf);
	curl_easy_setopt(h, CURLOPT_URL, url);
	c = curl_easy_perform(h);
	if (c == CURLE_WRITE_ERROR && r->truncated)
		c = CURLE_OK; /* we stopped it at the size cap */
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(h, CURLINFO_REDIRECT_COUNT, &r->redirects);
	if (curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &eff) == CURLE_OK && eff)
		snprintf(r->final_url, sizeof(r->final_url), "%s", eff);
	cert_info(h, r);
	rc = map_error(c, r);
	if (rc)
		snprintf(r->error, sizeof(r->error), "%s",
		         errbuf[0] ? errbuf : curl_easy_strerror(c));
	curl_easy_cleanup(h);
	return rc;
}

void cg_fetch_result_clear(struct cg_fetch_result *r)
{
	if (!r)
		return;
	cg_free(r->body);
	memset(r, 0, sizeof(*r));
}

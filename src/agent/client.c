/* client.c - the agent's HTTPS client (agentclient.h): libcurl with the pinned CA only, the
 * one unverified fetch of the CA at enrolment checked against the token's fingerprint. */
#include <curl/curl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "canhgac/agentclient.h"
#include "canhgac/alloc.h"
#include "canhgac/sys.h"
#include "banned.h"

struct cg_agent_client {
	CURL *h;
	char base[512];
	char ca_file[4096];
	char auth[CG_SECRET_LEN + 32];
	size_t max_resp;
};

struct sink {
	char *p;
	size_t n, cap, max;
	int over;
};

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	size_t k = size * n;
	if (s->n + k > s->max) {
		s->over = 1;
		return 0;
	}
	if (cg_grow((void **)&s->p, &s->cap, s->n + k + 1, 1, s->max + 1))
		return 0;
	memcpy(s->p + s->n, p, k);
	s->n += k;
	s->p[s->n] = '\0';
	return k;
}

static int https_only(const char *url)
{
	return strncmp(url, "https://", 8) == 0 && url[8] != '\0';
}

static int curl_once(void)
{
	static int done;
	if (!done && curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return CG_EIO;
	done = 1;
	return 0;
}

/* The local address connections to the server leave from (agent.conf source_address), set once
 * at start; "" = the system's choice. */
static char source_addr[64];

void cg_agent_client_set_source(const char *addr)
{
	snprintf(source_addr, sizeof(source_addr), "%s", addr ? addr : "");
}

/* Options every request gets: https only, no redirects, timeouts, no signals. */
static void base_opts(CURL *h, struct sink *s, char *errbuf)
{
	if (source_addr[0])
		curl_easy_setopt(h, CURLOPT_INTERFACE, source_addr);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 60000L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "canhgac-agent/" CG_VERSION);
}

static int map_curl(CURLcode cc, const struct sink *s)
{
	if (cc == CURLE_OK)
		return 0;
	if (s->over)
		return CG_ELIMIT;
	if (cc == CURLE_OPERATION_TIMEDOUT)
		return CG_ETIMEOUT;
	if (cc == CURLE_PEER_FAILED_VERIFICATION || cc == CURLE_SSL_CONNECT_ERROR ||
	    cc == CURLE_SSL_CACERT_BADFILE || cc == CURLE_SSL_CERTPROBLEM)
		return CG_ECRYPTO;
	if (cc == CURLE_OUT_OF_MEMORY)
		return CG_ENOMEM;
	return CG_EIO;
}

int cg_agent_client_new(const char *base_url, const char *ca_file, const char *secret,
                        struct cg_agent_client **out)
{
	struct cg_agent_client *c;
	size_t n;

	if (!base_url || !ca_file || !out || !https_only(base_url))
		return CG_EINVAL;
	*out = NULL;
	if (curl_once())
		return CG_EIO;
	c = cg_calloc(1, sizeof(*c));
	if (!c)
		return CG_ENOMEM;
	n = strlen(base_url);
	while (n > 0 && base_url[n - 1] == '/')
		n--;
	if (n >= sizeof(c->base) || strlen(ca_file) >= sizeof(c->ca_file) ||
	    !(c->h = curl_easy_init())) {
		cg_agent_client_free(c);
		return CG_EINVAL;
	}
	memcpy(c->base, base_url, n);
	c->base[n] = '\0';
	c->max_resp = CG_AGENT_MAX_RESPONSE;
	snprintf(c->ca_file, sizeof(c->ca_file), "%s", ca_file);
	if (secret && cg_agent_client_set_secret(c, secret)) {
		cg_agent_client_free(c);
		return CG_EINVAL;
	}
	*out = c;
	return 0;
}

void cg_agent_client_free(struct cg_agent_client *c)
{
	if (!c)
		return;
	if (c->h)
		curl_easy_cleanup(c->h);
	sodium_memzero(c->auth, sizeof(c->auth));
	cg_free(c);
}

int cg_agent_client_set_secret(struct cg_agent_client *c, const char *secret)
{
	if (!c || !secret || strlen(secret) >= CG_SECRET_LEN || strpbrk(secret, "\r\n"))
		return CG_EINVAL;
	snprintf(c->auth, sizeof(c->auth), "Authorization: Bearer %s", secret);
	return 0;
}

int cg_agent_client_set_max_response(struct cg_agent_client *c, size_t max)
{
	if (!c || max == 0 || max > CG_AGENT_MAX_RESPONSE_CAP)
		return CG_EINVAL;
	c->max_resp = max;
	return 0;
}

static int set_body(CURL *h, const char *method, const char *ctype, const void *body, size_t len,
                    struct curl_slist **hdr)
{
	char ct[160];

	if (strcmp(method, "POST") == 0) {
		if (len > CG_AGENT_MAX_RESPONSE)
			return CG_ELIMIT; /* the protocol's bound on bodies both ways */
		if (!ctype || strlen(ctype) > 120 || strpbrk(ctype, "\r\n"))
			return CG_EINVAL;
		snprintf(ct, sizeof(ct), "Content-Type: %s", ctype);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, len ? body : "");
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
		*hdr = curl_slist_append(*hdr, ct);
	} else if (strcmp(method, "GET") == 0) {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	} else {
		return CG_EINVAL;
	}
	return 0;
}

int cg_agent_request_raw(struct cg_agent_client *c, const char *method, const char *path,
                         const char *ctype, const void *body, size_t len, struct cg_http_resp *r,
                         char *err, size_t errcap)
{
	struct sink s = {NULL, 0, 0, 0, 0};
	struct curl_slist *hdr = NULL;
	char url[2048], errbuf[CURL_ERROR_SIZE] = "";
	curl_off_t ra = 0;
	int rc;

	if (!c || !method || !path || !r || path[0] != '/' || (len && !body))
		return CG_EINVAL;
	s.max = c->max_resp;
	memset(r, 0, sizeof(*r));
	if ((size_t)snprintf(url, sizeof(url), "%s%s", c->base, path) >= sizeof(url))
		return CG_EINVAL;
	curl_easy_reset(c->h);
	base_opts(c->h, &s, errbuf);
	curl_easy_setopt(c->h, CURLOPT_URL, url);
	/* The pinned CA and nothing else: no system store, no CA path. */
	curl_easy_setopt(c->h, CURLOPT_CAINFO, c->ca_file);
	curl_easy_setopt(c->h, CURLOPT_CAPATH, NULL);
	curl_easy_setopt(c->h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c->h, CURLOPT_SSL_VERIFYHOST, 2L);
	hdr = curl_slist_append(hdr, "Accept: application/json");
	if (c->auth[0])
		hdr = curl_slist_append(hdr, c->auth);
	rc = set_body(c->h, method, ctype, body, len, &hdr);
	if (rc == 0 && !hdr)
		rc = CG_ENOMEM;
	if (rc == 0) {
		curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, hdr);
		rc = map_curl(curl_easy_perform(c->h), &s);
	}
	if (rc == 0) {
		curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &r->status);
		if (curl_easy_getinfo(c->h, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
			r->retry_after = ra > 86400 ? 86400 : (long)ra;
		r->body = s.p ? s.p : cg_strdup("");
		r->len = s.n;
		s.p = NULL;
		if (!r->body)
			rc = CG_ENOMEM;
		else if (r->len)
			r->json = json_loadb(r->body, r->len, JSON_REJECT_DUPLICATES, NULL);
	}
	if (err && errcap)
		snprintf(err, errcap, "%s", errbuf[0] ? errbuf : cg_strerror(rc));
	curl_slist_free_all(hdr);
	curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, NULL);
	cg_free(s.p);
	return rc;
}

/* SHA-256 over the DER of the first certificate of pem; its PEM alone into *one. */
static int check_fp(const char *pem, size_t len, const char *fp_hex, char **one)
{
	BIO *in = BIO_new_mem_buf(pem, (int)len), *out = NULL;
	X509 *x = NULL;
	unsigned char *der = NULL, md[32];
	char hex[65];
	int n, rc = CG_ECRYPTO;
	BUF_MEM *bm;

	if (!in || !(x = PEM_read_bio_X509(in, NULL, NULL, NULL)))
		goto out;
	n = i2d_X509(x, &der);
	if (n <= 0 || !EVP_Digest(der, (size_t)n, md, NULL, EVP_sha256(), NULL))
		goto out;
	sodium_bin2hex(hex, sizeof(hex), md, sizeof(md));
	if (strlen(fp_hex) != 64 || CRYPTO_memcmp(hex, fp_hex, 64) != 0)
		goto out;
	if (!(out = BIO_new(BIO_s_mem())) || !PEM_write_bio_X509(out, x))
		goto out;
	BIO_get_mem_ptr(out, &bm);
	*one = cg_strndup(bm->data, bm->length);
	rc = *one ? 0 : CG_ENOMEM;
out:
	OPENSSL_free(der);
	X509_free(x);
	BIO_free(in);
	BIO_free(out);
	return rc;
}

int cg_agent_fetch_ca(const char *base_url, const char *fp_hex, const char *save_path, char *err,
                      size_t errcap)
{
	struct sink s = {NULL, 0, 0, CG_AGENT_MAX_CA_PEM, 0};
	char url[1024], errbuf[CURL_ERROR_SIZE] = "", fp[65], *one = NULL;
	CURL *h = NULL;
	long status = 0;
	size_t n = 0;
	int rc;

	if (!base_url || !fp_hex || !save_path || !https_only(base_url))
		return CG_EINVAL;
	/* the fingerprint may come in upper case from a person; compare lower case */
	for (; fp_hex[n] && n < 64; n++)
		fp[n] = (char)(fp_hex[n] >= 'A' && fp_hex[n] <= 'F' ? fp_hex[n] + 32 : fp_hex[n]);
	fp[n] = '\0';
	if (curl_once() || !(h = curl_easy_init()))
		return CG_EIO;
	n = strlen(base_url);
	while (n > 8 && base_url[n - 1] == '/')
		n--;
	snprintf(url, sizeof(url), "%.*s/api/v1/ca.pem", (int)n, base_url);
	base_opts(h, &s, errbuf);
	curl_easy_setopt(h, CURLOPT_URL, url);
	/* The only unverified exchange: what it returns is trusted only if its hash matches the
	 * fingerprint the administrator's token carries. */
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	rc = map_curl(curl_easy_perform(h), &s);
	if (rc == 0) {
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		rc = status == 200 && s.n ? 0 : CG_EIO;
		if (rc)
			snprintf(errbuf, sizeof(errbuf), "HTTP %ld", status);
	}
	if (rc == 0)
		rc = check_fp(s.p, s.n, fp, &one);
	if (rc == 0)
		rc = cg_write_file_atomic(save_path, one, strlen(one), 0644);
	if (err && errcap)
		snprintf(err, errcap, "%s", errbuf[0] ? errbuf : cg_strerror(rc));
	curl_easy_cleanup(h);
	cg_free(s.p);
	cg_free(one);
	return rc;
}

/* agent_http.c - the agent's HTTPS client (agentclient.h) on Windows 7 SP1+ with WinHTTP, behaving
 * as src/agent/client.c does with libcurl. WinHTTP takes no CA of its own: it may overlook an
 * unknown root only (host name and dates stay checked), and before the request is sent a status
 * callback demands that the server's certificate be issued and signed directly by the pinned CA. */
#include <windows.h>
#include <wincrypt.h>
#include <winhttp.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "canhgac/agentclient.h"
#include "canhgac/alloc.h"
#include "canhgac/auth.h"
#include "canhgac/sys.h"
#include "win.h"
#include "banned.h"

#define PEM_BEGIN "-----BEGIN CERTIFICATE-----"
#define PIN_MSG "server certificate not issued by the pinned CA"

struct cg_agent_client {
	HINTERNET ses, con; /* kept across requests: the connection stays alive */
	char prefix[512];   /* the base URL's path without its trailing '/', maybe "" */
	char ca_file[4096];
	PCCERT_CONTEXT ca; /* the pinned CA, read at the first request (as curl does) */
	char auth[CG_SECRET_LEN + 32];
	size_t max_resp;
	int insecure; /* cg_agent_fetch_ca's client: no certificate checks at all */
	int pin;      /* this request: 0 not checked yet, 1 checked and good, -1 refused */
	int cancel;   /* the callback closed the request handle */
	wchar_t host[256];
	INTERNET_PORT port;
	uint64_t last_ms; /* when the last request ended (GetTickCount64) */
};

/* The idle time after which pooled connections are dropped before the next request: the
 * server closes idle connections on its side, and wine's WinHTTP then waits on the dead one
 * until its receive timeout instead of connecting again. */
#define IDLE_RECONNECT_MS 15000

/* (Re)opens the session and the connect handle for c->host:c->port. */
static int connect_handles(struct cg_agent_client *c)
{
	DWORD wait = 60000, tls = WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_2,
	      both = tls | WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_3;
	if (c->con)
		WinHttpCloseHandle(c->con);
	if (c->ses)
		WinHttpCloseHandle(c->ses);
	c->con = NULL;
	c->ses = WinHttpOpen(L"canhgac-agent/" CG_VERSION, WINHTTP_ACCESS_TYPE_DEFAULT_PROXY,
	                     WINHTTP_NO_PROXY_NAME, WINHTTP_NO_PROXY_BYPASS, 0);
	/* Waiting for the answer's headers has a timeout of its own (wine's default: none). */
	if (!c->ses || !WinHttpSetTimeouts(c->ses, 10000, 10000, 60000, 60000) ||
	    !WinHttpSetOption(c->ses, WINHTTP_OPTION_RECEIVE_RESPONSE_TIMEOUT, &wait, sizeof(wait)))
		return CG_EIO;
	/* Windows 7 offers TLS 1.2 only when asked (KB3140245); TLS 1.3 exists from Windows 11.
	 * When neither can be set the handshake fails later, and says so. */
	if (!WinHttpSetOption(c->ses, WINHTTP_OPTION_SECURE_PROTOCOLS, &both, sizeof(both)))
		WinHttpSetOption(c->ses, WINHTTP_OPTION_SECURE_PROTOCOLS, &tls, sizeof(tls));
	c->con = WinHttpConnect(c->ses, c->host, c->port, 0);
	return c->con ? 0 : CG_EIO;
}

/* The local address connections should leave from (agent.conf source_address). WinHTTP has no
 * way to choose it: it is kept for symmetry with client.c and ignored, so connections leave from
 * the address the routing table picks. */
static char source_addr[64];

void cg_agent_client_set_source(const char *addr)
{
	snprintf(source_addr, sizeof(source_addr), "%s", addr ? addr : "");
}

/* The first certificate of a PEM text (NUL-terminated), as a context (CG_ECRYPTO when none). */
static int pem_cert(const char *pem, PCCERT_CONTEXT *out)
{
	const char *b = strstr(pem, PEM_BEGIN);
	BYTE *der = NULL;
	DWORD n = b ? (DWORD)strlen(b) : 0; /* base64 decodes to fewer bytes than its text */
	int rc = CG_ECRYPTO;

	*out = NULL;
	if (!b)
		return CG_ECRYPTO;
	if (!(der = cg_malloc(n)))
		return CG_ENOMEM;
	if (CryptStringToBinaryA(b, 0, CRYPT_STRING_BASE64HEADER, der, &n, NULL, NULL) &&
	    (*out = CertCreateCertificateContext(X509_ASN_ENCODING, der, n)))
		rc = 0;
	cg_free(der);
	return rc;
}

/* A client with its session and connection for base_url (https://host[:port][/prefix][/]). */
static int open_base(const char *base_url, struct cg_agent_client **out)
{
	struct cg_agent_client *c = NULL;
	URL_COMPONENTS u;
	wchar_t *w = NULL;
	DWORD n;
	size_t k;
	int rc;

	if (strncmp(base_url, "https://", 8) != 0 || !base_url[8] || strlen(base_url) >= 512)
		return CG_EINVAL;
	if ((rc = cg_win_wide(base_url, &w)))
		return rc;
	rc = CG_ENOMEM;
	if (!(c = cg_calloc(1, sizeof(*c))))
		goto out;
	c->max_resp = CG_AGENT_MAX_RESPONSE;
	memset(&u, 0, sizeof(u));
	u.dwStructSize = sizeof(u);
	u.dwHostNameLength = u.dwUrlPathLength = u.dwExtraInfoLength = u.dwUserNameLength =
	    (DWORD)-1;
	rc = CG_EINVAL;
	if (!WinHttpCrackUrl(w, 0, 0, &u) || u.nScheme != INTERNET_SCHEME_HTTPS ||
	    !u.dwHostNameLength || u.dwExtraInfoLength || u.dwUserNameLength)
		goto out;
	n = u.dwUrlPathLength;
	while (n > 0 && u.lpszUrlPath[n - 1] == L'/')
		n--;
	if (n && cg_win_utf8(u.lpszUrlPath, n, c->prefix, sizeof(c->prefix), &k))
		goto out;
	if (u.dwHostNameLength >= sizeof(c->host) / sizeof(c->host[0]))
		goto out;
	memcpy(c->host, u.lpszHostName, u.dwHostNameLength * sizeof(wchar_t));
	c->host[u.dwHostNameLength] = L'\0'; /* the host alone; the path is copied */
	c->port = u.nPort;
	rc = connect_handles(c);
out:
	if (rc)
		cg_agent_client_free(c);
	else
		*out = c;
	cg_free(w);
	return rc;
}

int cg_agent_client_new(const char *base_url, const char *ca_file, const char *secret,
                        struct cg_agent_client **out)
{
	struct cg_agent_client *c = NULL;
	int rc;

	if (!base_url || !ca_file || !out || strlen(ca_file) >= sizeof(c->ca_file))
		return CG_EINVAL;
	*out = NULL;
	if ((rc = open_base(base_url, &c)))
		return rc;
	snprintf(c->ca_file, sizeof(c->ca_file), "%s", ca_file);
	if (secret && (rc = cg_agent_client_set_secret(c, secret))) {
		cg_agent_client_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

/* The pinned CA, read once; a missing or unreadable file is a TLS failure, as with curl. */
static int load_ca(struct cg_agent_client *c)
{
	uint8_t *pem = NULL;
	size_t len;
	int rc;

	if (c->ca)
		return 0;
	rc = cg_read_file(c->ca_file, CG_AGENT_MAX_CA_PEM, &pem, &len);
	if (rc == 0)
		rc = pem_cert((const char *)pem, &c->ca);
	cg_free(pem);
	return rc == CG_ENOMEM ? rc : rc ? CG_ECRYPTO : 0;
}

void cg_agent_client_free(struct cg_agent_client *c)
{
	if (!c)
		return;
	if (c->con)
		WinHttpCloseHandle(c->con);
	if (c->ses)
		WinHttpCloseHandle(c->ses);
	if (c->ca)
		CertFreeCertificateContext(c->ca);
	sodium_memzero(c->auth, sizeof(c->auth));
	cg_free(c);
}

int cg_agent_client_set_secret(struct cg_agent_client *c, const char *secret)
{
	if (!c || !secret || strlen(secret) >= CG_SECRET_LEN || strpbrk(secret, "\r\n"))
		return CG_EINVAL;
	snprintf(c->auth, sizeof(c->auth), "Authorization: Bearer %s\r\n", secret);
	return 0;
}

int cg_agent_client_set_max_response(struct cg_agent_client *c, size_t max)
{
	if (!c || max == 0 || max > CG_AGENT_MAX_RESPONSE_CAP)
		return CG_EINVAL;
	c->max_resp = max;
	return 0;
}

/* The pin: leaf issued by the CA's name, signed by its key, both within their dates. */
static int pin_ok(HINTERNET req, PCCERT_CONTEXT ca)
{
	PCCERT_CONTEXT leaf = NULL;
	DWORD n = sizeof(leaf);
	int ok;

	if (!WinHttpQueryOption(req, WINHTTP_OPTION_SERVER_CERT_CONTEXT, &leaf, &n) || !leaf)
		return 0;
	ok = CertCompareCertificateName(X509_ASN_ENCODING, &leaf->pCertInfo->Issuer,
	                                &ca->pCertInfo->Subject) &&
	     CryptVerifyCertificateSignatureEx(
	         0, X509_ASN_ENCODING, CRYPT_VERIFY_CERT_SIGN_SUBJECT_CERT, (void *)leaf,
	         CRYPT_VERIFY_CERT_SIGN_ISSUER_CERT, (void *)ca, 0, NULL) &&
	     CertVerifyTimeValidity(NULL, leaf->pCertInfo) == 0 &&
	     CertVerifyTimeValidity(NULL, ca->pCertInfo) == 0;
	CertFreeCertificateContext(leaf);
	return ok;
}

/* Runs on the calling thread (synchronous WinHTTP) once TLS is up, before the request is sent.
 * Closing the request handle here is how WinHTTP clients refuse a certificate (.NET's and
 * Delphi's do so): Windows then sends nothing. Wine sends the request anyway; the answer is
 * still refused. */
static void CALLBACK on_status(HINTERNET h, DWORD_PTR ctx, DWORD status, LPVOID info, DWORD n)
{
	struct cg_agent_client *c = (struct cg_agent_client *)ctx;

	(void)info;
	(void)n;
	if (!c || status != WINHTTP_CALLBACK_STATUS_SENDING_REQUEST || c->cancel)
		return;
	if (c->pin >= 0 && pin_ok(h, c->ca)) {
		c->pin = 1;
		return;
	}
	c->pin = -1;
	c->cancel = 1;
	WinHttpCloseHandle(h);
}

/* A WinHTTP error as a CG_E code; *e keeps it for the message. */
static int werr(DWORD *e)
{
	static const DWORD tls[] = {
	    ERROR_WINHTTP_SECURE_FAILURE,         ERROR_WINHTTP_SECURE_INVALID_CA,
	    ERROR_WINHTTP_SECURE_INVALID_CERT,    ERROR_WINHTTP_SECURE_CERT_DATE_INVALID,
	    ERROR_WINHTTP_SECURE_CERT_CN_INVALID, ERROR_WINHTTP_SECURE_CERT_REVOKED,
	    ERROR_WINHTTP_SECURE_CERT_REV_FAILED, ERROR_WINHTTP_SECURE_CERT_WRONG_USAGE,
	    ERROR_WINHTTP_SECURE_CHANNEL_ERROR,   ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED};

	*e = GetLastError();
	for (size_t i = 0; i < sizeof(tls) / sizeof(tls[0]); i++)
		if (*e == tls[i])
			return CG_ECRYPTO;
	if (*e == ERROR_WINHTTP_TIMEOUT || *e == WSAETIMEDOUT || *e == ERROR_TIMEOUT)
		return CG_ETIMEOUT; /* wine passes the socket's error through */
	return *e == ERROR_NOT_ENOUGH_MEMORY || *e == ERROR_OUTOFMEMORY ? CG_ENOMEM : CG_EIO;
}

/* Retry-After in seconds, capped at a day; 0 when absent or not a number (an HTTP date). */
static long retry_after(HINTERNET req)
{
	wchar_t v[64], *end;
	DWORD n = sizeof(v);
	long s;

	if (!WinHttpQueryHeaders(req, WINHTTP_QUERY_RETRY_AFTER, WINHTTP_HEADER_NAME_BY_INDEX, v,
	                         &n, WINHTTP_NO_HEADER_INDEX) ||
	    v[0] < L'0' || v[0] > L'9')
		return 0;
	s = wcstol(v, &end, 10);
	return *end ? 0 : s > 86400 ? 86400 : s;
}

/* Reads the status and the body (at most c->max_resp bytes) into r. */
static int read_resp(struct cg_agent_client *c, HINTERNET req, struct cg_http_resp *r, DWORD *e)
{
	char *p = NULL;
	size_t n = 0, cap = 0;
	DWORD avail = 0, got = 0, status = 0, sz = sizeof(status);
	int rc = 0;

	if (!WinHttpQueryHeaders(req, WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER,
	                         WINHTTP_HEADER_NAME_BY_INDEX, &status, &sz,
	                         WINHTTP_NO_HEADER_INDEX))
		return werr(e);
	for (;;) {
		if (!WinHttpQueryDataAvailable(req, &avail))
			rc = werr(e);
		else if (avail == 0)
			break;
		else if (avail > c->max_resp - n)
			rc = CG_ELIMIT;
		else if (!(rc = cg_grow((void **)&p, &cap, n + avail + 1, 1, c->max_resp + 1)) &&
		         !WinHttpReadData(req, p + n, avail, &got))
			rc = werr(e);
		if (rc)
			goto out;
		if (got == 0)
			break;
		n += got;
	}
	if (!p && !(p = cg_strdup(""))) {
		rc = CG_ENOMEM;
		goto out;
	}
	p[n] = '\0';
	r->status = (long)status;
	r->retry_after = retry_after(req);
	r->body = p;
	r->len = n;
	p = NULL;
	if (n)
		r->json = json_loadb(r->body, n, JSON_REJECT_DUPLICATES, NULL);
out:
	cg_free(p);
	return rc;
}

/* Opens and sets up the request; *hdr gets its headers (Accept and Authorization unless
 * insecure, Content-Type for a POST) in wide form. */
static int make_req(struct cg_agent_client *c, int post, const char *path, const char *ctype,
                    HINTERNET *req, wchar_t **hdr, DWORD *e)
{
	char h[CG_SECRET_LEN + 256], obj[2560];
	wchar_t *wobj = NULL;
	DWORD off = WINHTTP_DISABLE_REDIRECTS | WINHTTP_DISABLE_COOKIES;
	DWORD sec = SECURITY_FLAG_IGNORE_UNKNOWN_CA;
	DWORD_PTR ctx = (DWORD_PTR)c;
	int rc;

	snprintf(h, sizeof(h), "%s%s%s%s%s", c->insecure ? "" : "Accept: application/json\r\n",
	         c->insecure ? "" : c->auth, post ? "Content-Type: " : "", post ? ctype : "",
	         post ? "\r\n" : "");
	snprintf(obj, sizeof(obj), "%s%s", c->prefix, path);
	rc = cg_win_wide(h, hdr);
	sodium_memzero(h, sizeof(h));
	if (rc || (rc = cg_win_wide(obj, &wobj)))
		return rc;
	*req = WinHttpOpenRequest(c->con, post ? L"POST" : L"GET", wobj, NULL, WINHTTP_NO_REFERER,
	                          WINHTTP_DEFAULT_ACCEPT_TYPES, WINHTTP_FLAG_SECURE);
	cg_free(wobj);
	/* Verified: an unknown root is the only error WinHTTP may overlook, and the callback then
	 * demands our CA. Insecure: the caller checks what it got against a fingerprint. */
	if (c->insecure)
		sec |= SECURITY_FLAG_IGNORE_CERT_DATE_INVALID |
		       SECURITY_FLAG_IGNORE_CERT_CN_INVALID | SECURITY_FLAG_IGNORE_CERT_WRONG_USAGE;
	if (!*req || !WinHttpSetOption(*req, WINHTTP_OPTION_DISABLE_FEATURE, &off, sizeof(off)) ||
	    !WinHttpSetOption(*req, WINHTTP_OPTION_SECURITY_FLAGS, &sec, sizeof(sec)))
		return werr(e);
	if (!c->insecure &&
	    (!WinHttpSetOption(*req, WINHTTP_OPTION_CONTEXT_VALUE, &ctx, sizeof(ctx)) ||
	     WinHttpSetStatusCallback(*req, on_status, WINHTTP_CALLBACK_FLAG_SEND_REQUEST, 0) ==
	         WINHTTP_INVALID_STATUS_CALLBACK))
		return werr(e);
	return 0;
}

/* An insecure client (cg_agent_fetch_ca's own, never seen by callers) checks no certificate. */
int cg_agent_request_raw(struct cg_agent_client *c, const char *method, const char *path,
                         const char *ctype, const void *body, size_t len, struct cg_http_resp *r,
                         char *err, size_t errcap)
{
	HINTERNET req = NULL;
	wchar_t *hdr = NULL;
	const char *why = NULL;
	DWORD e = 0;
	int post, rc;

	if (r)
		memset(r, 0, sizeof(*r));
	if (!c || !method || !path || !r || path[0] != '/' || (len && !body) ||
	    strlen(path) >= 2048)
		return CG_EINVAL;
	post = strcmp(method, "POST") == 0;
	if (!post && strcmp(method, "GET") != 0)
		return CG_EINVAL;
	if (post && len > CG_AGENT_MAX_RESPONSE)
		return CG_ELIMIT; /* the protocol's bound on bodies both ways */
	if (post && (!ctype || strlen(ctype) > 120 || strpbrk(ctype, "\r\n")))
		return CG_EINVAL;
	len = post ? len : 0;
	c->pin = c->cancel = 0;
	if (!c->insecure && (rc = load_ca(c))) {
		why = "cannot read the pinned CA certificate";
		goto out;
	}
	if (c->last_ms && GetTickCount64() - c->last_ms > IDLE_RECONNECT_MS &&
	    (rc = connect_handles(c))) {
		e = GetLastError();
		goto out;
	}
	rc = make_req(c, post, path, ctype, &req, &hdr, &e);
	if (rc == 0 &&
	    !WinHttpSendRequest(req, hdr, (DWORD)-1L, len ? (LPVOID)body : WINHTTP_NO_REQUEST_DATA,
	                        (DWORD)len, (DWORD)len, (DWORD_PTR)c))
		rc = werr(&e);
	/* Once the callback closed req, its value may already name another thread's handle. */
	if (rc == 0 && !c->cancel && !WinHttpReceiveResponse(req, NULL))
		rc = werr(&e);
	/* Belt and braces: no answer counts unless the pin was checked for this request. */
	if (rc == 0 && !c->insecure && c->pin != 1)
		c->pin = -1;
	if (rc == 0 && c->pin >= 0)
		rc = read_resp(c, req, r, &e);
out:
	if (c->pin < 0) {
		rc = CG_ECRYPTO;
		why = PIN_MSG;
	}
	if (err && errcap && why)
		snprintf(err, errcap, "%s", why);
	else if (err && errcap && e)
		snprintf(err, errcap, "WinHTTP error %lu", (unsigned long)e);
	else if (err && errcap)
		snprintf(err, errcap, "%s", cg_strerror(rc));
	if (rc)
		cg_http_resp_clear(r);
	if (req && !c->cancel)
		WinHttpCloseHandle(req);
	c->last_ms = GetTickCount64();
	if (hdr)
		sodium_memzero(hdr, wcslen(hdr) * sizeof(wchar_t));
	cg_free(hdr);
	return rc;
}

/* SHA-256 over the DER of the first certificate of pem against fp (lower case); that
 * certificate alone, as PEM (64-character lines, "\n" ends), into *one. */
static int check_fp(const char *pem, const char *fp, char **one)
{
	PCCERT_CONTEXT x = NULL;
	char hex[CG_SHA256_HEX] = "";
	DWORD n = 0, flags = CRYPT_STRING_BASE64HEADER | CRYPT_STRING_NOCR;
	int rc;

	if ((rc = pem_cert(pem, &x)))
		return rc;
	cg_sha256_hex(x->pbCertEncoded, x->cbCertEncoded, hex);
	rc = CG_ECRYPTO;
	if (strlen(fp) != 64 || sodium_memcmp(hex, fp, 64) != 0 ||
	    !CryptBinaryToStringA(x->pbCertEncoded, x->cbCertEncoded, flags, NULL, &n))
		goto out;
	rc = CG_ENOMEM;
	if (!(*one = cg_malloc(n)))
		goto out;
	rc = 0;
	if (!CryptBinaryToStringA(x->pbCertEncoded, x->cbCertEncoded, flags, *one, &n)) {
		cg_free(*one);
		*one = NULL;
		rc = CG_ECRYPTO;
	}
out:
	CertFreeCertificateContext(x);
	return rc;
}

int cg_agent_fetch_ca(const char *base_url, const char *fp_hex, const char *save_path, char *err,
                      size_t errcap)
{
	struct cg_agent_client *c = NULL;
	struct cg_http_resp r = {0, NULL, 0, 0, NULL};
	char fp[65], msg[160] = "", *one = NULL;
	size_t n = 0;
	int rc;

	if (!base_url || !fp_hex || !save_path)
		return CG_EINVAL;
	/* the fingerprint may come in upper case from a person; compare lower case */
	for (; fp_hex[n] && n < 64; n++)
		fp[n] = (char)(fp_hex[n] >= 'A' && fp_hex[n] <= 'F' ? fp_hex[n] + 32 : fp_hex[n]);
	fp[n] = '\0';
	if ((rc = open_base(base_url, &c)))
		return rc;
	c->max_resp = CG_AGENT_MAX_CA_PEM;
	c->insecure = 1;
	/* The only unverified exchange: what it returns is trusted only if its hash matches the
	 * fingerprint the administrator's token carries. */
	rc = cg_agent_request_raw(c, "GET", "/api/v1/ca.pem", NULL, NULL, 0, &r, msg, sizeof(msg));
	if (rc == 0 && (r.status != 200 || !r.len)) {
		rc = CG_EIO;
		snprintf(msg, sizeof(msg), "HTTP %ld", r.status);
	}
	if (rc == 0) {
		rc = check_fp(r.body, fp, &one);
		msg[0] = '\0';
	}
	if (rc == 0)
		rc = cg_write_file_atomic(save_path, one, strlen(one), 0644);
	if (err && errcap)
		snprintf(err, errcap, "%s", msg[0] ? msg : cg_strerror(rc));
	cg_http_resp_clear(&r);
	cg_agent_client_free(c);
	cg_free(one);
	return rc;
}

/* pki_san.c - the subjectAltName of a server certificate from a list of names and addresses. */
#include <stddef.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "pki_int.h"
#include "banned.h"

#define MAX_NAME 253   /* a DNS name, bytes */
#define MAX_LIST 16384 /* the whole list, bytes */

static int label_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-';
}

/* A host name: dot-separated labels of 1..63 letters, digits and '-' (not at either end of a
 * label); "*." may start it when at least two labels follow. */
static int dns_ok(const char *s, size_t n)
{
	size_t start = 0, labels = 0;

	if (n == 0 || n > MAX_NAME)
		return 0;
	if (n > 2 && s[0] == '*' && s[1] == '.')
		start = 2;
	for (size_t i = start; i <= n; i++) {
		if (i == n || s[i] == '.') {
			size_t len = i - start;
			if (len == 0 || len > 63 || s[start] == '-' || s[i - 1] == '-')
				return 0;
			labels++;
			start = i + 1;
		} else if (!label_char((unsigned char)s[i])) {
			return 0;
		}
	}
	return s[0] == '*' ? labels >= 2 : 1;
}

/* Appends one entry: iPAddress when name parses as an address, else dNSName. */
static int add_name(GENERAL_NAMES *gens, const char *name, size_t n)
{
	GENERAL_NAME *g = NULL;
	ASN1_OCTET_STRING *ip = a2i_IPADDRESS(name);
	ASN1_IA5STRING *dns = NULL;

	ERR_clear_error();
	if (!(g = GENERAL_NAME_new()))
		goto fail;
	if (ip) {
		GENERAL_NAME_set0_value(g, GEN_IPADD, ip);
		ip = NULL;
	} else {
		if (!dns_ok(name, n)) {
			GENERAL_NAME_free(g);
			return CG_EINVAL;
		}
		if (!(dns = ASN1_IA5STRING_new()) || !ASN1_STRING_set(dns, name, (int)n))
			goto fail;
		GENERAL_NAME_set0_value(g, GEN_DNS, dns);
		dns = NULL;
	}
	if (!sk_GENERAL_NAME_push(gens, g))
		goto fail;
	return 0;
fail:
	ASN1_OCTET_STRING_free(ip);
	ASN1_IA5STRING_free(dns);
	GENERAL_NAME_free(g);
	return CG_ENOMEM;
}

static int is_space(int c)
{
	return c == ' ' || c == '\t';
}

int cg_pki_san(const char *names, GENERAL_NAMES **out, char *cn, size_t cncap)
{
	char buf[MAX_LIST + 1];
	size_t len, count = 0;
	GENERAL_NAMES *gens = NULL;
	char *p, *end;
	int rc = 0;

	*out = NULL;
	len = names ? strnlen(names, MAX_LIST + 1) : 0;
	if (len == 0 || len > MAX_LIST || cncap == 0)
		return CG_EINVAL;
	memcpy(buf, names, len);
	buf[len] = '\0';
	if (!(gens = sk_GENERAL_NAME_new_null()))
		return CG_ENOMEM;
	for (p = buf; rc == 0 && p <= buf + len; p = end + 1) {
		char *b = p, *e;
		end = memchr(p, ',', (size_t)(buf + len - p));
		if (!end)
			end = buf + len;
		e = end;
		while (b < e && is_space((unsigned char)*b))
			b++;
		while (e > b && is_space((unsigned char)e[-1]))
			e--;
		*e = '\0';
		if (b == e || ++count > CG_MAX_PKI_NAMES) {
			rc = CG_EINVAL;
			break;
		}
		if (count == 1) {
			size_t m = (size_t)(e - b) < cncap - 1 ? (size_t)(e - b) : cncap - 1;
			memcpy(cn, b, m);
			cn[m] = '\0';
		}
		rc = add_name(gens, b, (size_t)(e - b));
	}
	if (rc) {
		GENERAL_NAMES_free(gens);
		return rc;
	}
	*out = gens;
	return 0;
}

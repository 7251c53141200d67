/* pki_int.h - what pki.c and pki_san.c share (OpenSSL types; not part of auth.h). */
#ifndef CANHGAC_AUTH_PKI_INT_H
#define CANHGAC_AUTH_PKI_INT_H

#include <stddef.h>

#include <openssl/x509.h>
#include <openssl/x509v3.h>

/* Reads the first certificate of a PEM string (at most CG_MAX_PKI_PEM bytes). */
int cg_pki_read_cert(const char *pem, X509 **out);

/* Reads a PEM private key (at most CG_MAX_PKI_PEM bytes). */
int cg_pki_read_key(const char *pem, EVP_PKEY **out);

/* Parses "localhost, 127.0.0.1, ::1" (comma-separated, spaces around names ignored, at most
 * CG_MAX_PKI_NAMES) into subjectAltName entries: IP addresses as iPAddress, the rest as dNSName
 * after checking they are host names (letters, digits, '-', dots; a leading "*." allowed).
 * The first name, cut to cncap - 1 bytes, goes to cn for the subject. CG_EINVAL for an empty
 * list, an empty entry or a bad name. */
int cg_pki_san(const char *names, GENERAL_NAMES **out, char *cn, size_t cncap);

#endif

#!/bin/sh
# win-sign.sh - signs canhgac.exe with Authenticode (osslsigncode, Debian) using the Department's
# own code-signing certificate, then verifies the signature. docs/windows.md says how to get one.
#   scripts/win-sign.sh IN.exe OUT.exe --cert CERT.pem --key KEY.pem [--pass-file FILE]
#                      [--timestamp URL] [--ca CA.pem]
# The key may be encrypted: give its passphrase in a file (never on the command line). With
# --timestamp (an RFC 3161 server reachable from the signing machine), the signature stays valid
# after the certificate expires. --ca checks the chain against the Department's CA.
set -eu
die() { echo "win-sign: $*" >&2; exit 2; }
[ $# -ge 2 ] || die "usage: win-sign.sh IN.exe OUT.exe --cert CERT.pem --key KEY.pem [--pass-file F] [--timestamp URL] [--ca CA.pem]"
IN=$1 OUT=$2
shift 2
CERT= KEY= PASS= TS= CA=
while [ $# -gt 0 ]; do
	case $1 in
	--cert) CERT=$2 ;;
	--key) KEY=$2 ;;
	--pass-file) PASS=$2 ;;
	--timestamp) TS=$2 ;;
	--ca) CA=$2 ;;
	*) die "unknown option '$1'" ;;
	esac
	shift 2 || die "option '$1' needs a value"
done
[ -f "$IN" ] || die "$IN: no such file"
[ -n "$CERT" ] && [ -f "$CERT" ] || die "--cert: a PEM certificate file is required"
[ -n "$KEY" ] && [ -f "$KEY" ] || die "--key: a PEM private key file is required"
command -v osslsigncode >/dev/null || die "osslsigncode is missing (apt-get install osslsigncode)"
[ "$IN" != "$OUT" ] || die "OUT must differ from IN"
set -- sign -certs "$CERT" -key "$KEY" -h sha256 -n "canhgac" -i "https://github.com/canhgac" \
	-in "$IN" -out "$OUT.tmp"
[ -z "$PASS" ] || set -- "$@" -readpass "$PASS"
[ -z "$TS" ] || set -- "$@" -ts "$TS"
rm -f "$OUT.tmp"
osslsigncode "$@" >/dev/null || die "signing failed"
if [ -n "$CA" ]; then
	osslsigncode verify -CAfile "$CA" -in "$OUT.tmp" >/dev/null || die "the signature does not verify against $CA"
else
	osslsigncode extract-signature -in "$OUT.tmp" -out "$OUT.sig" >/dev/null || die "no signature in the output"
	rm -f "$OUT.sig"
fi
mv "$OUT.tmp" "$OUT"
echo "win-sign: $OUT signed ($(sha256sum "$OUT" | cut -c1-64))"

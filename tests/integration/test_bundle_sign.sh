#!/usr/bin/env bash
# test_bundle_sign.sh - `bundle keygen` and `bundle sign`: a copy of the sample bundle signed
# with an expiry and a new version verifies with --trust-key, a changed byte is refused, and
# scan uses the signed copy.
. "$(dirname "$0")/lib.sh"
B=$SRC/bundles/sample
expect_rc 0 "keygen" "$CG" bundle keygen --out "$T/dept"
[ -f "$T/dept.key" ] && [ -f "$T/dept.pub" ] && ok "key files written" || fail "key files missing"
eq "$(stat -c %a "$T/dept.key")" "600" "private key mode 0600"
contains "$T/dept.key" "BEGIN PRIVATE KEY" "private key is PKCS#8 PEM"
contains "$T/dept.pub" "BEGIN PUBLIC KEY" "public key is PEM"
# OpenSSL reads both and they are one pair
openssl pkey -in "$T/dept.key" -pubout 2>/dev/null | cmp -s - "$T/dept.pub" && ok "pair matches (openssl)" || fail "openssl disagrees with the key pair"
expect_rc 2 "keygen refuses to overwrite" "$CG" bundle keygen --out "$T/dept"
expect_rc 2 "keygen without --out" "$CG" bundle keygen

cp -r "$B" "$T/signed"
year=$(( $(date -u +%Y) + 2 ))
expect_rc 0 "sign with expiry and version" "$CG" bundle sign "$T/signed" --key "$T/dept.key" --expires "$year-01-31" --version 2099.12.03.1
[ -f "$T/signed/manifest.json.sig" ] && ok "signature written" || fail "no manifest.json.sig"
contains "$T/signed/manifest.json" "\"expires\": \"$year-01-31T00:00:00Z\"" "expires in the manifest"
contains "$T/signed/manifest.json" "2099.12.03.1" "version in the manifest"
# an OpenSSL verification of the same bytes
base64 -d "$T/signed/manifest.json.sig" > "$T/sig.raw"
openssl pkeyutl -verify -pubin -inkey "$T/dept.pub" -rawin -in "$T/signed/manifest.json" -sigfile "$T/sig.raw" > /dev/null 2>&1 && ok "openssl verifies the signature" || fail "openssl does not verify the signature"
expect_rc 0 "signed bundle verifies" "$CG" bundle info --trust-key "$T/dept.pub" "$T/signed"
contains "$T/out" "verified" "says verified"
contains "$T/out" "31/01/$year" "shows the expiry as dd/mm/yyyy"
lacks "$T/out" "EXPIRED" "not expired"
expect_rc 0 "info json" "$CG" bundle info --json --trust-key "$T/dept.pub" "$T/signed"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["signed"] and not j["expired"] and j["expires"].endswith("-01-31T00:00:00Z") and j["version"]=="2099.12.03.1", j' "$T/out" && ok "json expires" || fail "json: $(cat $T/out)"
expect_rc 2 "signed bundle without a trusted key" "$CG" bundle info "$T/signed"

eicar > "$T/e.com"
expect_rc 1 "scan with the signed bundle" "$CG" scan --no-progress --trust-key "$T/dept.pub" --bundle "$T/signed" "$T/e.com"

# one changed byte of the manifest
cp -r "$T/signed" "$T/tampered"
python3 - "$T/tampered/manifest.json" <<'P'
import sys
p=sys.argv[1]; b=bytearray(open(p,"rb").read()); i=b.index(b"2099.12.03.1"); b[i+11]=ord("2"); open(p,"wb").write(b)
P
expect_rc 2 "tampered manifest refused" "$CG" bundle info --trust-key "$T/dept.pub" "$T/tampered"
expect_rc 2 "scan with tampered manifest refused" "$CG" scan --no-progress --trust-key "$T/dept.pub" --bundle "$T/tampered" "$T/e.com"

# signing again without options signs the bytes as they are; an expired bundle says so
cp -r "$B" "$T/plain"
expect_rc 0 "sign without options" "$CG" bundle sign "$T/plain" --key "$T/dept.key"
cmp -s "$B/manifest.json" "$T/plain/manifest.json" && ok "manifest unchanged" || fail "manifest rewritten without options"
expect_rc 0 "plain signed verifies" "$CG" bundle info --trust-key "$T/dept.pub" "$T/plain"
contains "$T/out" "never" "no expiry"
expect_rc 0 "sign with a past expiry" "$CG" bundle sign "$T/plain" --key "$T/dept.key" --expires 2020-02-29T12:00:00Z
expect_rc 0 "expired info" "$CG" bundle info --trust-key "$T/dept.pub" "$T/plain"
contains "$T/out" "29/02/2020 (EXPIRED)" "says expired"

# bad input
expect_rc 2 "bad --expires" "$CG" bundle sign "$T/plain" --key "$T/dept.key" --expires 31/01/2027
contains "$T/err" "--expires" "names the option"
expect_rc 2 "bad --version" "$CG" bundle sign "$T/plain" --key "$T/dept.key" --version beta
expect_rc 2 "public key as --key" "$CG" bundle sign "$T/plain" --key "$T/dept.pub"
expect_rc 2 "sign without --key" "$CG" bundle sign "$T/plain"
cp -r "$B" "$T/badexp"
sed -i 's/"format"/"expires": "soon", "format"/' "$T/badexp/manifest.json"
expect_rc 2 "malformed expires refused" "$CG" bundle info "$T/badexp"
contains "$T/err" "expires" "names the field"
finish

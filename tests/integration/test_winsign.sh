#!/usr/bin/env bash
# test_winsign.sh - scripts/win-sign.sh signs canhgac.exe with Authenticode: a throwaway CA and a
# code-signing certificate made with openssl stand in for the Department's; osslsigncode (the
# real tool) verifies the chain; a tampered file and a wrong CA are refused.
. "$(dirname "$0")/lib.sh"
S=$SRC/scripts/win-sign.sh
cd "$T" || exit 1
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 \
	-subj "/CN=So GDDT Test CA" -addext "basicConstraints=critical,CA:TRUE" \
	-addext "keyUsage=critical,keyCertSign" 2>/dev/null
openssl req -newkey rsa:2048 -keyout sign.key -out sign.csr -subj "/CN=So GDDT canhgac" \
	-passout pass:secret-pass 2>/dev/null
printf 'extendedKeyUsage=codeSigning\nkeyUsage=digitalSignature\n' > ext.cnf
openssl x509 -req -in sign.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out sign.pem -days 30 \
	-extfile ext.cnf 2>/dev/null
printf 'secret-pass' > pass.txt
expect_rc 0 "sign and verify against the CA" "$S" "$CG" signed.exe --cert sign.pem --key sign.key \
	--pass-file pass.txt --ca ca.pem
contains "$T/out" "signed.exe signed" "reports the signed file"
expect_rc 0 "osslsigncode verifies it" osslsigncode verify -CAfile ca.pem -in signed.exe
openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem -days 30 \
	-subj "/CN=Other CA" 2>/dev/null
expect_rc 2 "a wrong CA is refused" "$S" "$CG" bad.exe --cert sign.pem --key sign.key \
	--pass-file pass.txt --ca other.pem
[ -e bad.exe ] && fail "output left after a failed check" || ok "nothing written on failure"
cp signed.exe tampered.exe
printf 'X' | dd of=tampered.exe bs=1 seek=2000 conv=notrunc 2>/dev/null
expect_rc 1 "a tampered file fails verification" osslsigncode verify -CAfile ca.pem -in tampered.exe
expect_rc 2 "a wrong passphrase fails" "$S" "$CG" x.exe --cert sign.pem --key sign.key --ca ca.pem
expect_rc 2 "no certificate" "$S" "$CG" x.exe --key sign.key
finish

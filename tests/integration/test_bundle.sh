#!/usr/bin/env bash
# test_bundle.sh - bundles: info, integrity, partial loads, Ed25519 signatures, and import from
# ClamAV .cvd, .hsb/.ndb, MalwareBazaar CSV, plain lists and YARA rules.
. "$(dirname "$0")/lib.sh"
B=$SRC/bundles/sample
expect_rc 0 "info sample" "$CG" bundle info "$B"
contains "$T/out" "canhgac-sample" "name"
contains "$T/out" "2026.11.25.1" "version"
expect_rc 0 "info json" "$CG" bundle info --json "$B"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["signatures"]["sha256"]==1 and j["signatures"]["body"]==3 and j["signatures"]["yara"]==1, j' "$T/out" && ok "counts" || fail "counts wrong: $(cat $T/out)"

# a file changed after the manifest was written
cp -r "$B" "$T/tampered"; echo "00000000000000000000000000000000:68:Extra" >> "$T/tampered/eicar.hdb"
expect_rc 2 "tampered bundle refused" "$CG" bundle info "$T/tampered"
contains "$T/err" "eicar.hdb" "names the file"
eicar > "$T/e.com"
expect_rc 2 "scan with tampered bundle refused" "$CG" scan --no-progress --bundle "$T/tampered" "$T/e.com"

# a bundle with a bad line loads only with --allow-partial
cp -r "$B" "$T/partial"
printf 'Bad.Offset:0:EP+10:4d5a9000\nGood.Marker:0:*:43414e484741432d504152544941\n' >> "$T/partial/test.ndb"
python3 - "$T/partial" <<'P'
import json,hashlib,sys,os
d=sys.argv[1]; m=json.load(open(d+"/manifest.json"))
for f in m["files"]:
    b=open(os.path.join(d,f["path"]),"rb").read(); f["sha256"]=hashlib.sha256(b).hexdigest(); f["size"]=len(b)
    if f["path"]=="test.ndb": f["count"]=5
open(d+"/manifest.json","w").write(json.dumps(m,indent=1))
P
printf 'zz CANHGAC-PARTIA zz' > "$T/p.txt"
expect_rc 2 "partial bundle refused" "$CG" scan --no-progress --bundle "$T/partial" "$T/p.txt"
contains "$T/err" "test.ndb:5" "error names file:line"
contains "$T/err" "EP+" "error names the unsupported offset"
expect_rc 1 "--allow-partial" "$CG" scan --no-progress --allow-partial --bundle "$T/partial" "$T/p.txt"
contains "$T/out" "Good.Marker" "accepted signature works"

# Ed25519-signed manifest
cp -r "$B" "$T/signed"
openssl genpkey -algorithm ed25519 -out "$T/key.pem" 2>/dev/null
openssl pkey -in "$T/key.pem" -pubout -out "$T/pub.pem"
openssl genpkey -algorithm ed25519 -out "$T/other.pem" 2>/dev/null
openssl pkey -in "$T/other.pem" -pubout -out "$T/otherpub.pem"
openssl pkeyutl -sign -rawin -inkey "$T/key.pem" -in "$T/signed/manifest.json" -out "$T/signed/manifest.json.sig"
expect_rc 0 "signed bundle verifies" "$CG" bundle info --trust-key "$T/pub.pem" "$T/signed"
contains "$T/out" "verified" "says verified"
expect_rc 2 "signed bundle without a trusted key" "$CG" bundle info "$T/signed"
contains "$T/err" "trust-key" "explains how to trust"
expect_rc 2 "wrong key" "$CG" bundle info --trust-key "$T/otherpub.pem" "$T/signed"
sed -i 's/2026.11.25.1/2026.11.25.9/' "$T/signed/manifest.json"
expect_rc 2 "tampered signed manifest" "$CG" bundle info --trust-key "$T/pub.pem" "$T/signed"

# import: a ClamAV .cvd (built here), MalwareBazaar CSV, a plain list, .hsb/.ndb and YARA
python3 - "$T" <<'P'
import io,tarfile,gzip,hashlib,sys,base64
T=sys.argv[1]
E=base64.b64decode("WDVPIVAlQEFQWzRcUFpYNTQoUF4pN0NDKTd9JEVJQ0FSLVNUQU5EQVJELUFOVElWSVJVUy1URVNULUZJTEUhJEgrSCo=")
members={
 "test.hsb": (hashlib.sha256(E).hexdigest()+":68:Cvd.EICAR.SHA256\n").encode(),
 "test.hdb": ("0123456789abcdef0123456789abcdef:*:Cvd.Star.MD5:73\n").encode(),
 "test.ndb": ("Cvd.Body.Any:0:*:"+b"CANHGAC-CVD-TEST".hex()+"\nCvd.Body.EP:1:EP+0:4d5a\nCvd.Body.Html:3:*:3c736372697074\n").encode(),
 "test.ldb": b"Cvd.Logical;Engine:51-255,Target:1;0;4d5a\nCvd.Logical2;Engine:51-255,Target:0;0;4142\n",
 "test.info": b"test.hsb:1:x\n",
}
bio=io.BytesIO()
with tarfile.open(fileobj=bio,mode="w") as t:
    for n,b in members.items():
        ti=tarfile.TarInfo(n); ti.size=len(b); t.addfile(ti,io.BytesIO(b))
body=gzip.compress(bio.getvalue())
hdr=("ClamAV-VDB:25 Nov 2026 09-00 +0700:27001:5:90:%s:%s:canhgac-test:1795600000" % (hashlib.md5(body).hexdigest(), "x"*86)).encode()
open(T+"/test.cvd","wb").write(hdr.ljust(512,b" ")+body)
open(T+"/mb.csv","w").write('################################################################\n# MalwareBazaar full data dump (CSV)\n################################################################\n# "first_seen_utc","sha256_hash","md5_hash","sha1_hash","reporter","file_name","file_type_guess","mime_type","signature","clamav","vtpercent","imphash","ssdeep","tlsh"\n"2026-11-20 10:00:00","%s","%s","%s","tester","eicar.com","com","text/plain","EICAR-Test","n/a","n/a","n/a","n/a","n/a"\n' % (hashlib.sha256(E).hexdigest(), hashlib.md5(E).hexdigest(), hashlib.sha1(E).hexdigest()))
open(T+"/list.txt","w").write("# IOC list pasted from a letter\n%s  Plain.EICAR\n\n" % hashlib.sha1(E).hexdigest())
P
printf 'x CANHGAC-CVD-TEST x' > "$T/cvdhit.txt"
expect_rc 0 "import" "$CG" bundle import --out "$T/imported" --name school-pack --version 2026.11.25 "$T/test.cvd" "$T/mb.csv" "$T/list.txt" "$B/test.yar"
contains "$T/out" ".ldb" "skipped logical signatures reported by type"
contains "$T/out" "EP+" "skipped offset form reported"
expect_rc 0 "imported info" "$CG" bundle info --json "$T/imported"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); s=j["signatures"]; assert j["name"]=="school-pack" and s["sha256"]>=2 and s["md5"]>=2 and s["sha1"]>=2 and s["body"]==1 and s["yara"]==1, s' "$T/out" && ok "imported counts" || fail "imported counts: $(cat $T/out)"
expect_rc 1 "scan with imported bundle" "$CG" scan --json --no-progress --bundle "$T/imported" "$T/e.com" "$T/cvdhit.txt"
pairs "$T" > "$T/got"
for want in "e.com	Cvd.EICAR.SHA256" "e.com	EICAR-Test" "e.com	Plain.EICAR" "e.com	Canhgac_Test_EICAR_Yara" "cvdhit.txt	Cvd.Body.Any"; do contains "$T/got" "$want" "imported signature: $want"; done
expect_rc 2 "import of a damaged cvd" sh -c "head -c 700 '$T/test.cvd' > '$T/bad.cvd'; '$CG' bundle import --out '$T/bad' '$T/bad.cvd'"
contains "$T/err" "bad.cvd" "names the damaged file"
expect_rc 2 "import without --out" "$CG" bundle import "$T/list.txt"
finish

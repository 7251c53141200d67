#!/usr/bin/env bash
# test_scan.sh - `canhgac scan` end to end with the sample bundle: findings, exit codes, JSON,
# the cache, both body-signature engines, archives, hostile names and files, history.
. "$(dirname "$0")/lib.sh"
B=$SRC/bundles/sample
F=$T/folder; mkdir -p "$F/docs" "$F/deep"
eicar > "$F/eicar.com"
printf 'Giáo án tuần 12\n' > "$F/docs/giao-an.txt"
printf 'xx CANHGAC-TEST-MARKER abc 2 yy' > "$F/docs/marker.txt"
printf 'head ... CANHGAC-TAIL' > "$F/docs/tail.bin"
printf 'CANHGAC-TAIL in the middle, not at the end' > "$F/docs/nottail.bin"
eicar > "$F/"$'t\xean-\xff.com'              # a name that is not UTF-8
mkfifo "$F/pipe"                             # special file: reported, skipped, no hang
ln -s /etc/hostname "$F/link"                # never followed
{ head -c 3000 /dev/zero | tr '\0' 'a'; eicar; } > "$F/docs/embedded.txt"
gzip -c "$F/eicar.com" > "$F/docs/eicar.com.gz"
{ head -c 1024 /dev/zero; eicar; } | gzip > "$F/docs/zeros.bin.gz"   # would parse as an empty tar
python3 -c 'import zipfile,sys; z=zipfile.ZipFile(sys.argv[1],"w",zipfile.ZIP_DEFLATED); z.writestr("inner/dir/virus.exe", open(sys.argv[2],"rb").read()); z.close()' "$F/docs/pack.zip" "$F/eicar.com"
# a path longer than PATH_MAX
p=$F/deep; for i in $(seq 1 30); do p=$p/dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd; done
mkdir -p "$p" 2>/dev/null || python3 -c 'import os,sys; os.makedirs(sys.argv[1])' "$p"
eicar > "$p/far.com" 2>/dev/null || python3 -c 'import sys,os,base64
d=sys.argv[1]; fd=os.open("/",os.O_RDONLY)
for c in d.strip("/").split("/"): fd=os.open(c,os.O_RDONLY,dir_fd=fd)
f=os.open("far.com",os.O_WRONLY|os.O_CREAT,0o644,dir_fd=fd); os.write(f,base64.b64decode(sys.argv[2]))' "$p" 'WDVPIVAlQEFQWzRcUFpYNTQoUF4pN0NDKTd9JEVJQ0FSLVNUQU5EQVJELUFOVElWSVJVUy1URVNULUZJTEUhJEgrSCo='

expect_rc 0 "version" "$CG" --version
contains "$T/out" "canhgac " "version printed"
expect_rc 0 "help scan (English)" "$CG" help scan
contains "$T/out" "Exit status: 0 nothing found, 1 something found, 2 error" "scan help has exit codes"
expect_rc 0 "help scan (Vietnamese)" env CANHGAC_LANG=vi "$CG" help scan
contains "$T/out" "Mã thoát: 0 không phát hiện" "Vietnamese help"
expect_rc 0 "scan --help" "$CG" scan --help
expect_rc 2 "unknown command" "$CG" nosuch
expect_rc 2 "missing path" "$CG" scan --bundle "$B"
expect_rc 2 "bad option value" "$CG" scan --bundle "$B" --max-filesize 12Q "$F"
contains "$T/err" "--max-filesize" "error names the option"
expect_rc 2 "missing bundle" "$CG" scan --bundle "$T/nope" "$F"
contains "$T/err" "$T/nope" "error names the bundle"

# 1. a cold scan
expect_rc 1 "scan finds the test files" "$CG" scan --json --no-progress --bundle "$B" "$F"
pairs "$F" > "$T/got1"
cat > "$T/want1" <<'W'
docs/embedded.txt	Canhgac.Test.EICAR.Body
docs/embedded.txt	Canhgac_Test_EICAR_Yara
docs/marker.txt	Canhgac.Test.Marker
docs/tail.bin	Canhgac.Test.TailMarker
eicar.com	Canhgac.Test.EICAR.Body
eicar.com	Canhgac.Test.EICAR.MD5
eicar.com	Canhgac.Test.EICAR.SHA256
eicar.com	Canhgac_Test_EICAR_Yara
W
printf 't\\xean-\\xff.com\tCanhgac.Test.EICAR.Body\nt\\xean-\\xff.com\tCanhgac.Test.EICAR.MD5\nt\\xean-\\xff.com\tCanhgac.Test.EICAR.SHA256\nt\\xean-\\xff.com\tCanhgac_Test_EICAR_Yara\n' >> "$T/want1"
far=$(python3 -c 'import sys; print(sys.argv[1][len(sys.argv[2])+1:])' "$p/far.com" "$F")
for s in Canhgac.Test.EICAR.Body Canhgac.Test.EICAR.MD5 Canhgac.Test.EICAR.SHA256 Canhgac_Test_EICAR_Yara; do printf '%s\t%s\n' "$far" "$s" >> "$T/want1"; done
sort -o "$T/want1" "$T/want1"
if diff "$T/want1" "$T/got1" > "$T/diff1"; then ok "exact findings, cold scan"; else fail "findings differ"; cat "$T/diff1"; fi
contains "$T/out" '"path_b64"' "non-UTF-8 name as base64"
contains "$T/out" '"bundle":{"name":"canhgac-sample","version":"2026.11.25.1"}' "finding names its bundle"
contains "$T/out" '"host":{"hostname"' "host facts"
eq "$(summary files_cached)" 0 "cold scan used no cache"
contains "$T/err" "pipe" "special file reported"
lacks "$T/out" "$F/link\"" "symlink not followed"
python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$T/out" && ok "every line is JSON" || fail "invalid JSON line"

ls "$CANHGAC_DATA_DIR"/cache/yara-*.bin > /dev/null 2>&1 && ok "compiled YARA rules cached" || fail "no compiled YARA cache"

# 2. the same scan again comes from the cache, with the same findings
expect_rc 1 "rescan" "$CG" scan --json --no-progress --bundle "$B" "$F"
pairs "$F" > "$T/got2"
if diff "$T/want1" "$T/got2" > /dev/null; then ok "rescan: same findings"; else fail "rescan findings differ"; diff "$T/want1" "$T/got2"; fi
eq "$(summary files_read)" 0 "rescan read no file"
# 3. --full reads again
expect_rc 1 "full" "$CG" scan --json --no-progress --full --bundle "$B" "$F"
[ "$(summary files_read)" -ge 10 ] && ok "--full reads files" || fail "--full read $(summary files_read)"
pairs "$F" > "$T/got3"
if diff "$T/want1" "$T/got3" > /dev/null; then ok "--full with cached compiled rules: same findings"; else fail "--full findings differ"; diff "$T/want1" "$T/got3"; fi
# 4. a changed file is read again
printf 'clean now' > "$F/docs/marker.txt"
expect_rc 1 "after change" "$CG" scan --json --no-progress --bundle "$B" "$F"
eq "$(summary files_read)" 1 "only the changed file read"
lacks "$T/out" "Canhgac.Test.Marker" "changed file no longer matches"
printf 'xx CANHGAC-TEST-MARKER abc 2 yy' > "$F/docs/marker.txt"

# 4b. --digests: `sig` hashes only what a signature needs, yet a finding still names its
# SHA-256; a later default scan reads again the files that lack one, `all` adds MD5 everywhere
D=$T/d-digests
expect_rc 1 "digests sig" "$CG" scan --json --no-progress --digests sig --bundle "$B" --data-dir "$D" "$F/docs"
python3 - "$T/out" <<'PY' && ok "sig: findings have sha256, clean files none" || fail "sig digests wrong"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
hits = [e for e in ev if e.get("kind") == "malware.detected"]
assert hits and all("sha256" in e.get("digests", {}) for e in hits), hits
PY
expect_rc 1 "default after sig re-reads the files without SHA-256" "$CG" scan --json --no-progress --bundle "$B" --data-dir "$D" "$F/docs"
[ "$(summary files_read)" -ge 2 ] && ok "files without SHA-256 read again" || fail "read $(summary files_read) after --digests sig"
expect_rc 1 "default again from the cache" "$CG" scan --json --no-progress --bundle "$B" --data-dir "$D" "$F/docs"
eq "$(summary files_read)" 0 "then nothing read"
expect_rc 1 "digests all" "$CG" scan --json --no-progress --digests all --bundle "$B" --data-dir "$D" "$F/docs"
[ "$(summary files_read)" -ge 2 ] && ok "all: files read again for MD5" || fail "all read $(summary files_read)"
sqlite3 "$D/scan.db" "SELECT count(*) FROM files WHERE md5 IS NULL OR sha256 IS NULL" > "$T/nulls"
eq "$(cat "$T/nulls")" 0 "all: every cached file has SHA-256 and MD5"
expect_rc 2 "bad --digests" "$CG" scan --digests md4 --bundle "$B" "$F/docs"
contains "$T/err" "--digests" "error names the option"

# 5. both body-signature engines give the same answers
for e in hyperscan portable; do
	expect_rc 1 "engine $e" "$CG" scan --json --no-progress --full --engine "$e" --bundle "$B" --data-dir "$T/d-$e" "$F"
	pairs "$F" > "$T/got-$e"
done
if diff "$T/got-hyperscan" "$T/got-portable" > /dev/null && diff "$T/want1" "$T/got-portable" >/dev/null; then ok "hyperscan == portable"; else fail "engines differ"; diff "$T/got-hyperscan" "$T/got-portable"; fi

# 6. archives
expect_rc 1 "archives" "$CG" scan --json --no-progress --archives --bundle "$B" "$F/docs"
pairs "$F/docs" > "$T/got6"
contains "$T/got6" "pack.zip!inner/dir/virus.exe	Canhgac.Test.EICAR.SHA256" "zip member by hash"
contains "$T/got6" "pack.zip!inner/dir/virus.exe	Canhgac.Test.EICAR.Body" "zip member by body"
contains "$T/got6" "eicar.com.gz!eicar.com	Canhgac.Test.EICAR.SHA256" "gzip member"
contains "$T/got6" "zeros.bin.gz!zeros.bin	Canhgac.Test.EICAR.Body" "payload after zeros in a gzip stream"
expect_rc 1 "archives again (cache keeps member hits)" "$CG" scan --json --no-progress --archives --bundle "$B" "$F/docs"
pairs "$F/docs" > "$T/got6b"
if diff "$T/got6" "$T/got6b" > /dev/null; then ok "archive hits cached"; else fail "archive rescan differs"; diff "$T/got6" "$T/got6b"; fi
expect_rc 1 "without --archives after" "$CG" scan --json --no-progress --bundle "$B" "$F/docs"
lacks "$T/out" "pack.zip" "no member hits without --archives"

# 7. exclusions, size limit, text output
expect_rc 0 "exclude everything infected" "$CG" scan --no-progress --exclude 'docs' --exclude '*.com' --exclude 'deep' --exclude 't*' --bundle "$B" "$F"
contains "$T/out" "No file matched this bundle" "clean summary names the limit of the result"
contains "$T/out" "canhgac-sample 2026.11.25.1" "summary names the bundle"
expect_rc 1 "max-filesize" "$CG" scan --no-progress --max-filesize 100 --bundle "$B" "$F/docs"
contains "$T/err" "larger than --max-filesize" "big file reported as skipped"
expect_rc 1 "vietnamese text output" env CANHGAC_LANG=vi "$CG" scan --no-progress --bundle "$B" "$F/eicar.com"
contains "$T/out" "PHÁT HIỆN" "Vietnamese finding"
contains "$T/out" "TÓM TẮT QUÉT" "Vietnamese summary"

# 8. unreadable folder as a normal user: reported, the scan goes on, exit 1 (found)
if id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
	N=$T/asnobody; mkdir -p "$N/closed" "$N/open"; eicar > "$N/open/e.com"; eicar > "$N/closed/x.com"
	chmod 755 "$T" "$N" "$N/open"; chmod 644 "$N/open/e.com"; chmod 700 "$N/closed"
	mkdir -p "$T/nobody-data"; chown nobody "$T/nobody-data"
	expect_rc 1 "permission denied is reported" setpriv --reuid=nobody --regid=nogroup --clear-groups env CANHGAC_DATA_DIR="$T/nobody-data" "$CG" scan --no-progress --bundle "$B" "$N"
	contains "$T/err" "closed" "denied folder named"
	contains "$T/out" "e.com" "other files still scanned"
	expect_rc 2 "only errors: exit 2" setpriv --reuid=nobody --regid=nogroup --clear-groups env CANHGAC_DATA_DIR="$T/nobody-data" "$CG" scan --no-progress --bundle "$B" "$N/closed"
fi

# 8b. --one-file-system: a file system mounted inside is not entered
O=$T/ofs; mkdir -p "$O/mnt"; printf 'xx CANHGAC-TEST-MARKER abc 2 yy' > "$O/here.txt"
if mount -t tmpfs -o size=1m tmpfs "$O/mnt" 2>/dev/null; then
	printf 'xx CANHGAC-TEST-MARKER abc 3 yy' > "$O/mnt/there.txt"
	expect_rc 1 "without --one-file-system" "$CG" scan --no-progress --bundle "$B" "$O"
	contains "$T/out" "there.txt" "mounted file system scanned"
	expect_rc 1 "--one-file-system" "$CG" scan --no-progress --one-file-system --bundle "$B" "$O"
	lacks "$T/out" "there.txt" "mounted file system skipped"
	contains "$T/out" "here.txt" "own file system scanned"
	umount "$O/mnt"
else
	echo "skip: mount not permitted here (--one-file-system test needs root)"
fi

# 9. history
expect_rc 0 "history" "$CG" scan history
contains "$T/out" "canhgac-sample" "history lists the bundle"
expect_rc 0 "history json" "$CG" scan history --json --limit 2
eq "$(wc -l < "$T/out")" 2 "history --limit"
expect_rc 0 "show run 1" "$CG" scan show 1
contains "$T/out" "eicar.com: FOUND Canhgac.Test.EICAR.SHA256 [hash-sha256]" "run findings stored"
expect_rc 0 "show run 1, json" "$CG" scan show --json 1
contains "$T/out" '"kind":"malware.detected"' "stored findings as records"
finish

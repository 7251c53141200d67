#!/usr/bin/env bash
# test_scan_win.sh - `canhgac.exe scan` of the Windows build under wine, with the sample bundle
# (hash, body and YARA signatures: YARA makes every file go through a confined worker process,
# spawned as `canhgac.exe __worker`): findings and exit codes, --archives on a zip, the JSON
# records, --quarantine and `quarantine restore`. Quarantined files stay < 64 KiB (wine's
# BCrypt has no chained GCM).
. "$(dirname "$0")/lib.sh"
WINE=${WINE:-/usr/lib/wine/wine64}
: "${WINEPREFIX:?set WINEPREFIX to a private wine prefix}"
export WINEDEBUG=-all
win() { local p=$1; echo "Z:${p//\//\\}"; }
W() { wine_exe "$CG" "$@"; }
export CANHGAC_DATA_DIR=$(win "$T/data")
B=$(win "$SRC/bundles/sample")
grep -q '"yara"' "$SRC/bundles/sample/manifest.json" && ok "sample bundle has YARA rules" || fail "sample bundle has no YARA rules: the worker path would not run"
F=$T/scan; mkdir -p "$F/sub" "$T/clean"
eicar > "$F/sub/eicar.com"
printf 'Giáo án tuần 12\n' > "$F/notes.txt"
printf 'nothing to see\n' > "$T/clean/a.txt"
python3 -c 'import zipfile,sys; z=zipfile.ZipFile(sys.argv[1],"w",zipfile.ZIP_DEFLATED); z.writestr("inner/virus.exe", sys.stdin.buffer.read()); z.close()' "$T/pack.zip" < "$F/sub/eicar.com"
mkdir -p "$T/arc"; cp "$T/pack.zip" "$T/arc/pack.zip"
sha_before=$(sha256sum < "$F/sub/eicar.com")

# "relative path<TAB>signature[<TAB>member]" of malware.detected records in $T/out
found() { python3 -c 'import json,sys
root=sys.argv[2]
for l in open(sys.argv[1]):
    e=json.loads(l)
    if e.get("kind")!="malware.detected": continue
    p=e["path"]
    p=p[len(root)+1:] if p.startswith(root+"\\") else p
    print(p+"\t"+e["signature"]["name"]+("\t"+e["member"] if "member" in e else ""))' "$T/out" "$1" | sort; }

expect_rc 0 "clean folder" W scan --json --no-progress --bundle "$B" "$(win "$T/clean")"
eq "$(summary files_read)" 1 "the clean file was read"
eq "$(summary errors)" 0 "no errors on a clean folder"

expect_rc 1 "scan finds EICAR" W scan --json --no-progress --full --bundle "$B" "$(win "$F")"
found "$(win "$F")" > "$T/got"
printf '%s\n' "sub\\eicar.com	Canhgac.Test.EICAR.Body" "sub\\eicar.com	Canhgac.Test.EICAR.MD5" \
	"sub\\eicar.com	Canhgac.Test.EICAR.SHA256" "sub\\eicar.com	Canhgac_Test_EICAR_Yara" > "$T/want"
if diff "$T/want" "$T/got" > "$T/diff"; then ok "exact findings, YARA among them (from a worker)"; else fail "findings differ"; cat "$T/diff"; fi
eq "$(summary errors)" 0 "no worker errors"
python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$T/out" && ok "every line is JSON" || fail "invalid JSON line"

expect_rc 1 "--archives on a zip" W scan --json --no-progress --full --archives --bundle "$B" "$(win "$T/arc")"
found "$(win "$T/arc")" > "$T/gota"
contains "$T/gota" "pack.zip	Canhgac.Test.EICAR.SHA256	inner/virus.exe" "zip member by hash"
contains "$T/gota" "pack.zip	Canhgac_Test_EICAR_Yara	inner/virus.exe" "zip member by YARA"
eq "$(summary errors)" 0 "no worker errors in archives"
expect_rc 0 "without --archives the zip is clean" W scan --json --no-progress --full --bundle "$B" "$(win "$T/arc")"

expect_rc 1 "several threads, workers reused" W scan --json --no-progress --full --threads 2 --archives --bundle "$B" "$(win "$F")" "$(win "$T/arc")"
eq "$(summary errors)" 0 "no errors with two workers"

# wine's default user is an elevated administrator: in-process parsing is refused, as for root
expect_rc 2 "--no-sandbox refused when elevated" W scan --no-progress --no-sandbox --bundle "$B" "$(win "$F")"
contains "$T/err" "refused when running elevated" "says why"
expect_rc 2 "missing path is an error" W scan --no-progress --bundle "$B" "$(win "$T/nope")"

expect_rc 1 "scan --quarantine" W scan --no-progress --quarantine --bundle "$B" "$(win "$F")"
contains "$T/out" "quarantined" "reported as quarantined"
[ ! -e "$F/sub/eicar.com" ] && ok "original removed" || fail "original still there"
[ -e "$F/notes.txt" ] && ok "clean file untouched" || fail "clean file gone"
if grep -rqa 'EICAR-STANDARD' "$T/data/quarantine"; then fail "plaintext found in the store"; else ok "store holds no plaintext"; fi
expect_rc 0 "rescan after quarantine is clean" W scan --no-progress --bundle "$B" "$(win "$F")"
expect_rc 0 "quarantine list" W quarantine list --json
ID=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["id"])' "$T/out")
contains "$T/out" "eicar.com" "list names the original"
expect_rc 0 "quarantine restore" W quarantine restore "$ID"
eq "$(sha256sum < "$F/sub/eicar.com")" "$sha_before" "identical bytes restored"
expect_rc 1 "found again after restore" W scan --no-progress --bundle "$B" "$(win "$F")"
finish

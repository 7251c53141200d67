#!/usr/bin/env bash
# test_quarantine_win.sh - `canhgac quarantine ...` of the Windows build, run under wine as a
# user runs it: add, list, show, no overwrite on restore, exact restore, delete, a link in the
# path refused, the action log. Files live under Z: (wine's view of /), so the shell checks them.
. "$(dirname "$0")/lib.sh"
WINE=${WINE:-/usr/lib/wine/wine64}
: "${WINEPREFIX:?set WINEPREFIX to a private wine prefix}"
export WINEDEBUG=-all
win() { local p=$1; echo "Z:${p//\//\\}"; }
W() { wine_exe "$CG" "$@"; }
export CANHGAC_DATA_DIR=$(win "$T/data")
F=$T/srv; mkdir -p "$F/real"
eicar > "$F/shell.php"
sha_before=$(sha256sum < "$F/shell.php")

expect_rc 0 "add" W quarantine add "$(win "$F/shell.php")"
contains "$T/out" "quarantined as" "add reports the id"
[ ! -e "$F/shell.php" ] && ok "original removed" || fail "original still there"
expect_rc 0 "list" W quarantine list --json
ID=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["id"])' "$T/out")
contains "$T/out" 'shell.php' "list names the original"
if grep -rqa 'EICAR-STANDARD' "$T/data/quarantine"; then fail "plaintext found in the store"; else ok "store holds no plaintext"; fi
expect_rc 0 "show" W quarantine show "$ID"
contains "$T/out" "shell.php" "show names the path"

printf 'someone else\n' > "$F/shell.php"
expect_rc 2 "restore refuses to overwrite" W quarantine restore "$ID"
eq "$(cat "$F/shell.php")" "someone else" "existing file untouched"
rm "$F/shell.php"
expect_rc 0 "restore" W quarantine restore "$ID"
eq "$(sha256sum < "$F/shell.php")" "$sha_before" "identical bytes"
expect_rc 2 "restored entry is gone" W quarantine restore "$ID"

printf 'x' > "$F/del.com"
expect_rc 0 "add for delete" W quarantine add "$(win "$F/del.com")"
ID2=$(sed -n 's/.*quarantined as \([0-9a-f]*\).*/\1/p' "$T/out")
expect_rc 0 "delete" W quarantine delete "$ID2"
expect_rc 2 "deleted entry gone" W quarantine show "$ID2"
eq "$(ls "$T/data/quarantine" | grep -c "$ID2")" "0" "no store file left"

# A link in place of the file is refused and nothing moves. Wine shows a Unix symbolic link to
# a directory as a link (one to a file it shows as the file itself, so that case needs Windows);
# the command resolves links in the folders of the path the user gave, as the Linux one does.
printf 'y' > "$F/real/v.exe"
ln -s "$F/real" "$F/lnk"
expect_rc 2 "link refused" W quarantine add "$(win "$F/lnk")"
contains "$T/err" "symbolic link" "says why"
[ -e "$F/real/v.exe" ] && [ -L "$F/lnk" ] && ok "link and its target untouched" || fail "link or target moved"

python3 - "$T/data/actions.log" > "$T/actions" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    assert r["sid"].startswith("S-1-") and r["uid"] == -1, r
    print(r["action"])
PY
eq "$(tr '\n' ' ' < "$T/actions")" "quarantine_add quarantine_restore_failed quarantine_restore quarantine_add quarantine_delete quarantine_failed " "one log line per action, with the user's SID"
finish

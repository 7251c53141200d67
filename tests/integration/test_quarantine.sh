#!/usr/bin/env bash
# test_quarantine.sh - `scan --quarantine` and `canhgac quarantine ...` end to end: exact
# restore, no overwrite, setuid only with --force, the packaged-file and mass guards, the log.
. "$(dirname "$0")/lib.sh"
B=$SRC/bundles/sample
F=$T/srv; mkdir -p "$F/www/uploads"
eicar > "$F/www/uploads/shell.php"; chmod 640 "$F/www/uploads/shell.php"; chown 1234:2345 "$F/www/uploads/shell.php"
touch -d '2024-01-02 03:04:05.123456789' "$F/www/uploads/shell.php"
printf 'ok\n' > "$F/www/index.html"
sha_before=$(sha256sum < "$F/www/uploads/shell.php")
stat_before=$(stat -c '%s %u %g %a %Y' "$F/www/uploads/shell.php")

expect_rc 1 "scan --quarantine" "$CG" scan --no-progress --quarantine --bundle "$B" "$F"
contains "$T/out" "quarantined" "reported as quarantined"
[ ! -e "$F/www/uploads/shell.php" ] && ok "original removed" || fail "original still there"
[ -e "$F/www/index.html" ] && ok "clean file untouched" || fail "clean file gone"
expect_rc 0 "list" "$CG" quarantine list --json
ID=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["id"])' "$T/out")
contains "$T/out" "$F/www/uploads/shell.php" "list names the original path"
contains "$T/out" "Canhgac.Test.EICAR" "list names the signature"
# the stored blob is neither the plaintext nor executable
if grep -rqa 'EICAR-STANDARD' "$CANHGAC_DATA_DIR/quarantine"; then fail "plaintext found in the store"; else ok "store holds no plaintext"; fi
if find "$CANHGAC_DATA_DIR/quarantine" -type f -perm /111 | grep -q .; then fail "executable file in store"; else ok "nothing executable in store"; fi
expect_rc 0 "show" "$CG" quarantine show "$ID"
contains "$T/out" "shell.php" "show names the path"
expect_rc 0 "show (vi)" env CANHGAC_LANG=vi "$CG" quarantine show "$ID"
contains "$T/out" "Đường dẫn gốc" "Vietnamese show"

# restore gives identical bytes and metadata, and never overwrites
printf 'someone else\n' > "$F/www/uploads/shell.php"
expect_rc 2 "restore refuses to overwrite" "$CG" quarantine restore "$ID"
contains "$T/err" "exists" "says why"
eq "$(cat "$F/www/uploads/shell.php")" "someone else" "existing file untouched"
rm "$F/www/uploads/shell.php"
expect_rc 0 "restore" "$CG" quarantine restore "$ID"
eq "$(sha256sum < "$F/www/uploads/shell.php")" "$sha_before" "identical bytes"
eq "$(stat -c '%s %u %g %a %Y' "$F/www/uploads/shell.php")" "$stat_before" "identical owner, mode, mtime"
eq "$(stat -c '%y' "$F/www/uploads/shell.php")" "2024-01-02 03:04:05.123456789 +0000" "nanosecond mtime kept"
expect_rc 2 "restored entry is gone" "$CG" quarantine restore "$ID"

# setuid only with --force
eicar > "$T/suid.com"; chmod 4755 "$T/suid.com"
expect_rc 0 "add setuid file" "$CG" quarantine add "$T/suid.com"
ID=$(grep -oE '[0-9a-f]{16,}' "$T/out" | head -1)
expect_rc 0 "restore without --force" "$CG" quarantine restore "$ID"
eq "$(stat -c '%a' "$T/suid.com")" "755" "setuid dropped"
expect_rc 0 "add again" "$CG" quarantine add "$T/suid.com"
ID=$(grep -oE '[0-9a-f]{16,}' "$T/out" | head -1)
chmod 4755 "$T/suid.com" 2>/dev/null
expect_rc 0 "restore --force" "$CG" quarantine restore --force "$ID"
eq "$(stat -c '%a' "$T/suid.com")" "755" "mode as quarantined (setuid was cleared before add)"
chmod 4755 "$T/suid.com"
expect_rc 0 "add setuid again" "$CG" quarantine add "$T/suid.com"
ID=$(grep -oE '[0-9a-f]{16,}' "$T/out" | head -1)
expect_rc 0 "restore --force keeps setuid" "$CG" quarantine restore --force "$ID"
eq "$(stat -c '%a' "$T/suid.com")" "4755" "setuid restored with --force"

# a symlink is never taken
ln -s /etc/hostname "$T/link"
expect_rc 2 "symlink refused" "$CG" quarantine add "$T/link"
[ -e /etc/hostname ] && ok "link target untouched" || fail "link target gone"

# delete
eicar > "$T/del.com"
expect_rc 0 "add for delete" "$CG" quarantine add "$T/del.com"
ID=$(grep -oE '[0-9a-f]{16,}' "$T/out" | head -1)
expect_rc 0 "delete" "$CG" quarantine delete "$ID"
expect_rc 2 "deleted entry gone" "$CG" quarantine show "$ID"

# packaged-file guard with a fake dpkg database
A=$T/dpkg; mkdir -p "$A/info" "$T/pkg/usr/bin"
eicar > "$T/pkg/usr/bin/tool"
printf '%s  %s\n' "$(md5sum < "$T/pkg/usr/bin/tool" | cut -d' ' -f1)" "${T#/}/pkg/usr/bin/tool" > "$A/info/fakepkg.md5sums"
expect_rc 1 "packaged file is not quarantined" env CANHGAC_DPKG_ADMINDIR="$A" "$CG" scan --no-progress --quarantine --bundle "$B" "$T/pkg"
contains "$T/out" "guard rail" "refusal reported"
contains "$T/out" "fakepkg" "names the package"
[ -e "$T/pkg/usr/bin/tool" ] && ok "packaged file kept" || fail "packaged file removed"
expect_rc 1 "--force overrides" env CANHGAC_DPKG_ADMINDIR="$A" "$CG" scan --no-progress --quarantine --force --bundle "$B" "$T/pkg"
[ ! -e "$T/pkg/usr/bin/tool" ] && ok "forced quarantine" || fail "forced quarantine did not happen"

# mass guard: many infected executables stop automatic quarantine
M=$T/lab; mkdir -p "$M"
for i in $(seq 1 25); do eicar > "$M/prog$i.exe"; chmod 755 "$M/prog$i.exe"; done
expect_rc 1 "mass detection" "$CG" scan --no-progress --quarantine --mass-limit 20 --bundle "$B" "$M"
contains "$T/err" "reimage" "advises reimaging"
eq "$(ls "$M" | wc -l)" 25 "nothing quarantined"
expect_rc 1 "mass detection, json" "$CG" scan --json --no-progress --quarantine --mass-limit 20 --bundle "$B" "$M"
contains "$T/out" '"action":"skipped-mass"' "json says skipped-mass"

# the action log has one JSON line per action
python3 -c 'import json,sys
n=0
for l in open(sys.argv[1]): json.loads(l); n+=1
print(n)' "$CANHGAC_DATA_DIR/actions.log" > "$T/n" && ok "actions.log is JSON lines" || fail "actions.log invalid"
[ "$(cat "$T/n")" -ge 8 ] && ok "actions logged ($(cat "$T/n"))" || fail "too few actions logged: $(cat "$T/n")"
finish

#!/usr/bin/env bash
# test_usbclean.sh - `canhgac usb-clean` on a prepared stick folder: shortcuts written by
# tests/data/mklnk.py as [MS-SHLLINK] lays them out, a script they run, autorun.inf, and the
# user's own shortcut and files, which must stay. (Hidden attributes need FAT or Windows; the
# Windows build's test covers unhiding.)
. "$(dirname "$0")/lib.sh"
M="python3 $SRC/tests/data/mklnk.py"
S=$T/stick
mkdir -p "$S/Tài liệu" "$S/_"
$M "$S/Tài liệu.lnk" --target 'C:\Windows\System32\cmd.exe' \
	--args '/c start sys.vbs&start explorer "Tài liệu"&exit' --show 7
$M "$S/Bao cao.lnk" --target 'C:\Windows\System32\rundll32.exe' --linkinfo --args '_\x.dll,Run' --ansi
$M "$S/Lối tắt của tôi.lnk" --target 'C:\Users\Lan\Documents\Báo cáo.docx' --linkinfo
echo 'WScript.Echo 1' > "$S/sys.vbs"
printf 'MZ fake dll' > "$S/_/x.dll"
printf '[autorun]\r\nopen=sys.vbs\r\n' > "$S/autorun.inf"
echo "bài giảng" > "$S/Tài liệu/bài giảng.txt"
printf 'garbage, not a shortcut' > "$S/hỏng.lnk"

expect_rc 1 "dry run finds the worm" "$CG" usb-clean --dry-run "$S"
contains "$T/out" "shortcut worm FOUND" "summary says found"
contains "$T/out" "Tài liệu.lnk: quarantine" "the worm shortcut is named"
contains "$T/out" "sys.vbs: quarantine — file the worm's shortcut runs" "its payload is named"
contains "$T/out" "_/x.dll: quarantine" "the rundll32 payload in a subfolder is named"
contains "$T/out" "autorun.inf: quarantine" "autorun.inf is named"
lacks "$T/out" "Lối tắt của tôi" "the user's shortcut is left alone"
lacks "$T/out" "hỏng.lnk" "an unreadable .lnk is left alone"
[ -f "$S/sys.vbs" ] && [ -f "$S/Tài liệu.lnk" ] && ok "dry run moved nothing" || fail "dry run moved files"

expect_rc 1 "clean" "$CG" usb-clean --json "$S"
n=$(python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); print(sum(1 for x in a if x["action"]=="quarantine" and x["quarantine_id"] and not x["error"]))' "$T/out")
eq "$n" 5 "five files quarantined with ids (2 worm shortcuts, sys.vbs, x.dll, autorun.inf)"
for f in "Tài liệu.lnk" "Bao cao.lnk" sys.vbs _/x.dll autorun.inf; do
	[ -e "$S/$f" ] && fail "$f still on the stick"
done
[ -f "$S/Lối tắt của tôi.lnk" ] && [ -f "$S/Tài liệu/bài giảng.txt" ] && [ -f "$S/hỏng.lnk" ] &&
	ok "the user's files stay" || fail "a user's file was taken"
expect_rc 0 "quarantine list" "$CG" quarantine list
contains "$T/out" "USB shortcut worm" "quarantined as the USB shortcut worm"
id=$(grep -F 'sys.vbs' "$T/out" | awk '{print $1}')
expect_rc 0 "restore the script" "$CG" quarantine restore "$id"
[ -f "$S/sys.vbs" ] && ok "restored" || fail "sys.vbs not restored"
rm -f "$S/sys.vbs"
expect_rc 0 "a clean stick" "$CG" usb-clean "$S"
contains "$T/out" "no shortcut worm" "clean summary"
expect_rc 2 "missing folder" "$CG" usb-clean "$T/nope"
expect_rc 2 "no argument" "$CG" usb-clean

# --portable: the state lives beside the program (canhgac.exe carried on the stick)
cp "$CG" "$S/canhgac-portable"
expect_rc 0 "portable run" "$S/canhgac-portable" usb-clean --portable "$S"
expect_rc 0 "portable quarantine list" "$S/canhgac-portable" quarantine list --portable
[ -d "$S/canhgac-data/quarantine" ] && ok "state in canhgac-data beside the program" ||
	fail "no canhgac-data beside the program"
expect_rc 0 "--data-dir wins over --portable" "$S/canhgac-portable" quarantine list --data-dir "$T/d2" --portable
[ -d "$T/d2/quarantine" ] && ok "--data-dir used" || fail "--data-dir not used"
finish

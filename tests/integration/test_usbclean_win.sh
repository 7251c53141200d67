#!/usr/bin/env bash
# test_usbclean_win.sh - `canhgac.exe usb-clean` under wine on a prepared stick folder: the worm's
# Hidden+System attributes are set the way wine keeps them on a Linux file system (the
# user.DOSATTRIB extended attribute, read back by the real FindFirstFileExW), shortcuts come from
# tests/data/mklnk.py. Checks the plan, the quarantine, and that hidden user files are unhidden.
. "$(dirname "$0")/lib.sh"
WINE=${WINE:-/usr/lib/wine/wine64}
: "${WINEPREFIX:?set WINEPREFIX to a private wine prefix}"
export WINEDEBUG=-all
win() { local p=$1; echo "Z:${p//\//\\}"; }
W() { wine_exe "$CG" "$@"; }
export CANHGAC_DATA_DIR=$(win "$T/data")
attrs() { python3 -c 'import os,sys; os.setxattr(sys.argv[1], "user.DOSATTRIB", sys.argv[2].encode())' "$1" "$2"; }
hidden() { python3 -c 'import os,sys
p=sys.argv[1]
v=os.getxattr(p,"user.DOSATTRIB").decode() if "user.DOSATTRIB" in os.listxattr(p) else "0x0"
sys.exit(0 if int(v.split(":")[0].rstrip("\0"),16) & 2 else 1)' "$1"; }
if ! python3 -c 'import os,sys; open(sys.argv[1],"w").close(); os.setxattr(sys.argv[1],"user.t",b"1")' "$T/xattr-probe" 2>/dev/null; then
	echo "SKIP: the file system of $T keeps no user extended attributes (wine stores DOS attributes there)"
	exit 77
fi
M="python3 $SRC/tests/data/mklnk.py"
S=$T/stick
mkdir -p "$S/Tài liệu" "$S/Ảnh" "$S/System Volume Information"
echo "bài giảng" > "$S/Tài liệu/bài giảng.txt"
$M "$S/Tài liệu.lnk" --target 'C:\Windows\System32\cmd.exe' \
	--args '/c start sys.vbs&start explorer "Tài liệu"&exit' --show 7
printf 'not a shortcut' > "$S/Ảnh.lnk"
echo 'WScript.Echo 1' > "$S/sys.vbs"
printf 'MZ' > "$S/svchost.exe"
echo "riêng" > "$S/Riêng.txt"
attrs "$S/Tài liệu" 0x16
attrs "$S/Ảnh" 0x12
attrs "$S/System Volume Information" 0x16
attrs "$S/sys.vbs" 0x6
attrs "$S/svchost.exe" 0x6
attrs "$S/Tài liệu/bài giảng.txt" 0x2

expect_rc 1 "dry run" W usb-clean --dry-run "$(win "$S")"
contains "$T/out" "Ảnh.lnk: quarantine — decoy shortcut" "a decoy shortcut by its name"
contains "$T/out" "svchost.exe: quarantine — hidden executable" "a hidden executable at the root"
contains "$T/out" "Tài liệu: unhide" "the hidden folder is to be unhidden"
lacks "$T/out" "System Volume Information" "Windows' own hidden folder is left alone"
hidden "$S/Tài liệu" && ok "dry run changed no attribute" || fail "dry run unhid a folder"

expect_rc 1 "clean" W usb-clean "$(win "$S")"
contains "$T/out" "quarantined 4, unhidden 3" "4 taken (2 shortcuts, sys.vbs, svchost.exe), 3 unhidden"
for f in "Tài liệu.lnk" "Ảnh.lnk" sys.vbs svchost.exe; do [ -e "$S/$f" ] && fail "$f still there"; done
for f in "Tài liệu" "Ảnh" "Tài liệu/bài giảng.txt"; do
	hidden "$S/$f" && fail "$f still hidden" || ok "$f unhidden"
done
hidden "$S/System Volume Information" && ok "System Volume Information stays hidden" || fail "SVI unhidden"
[ -f "$S/Riêng.txt" ] && ok "a plain user file stays" || fail "Riêng.txt taken"
expect_rc 0 "the store lists them" W quarantine list
eq "$(grep -c 'USB shortcut worm' "$T/out")" 4 "four entries"
expect_rc 0 "now clean" W usb-clean "$(win "$S")"
finish

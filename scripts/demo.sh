#!/bin/sh
# The README's demo: scan a folder holding the EICAR test file with the sample bundle, show the
# finding, quarantine it, list the quarantine, restore it and check the bytes are identical;
# then import a sample botnet list, attribute it to units, split it and merge the replies.
# Usage: scripts/demo.sh [path/to/canhgac]
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
CG=${1:-$TOP/build/src/cli/canhgac}
DEMO=${DEMO_DIR:-$TOP/build/demo}
rm -rf "$DEMO"; mkdir -p "$DEMO/truong-thpt/giao-an" "$DEMO/truong-thpt/tai-ve"
export CANHGAC_DATA_DIR="$DEMO/data"
B="$TOP/bundles/sample"
# The EICAR anti-virus test file: harmless, recognised by every scanner. Written at run time.
printf '%s' 'WDVPIVAlQEFQWzRcUFpYNTQoUF4pN0NDKTd9JEVJQ0FSLVNUQU5EQVJELUFOVElWSVJVUy1URVNULUZJTEUhJEgrSCo=' \
	| base64 -d > "$DEMO/truong-thpt/tai-ve/eicar.com"
printf 'Giáo án Tin học lớp 10, tuần 12\n' > "$DEMO/truong-thpt/giao-an/tin-hoc-10.txt"
printf 'Danh sách lớp 10A1\n' > "$DEMO/truong-thpt/giao-an/lop-10a1.csv"
sum_before=$(sha256sum < "$DEMO/truong-thpt/tai-ve/eicar.com")
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "1. Quét thư mục mẫu / Scan the demo folder"
echo "\$ canhgac scan --bundle bundles/sample $DEMO/truong-thpt"
"$CG" scan --no-progress --bundle "$B" "$DEMO/truong-thpt" || test $? = 1

say "2. Quét lại và cách ly / Scan again and quarantine (the cache makes it instant)"
echo "\$ canhgac scan --quarantine --bundle bundles/sample $DEMO/truong-thpt"
"$CG" scan --no-progress --quarantine --bundle "$B" "$DEMO/truong-thpt" || test $? = 1
ls -l "$DEMO/truong-thpt/tai-ve"

say "3. Khu cách ly / The quarantine"
echo "\$ canhgac quarantine list"
"$CG" quarantine list
ID=$("$CG" quarantine list --json | sed -n 's/.*"id":"\([^"]*\)".*/\1/p' | head -1)

say "4. Khôi phục / Restore"
echo "\$ canhgac quarantine restore $ID"
"$CG" quarantine restore "$ID"
sum_after=$(sha256sum < "$DEMO/truong-thpt/tai-ve/eicar.com")
if [ "$sum_before" = "$sum_after" ]; then
	echo "SHA-256 giống hệt trước khi cách ly / identical SHA-256 after restore: ${sum_after%% *}"
else
	echo "restore changed the bytes!" >&2; exit 1
fi

say "5. Lịch sử quét / Scan history"
"$CG" scan history
# The threat-feed round trip on the synthetic Vietnamese samples of the shared data, when present.
V=$TOP/../shared/data/vn-samples
if [ -d "$V" ]; then
	say "6. Nhập danh sách IP botnet tháng 10 / Import the October botnet list (XLSX)"
	echo "\$ canhgac feed import --kind botnet botnet-10-2026.xlsx"
	"$CG" feed import --kind botnet "$V/botnet-10-2026.xlsx"

	say "7. Đơn vị nào giữ các địa chỉ bị liệt kê / Which unit held each listed address"
	echo "\$ canhgac match units --units units.csv | head -12"
	"$CG" match units --units "$V/units.csv" | head -12

	say "8. Chia theo đơn vị, gộp phản hồi / Split by unit, merge the replies"
	echo "\$ canhgac feed split botnet-10-2026 --units units.csv --out $DEMO/gui-don-vi"
	"$CG" feed split botnet-10-2026 --units "$V/units.csv" --out "$DEMO/gui-don-vi"
	echo "\$ canhgac feed merge-replies $DEMO/gui-don-vi --units units.csv --out $DEMO/bao-cao.xlsx"
	"$CG" feed merge-replies "$DEMO/gui-don-vi" --units "$V/units.csv" --out "$DEMO/bao-cao.xlsx"
fi
# The central server with an agent on this machine (issue 6).
python3 "$TOP/scripts/demo_server.py" "$CG" "$DEMO" "$B" "$([ -d "$V" ] && echo "$V")"
echo
echo "Dữ liệu demo / demo data: $DEMO"

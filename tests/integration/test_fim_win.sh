#!/usr/bin/env bash
# test_fim_win.sh - `canhgac.exe fim` under wine on a Windows-style web root (wwwroot): a
# baseline, then a modified page, a deleted file, a dropped ASPX web shell and a double
# extension; exit codes, --json records, --update and a rescan that reads nothing.
. "$(dirname "$0")/lib.sh"
WINE=${WINE:-/usr/lib/wine/wine64}
: "${WINEPREFIX:?set WINEPREFIX to a private wine prefix}"
export WINEDEBUG=-all
win() { local p=$1; echo "Z:${p//\//\\}"; }
W() { wine_exe "$CG" "$@"; }
export CANHGAC_DATA_DIR=$(win "$T/data")
R=$T/inetpub/wwwroot
mkdir -p "$R/upload"
echo '<%@ Page Language="C#" %><h1>Trường Tiểu học Kim Đồng</h1>' > "$R/default.aspx"
echo 'body{}' > "$R/site.css"
echo 'old' > "$R/old.htm"
sumf() { python3 -c 'import json,sys
for l in open(sys.argv[1]):
    e=json.loads(l)
    if e["kind"]=="fim.summary": print(e[sys.argv[2]])' "$T/out" "$1"; }
kinds() { python3 -c 'import json,sys
print(" ".join(sorted(e["kind"]+":"+e["path"].rsplit("\\",1)[-1] for e in map(json.loads, open(sys.argv[1])) if e["kind"]!="fim.summary")))' "$T/out"; }

expect_rc 0 "baseline" W fim baseline "$(win "$T/inetpub")"
expect_rc 0 "check, nothing changed" W fim check --json
eq "$(sumf files_read)" 0 "nothing read again"
eq "$(sumf files_cached)" 3 "three files from the baseline"
echo '<p>hacked by x</p>' >> "$R/default.aspx"
rm "$R/old.htm"
printf '<%%@ Page Language="Jscript"%%><%%eval(Request.Item["z"],"unsafe");%%>' > "$R/upload/x.aspx"
printf 'GIF89a' > "$R/upload/a.asp.gif"
expect_rc 1 "check finds the changes" W fim check --json
eq "$(kinds)" "fim.added:a.asp.gif fim.changed:default.aspx fim.deleted:old.htm fim.webshell:x.aspx" \
	"added, changed, deleted and the web shell"
contains "$T/out" '"double_extension"' "the double extension is flagged"
contains "$T/out" '"aspx.eval_request"' "the China Chopper ASPX marker"
expect_rc 1 "check --update" W fim check --update
expect_rc 0 "clean after --update" W fim check --json
eq "$(sumf files_read)" 0 "and nothing read"
finish

#!/usr/bin/env bash
# The Windows build (canhgac.exe under wine64) beside the Linux build, scanning the same shared
# corpus with the same bundles in one run. Windows has no Hyperscan: body signatures take the
# portable (libyara) path there, so it is expected to be slower; this says by how much.
# Usage: bench/scan_win.sh [linux canhgac] [canhgac.exe]
# Env: BENCH_DATA=/tmp/corpus (shared with bench/scan.sh), CORPUS_MB=256, SEED, WINEPREFIX.
# Not a test: nothing here fails on time.
set -u
HERE=$(cd "$(dirname "$0")" && pwd); TOP=$(cd "$HERE/.." && pwd)
SHARED=${SHARED:-$TOP/../shared}
BIN=$(readlink -f "${1:-$TOP/build/src/cli/canhgac}")
EXE=$(readlink -f "${2:-$TOP/build-win64/src/cli/canhgac.exe}")
D=${BENCH_DATA:-/tmp/corpus}; S=$D/scan-win; W=$D/canhgac-win; mkdir -p "$W"
PY=${PYTHON:-python3}
export WINEPREFIX=${WINEPREFIX:-$D/wine-bench} WINEDEBUG=-all
WINE=/usr/lib/wine/wine64
[ -x "$EXE" ] || { echo "no $EXE: run make win"; exit 2; }
if [ ! -f "$S/summary.json" ]; then
  $PY "$SHARED/bench/gen/gen_corpus.py" --out "$S" --size-mb "${CORPUS_MB:-256}" --seed "${SEED:-20241125}" || exit 2
fi
win() { local p=$1; echo "Z:${p//\//\\}"; }
tail -n +2 "$S/answer_key.tsv" | awk -F'\t' '{n=split($5","$6,a,","); for(i=1;i<=n;i++) if(a[i]!="") print $1"\t"a[i]}' | sort -u > "$W/expected.pairs"
mkb() { local n=$1; shift; rm -rf "$W/b_$n"; "$BIN" bundle import --lang en --out "$W/b_$n" --name "bench-$n" --version 1 "$@" > "$W/import_$n.log" 2>&1 || { echo "import $n failed"; exit 2; }; }
mkb sized "$S/sigs/clamav/bench.hsb" "$S/sigs/clamav/bench.hdb" "$S/sigs/clamav/bench.ndb"
mkb yara "$S/sigs/yara/patterns.yar"
"$WINE" cmd /c exit >/dev/null 2>&1   # the prefix exists before timing
cat "$S"/files/*/* > /dev/null
t() { local n=$1; shift; /usr/bin/time -f '%e %M' -o "$W/$n.time" "$@" > "$W/$n.out" 2> "$W/$n.err"; echo $? > "$W/$n.rc"; }
wall() { tail -1 "$W/$1.time" | awk '{print $1}'; }
pairs() { $PY -c '
import json,sys
for l in open(sys.argv[1]):
    l=l.strip()
    if not l: continue
    e=json.loads(l)
    if e.get("kind")!="malware.detected": continue
    p=e["path"].replace("\\","/")
    p=p.split("/files/",1)[1]
    if "member" in e: p+="!"+e["member"]
    n=e["signature"]["name"]
    print(p+"\t"+(n.replace("_",".") if sys.argv[2]=="yara" else n))' "$W/$1.out" "${2:-}" | sort -u; }
run() { # NAME BUNDLE
  rm -rf "$W/d_lin_$1" "$W/d_win_$1"
  t "lin_$1" "$BIN" scan --lang en --json --no-progress --threads 2 --data-dir "$W/d_lin_$1" --bundle "$W/b_$2" "$S/files"
  t "win_$1" "$WINE" "$EXE" scan --lang en --json --no-progress --threads 2 --data-dir "$(win "$W/d_win_$1")" --bundle "$(win "$W/b_$2")" "$(win "$S/files")"
}
run sized sized
run yara yara
printf '%-28s %9s %9s %8s  %s\n' run linux_s wine_s ratio "pairs linux / windows (same = identical findings)"
for r in sized yara; do
  k=""; [ $r = yara ] && k=yara
  pairs "lin_$r" $k > "$W/lin_$r.pairs"; pairs "win_$r" $k > "$W/win_$r.pairs"
  same=$(cmp -s "$W/lin_$r.pairs" "$W/win_$r.pairs" && echo same || echo DIFFERENT)
  printf '%-28s %9s %9s %7.2fx  %s / %s (%s), rc %s/%s\n' "scan $r (2 threads)" "$(wall lin_$r)" "$(wall win_$r)" \
    "$($PY -c "print($(wall win_$r) / max($(wall lin_$r), 0.001))")" "$(wc -l < "$W/lin_$r.pairs")" "$(wc -l < "$W/win_$r.pairs")" "$same" \
    "$(cat "$W/lin_$r.rc")" "$(cat "$W/win_$r.rc")"
done
cmp -s "$W/expected.pairs" "$W/win_sized.pairs" && echo "Windows findings (sized) = the answer key exactly" ||
  echo "Windows findings (sized) DIFFER from the answer key: diff $W/expected.pairs $W/win_sized.pairs"
t start "$WINE" "$EXE" --version
echo "wine start-up alone (canhgac.exe --version): $(wall start) s, included in wine_s"
echo "corpus: $($PY -c "import json;d=json.load(open('$S/summary.json'));print(d['files'],'files,',d.get('size_mb', '${CORPUS_MB:-256}'),'MB')")"

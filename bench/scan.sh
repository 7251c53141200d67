#!/usr/bin/env bash
# Side-by-side benchmark of `canhgac scan` against clamscan and yara on the shared corpus.
# Usage: bench/scan.sh [path/to/canhgac]     (make bench builds and runs it)
# Env: BENCH_DATA=/tmp/corpus (shared with ../shared/bench/peers.sh), CORPUS_MB=1024, SEED.
# Prints detections against the answer key and time ratios (peer time / canhgac time) measured
# in this one run on warm page cache. Not a test: nothing here fails the build on time.
set -u
HERE=$(cd "$(dirname "$0")" && pwd); TOP=$(cd "$HERE/.." && pwd)
SHARED=${SHARED:-$TOP/../shared}
BIN=$(readlink -f "${1:-$TOP/build/src/cli/canhgac}")
D=${BENCH_DATA:-/tmp/corpus}; S=$D/scan; W=$D/canhgac; mkdir -p "$W"
PY=${PYTHON:-python3}
if [ ! -f "$S/summary.json" ]; then
  $PY "$SHARED/bench/gen/gen_corpus.py" --out "$S" --size-mb "${CORPUS_MB:-1024}" --seed "${SEED:-20241125}" || exit 2
fi
for t in clamscan yara /usr/bin/time; do command -v $t >/dev/null || { echo "missing $t: scripts/install-deps.sh --bench"; exit 2; }; done
NFILES=$($PY -c "import json;print(json.load(open('$S/summary.json'))['files'])" )
EXP=$($PY -c "import json;print(json.load(open('$S/summary.json'))['pairs_total'])")
tail -n +2 "$S/answer_key.tsv" | awk -F'\t' '{n=split($5","$6,a,","); for(i=1;i<=n;i++) if(a[i]!="") print $1"\t"a[i]}' | sort -u > "$W/expected.pairs"
grep -P '\tBench\.Pattern|\tBench\.EICAR' "$W/expected.pairs" > "$W/expected_pat.pairs"

# bundles built with canhgac's own importer from the generator's files
mkb() { rm -rf "$W/b_$1"; shift_name=$1; shift; "$BIN" bundle import --lang en --out "$W/b_$shift_name" --name "bench-$shift_name" --version 1 "$@" > "$W/import_$shift_name.log" 2>&1 || { echo "import $shift_name failed"; cat "$W/import_$shift_name.log"; exit 2; }; }
mkb sized "$S/sigs/clamav/bench.hsb" "$S/sigs/clamav/bench.hdb" "$S/sigs/clamav/bench.ndb"
mkb star "$S/sigs/clamav_star/bench.hsb" "$S/sigs/clamav_star/bench.hdb" "$S/sigs/clamav_star/bench.ndb"
mkb yara "$S/sigs/yara/patterns.yar"

cat "$S"/files/*/* > /dev/null
cd "$S"
# t NAME CMD... : wall seconds and max RSS (KiB) into $W/NAME.time
t() { local n=$1; shift; /usr/bin/time -f '%e %M' -o "$W/$n.time" "$@" > "$W/$n.out" 2> "$W/$n.err"; echo $? > "$W/$n.rc"; }
wall() { tail -1 "$W/$1.time" | awk '{print $1}'; }
rss() { tail -1 "$W/$1.time" | awk '{print $2}'; }
pairs() { # canhgac --json output -> sorted unique (relpath, sig) pairs
  $PY -c '
import json,sys
for l in open(sys.argv[1]):
    e=json.loads(l)
    if e.get("kind")!="malware.detected": continue
    p=e["path"]
    p=p[6:] if p.startswith("files/") else p.split("/files/",1)[1]
    if "member" in e: p+="!"+e["member"]
    print(p+"\t"+e["signature"]["name"].replace("_","." ) if sys.argv[2]=="yara" else p+"\t"+e["signature"]["name"])' "$W/$1.out" "${2:-}" | sort -u; }
cg() { local n=$1; shift; rm -rf "$W/data_$n"; t "$n" "$BIN" scan --lang en --json --no-progress --data-dir "$W/data_$n" "$@" files; }

cg cold_sized --bundle "$W/b_sized"
cg cold_sized_sig --bundle "$W/b_sized" --digests sig
cg cold_star --bundle "$W/b_star"
t yara_all_p2 yara -p 2 -r sigs/yara/hashes.yar sigs/yara/patterns.yar files
cg arch_sized --bundle "$W/b_sized" --archives
t clamscan clamscan --no-summary --infected --allmatch --max-filesize=2000M --max-scansize=2000M --max-files=1000000 --max-recursion=64 -d sigs/clamav -r files
cg yara_cg --bundle "$W/b_yara"
t yara_pat_p2 yara -p 2 -r sigs/yara/patterns.yar files
# rescan of the unchanged corpus with the cache of cold_sized
t rescan "$BIN" scan --lang en --json --no-progress --data-dir "$W/data_cold_sized" --bundle "$W/b_sized" files
mv "$W/rescan.out" "$W/rescan.json"; cp "$W/rescan.json" "$W/rescan.out"

pairs cold_sized > "$W/cold_sized.pairs"; pairs cold_sized_sig > "$W/cold_sized_sig.pairs"; pairs cold_star > "$W/cold_star.pairs"
pairs arch_sized > "$W/arch_sized.pairs"; pairs rescan > "$W/rescan.pairs"
pairs yara_cg yara > "$W/yara_cg.pairs"
sed -n 's/^files\/\(.*\): \(.*\)\.UNOFFICIAL FOUND$/\1\t\2/p' "$W/clamscan.out" | sort -u > "$W/clamscan.pairs"
verdict() { if cmp -s "$1" "$2"; then echo "exact"; else echo "DIFF($(comm -3 "$1" "$2" | wc -l))"; fi; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b>0) printf "%.1f", a/b; else print "inf" }'; }
printf '\n%-44s %8s %9s %7s %s\n' "run" "wall s" "RSS MiB" "pairs" "vs answer key"
row() { printf '%-44s %8s %9.1f %7s %s\n' "$1" "$(wall $2)" "$(awk -v k=$(rss $2) 'BEGIN{print k/1024}')" "$(wc -l < $3)" "$(verdict $4 $3)"; }
row "canhgac cold, sized hashes + ndb" cold_sized "$W/cold_sized.pairs" "$W/expected.pairs"
row "canhgac cold, sized, --digests sig" cold_sized_sig "$W/cold_sized_sig.pairs" "$W/expected.pairs"
row "canhgac cold, *-sized hashes + ndb" cold_star "$W/cold_star.pairs" "$W/expected.pairs"
row "canhgac --archives, sized" arch_sized "$W/arch_sized.pairs" "$W/expected.pairs"
row "canhgac rescan (cache), sized" rescan "$W/rescan.pairs" "$W/expected.pairs"
row "canhgac patterns.yar via libyara" yara_cg "$W/yara_cg.pairs" "$W/expected_pat.pairs"
printf '%-44s %8s %9.1f\n' "yara -p 2 hashes.yar patterns.yar" "$(wall yara_all_p2)" "$(awk -v k=$(rss yara_all_p2) 'BEGIN{print k/1024}')"
printf '%-44s %8s %9.1f\n' "yara -p 2 patterns.yar" "$(wall yara_pat_p2)" "$(awk -v k=$(rss yara_pat_p2) 'BEGIN{print k/1024}')"
row "clamscan --allmatch (peer)" clamscan "$W/clamscan.pairs" "$W/expected.pairs"
echo
echo "ratios (peer / canhgac, higher is better; targets from issue 2):"
echo "  cold sized vs yara -p 2:        $(ratio $(wall yara_all_p2) $(wall cold_sized))x   (target >= 8)"
echo "  cold sized --digests sig vs yara -p 2: $(ratio $(wall yara_all_p2) $(wall cold_sized_sig))x   (target >= 8; same work as yara: hash only where the size matches)"
echo "  cold *-sized vs yara -p 2:      $(ratio $(wall yara_all_p2) $(wall cold_star))x   (target >= 4)"
echo "  --archives vs clamscan:         $(ratio $(wall clamscan) $(wall arch_sized))x   (target >= 10)"
echo "  libyara .yar vs yara -p 2:      $(ratio $(wall yara_pat_p2) $(wall yara_cg))x   (target >= 1)"
echo "  rescan: $(wall rescan) s for $NFILES files; budget $(awk -v n=$NFILES 'BEGIN{printf "%.3f", 0.05+n*0.00001}') s"
echo "  peak RSS canhgac: $(for n in cold_sized cold_sized_sig cold_star arch_sized yara_cg rescan; do printf '%s=%.1fMiB ' $n $(awk -v k=$(rss $n) 'BEGIN{print k/1024}'); done) (target < 64)"
echo "  expected pairs: $EXP"

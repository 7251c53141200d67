#!/usr/bin/env bash
# Rescan time of `canhgac fim check` on an unchanged tree (docs/fim.md): N files (default 50,000)
# in 500 folders under a web root, a baseline, then three checks; and a check after one file
# changed. Usage: bench/fim_rescan.sh [path/to/canhgac]   Env: FILES=50000, BENCH_DATA=/tmp/fimbench
# Not a test: prints the times; the checks must read no file (and exactly one after the change).
set -u
HERE=$(cd "$(dirname "$0")" && pwd); TOP=$(cd "$HERE/.." && pwd)
BIN=$(readlink -f "${1:-$TOP/build/src/cli/canhgac}")
D=${BENCH_DATA:-/tmp/fimbench}; N=${FILES:-50000}
R=$D/tree/var/www/site
if [ ! -f "$D/made-$N" ]; then
	rm -rf "$D"; mkdir -p "$R"
	python3 - "$R" "$N" << 'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    d = f"{root}/d{i // 100:04}"
    if i % 100 == 0: os.makedirs(d, exist_ok=True)
    ext = ["php", "html", "css", "js", "png"][i % 5]
    with open(f"{d}/f{i % 100:03}.{ext}", "w") as f:
        f.write('<?php echo "trang %d"; ?>\n' % i * 30)
PY
	touch "$D/made-$N"
fi
export CANHGAC_DATA_DIR=$D/data CANHGAC_LANG=en
rm -rf "$D/data"
t() { /usr/bin/time -f "%e s wall, %M KiB max RSS" "$BIN" fim "$@" --json 2> "$D/time" | tail -1 |
	python3 -c 'import json,sys; s=json.loads(sys.stdin.read()); print("files %d, read %d, cached %d, bytes read %d" % (s["files"], s["files_read"], s["files_cached"], s["bytes_read"]))'
	cat "$D/time"; }
echo "baseline of $N files:"; t baseline "$D/tree"
for i in 1 2 3; do echo "check $i (unchanged):"; t check; done
echo 'x' >> "$R/d0000/f000.php"
echo "check after one file changed:"; t check

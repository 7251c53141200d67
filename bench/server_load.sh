#!/bin/sh
# Load benchmark of `canhgac server` (issue 6; not a test): N simulated agents (default 5,000)
# on loopback over TLS send ~500-byte events in batches of 500 and heartbeat, against the
# embedded SQLite and a throwaway PostgreSQL cluster, in one run. Reports sustained events
# stored per second, p99 latency at half that load, the server's RSS, and the reconnect storm
# (every agent at once after an outage: only 200 or 429 allowed).
# Usage: bench/server_load.sh [build/src/cli/canhgac] [AGENTS] [SECONDS] [CONNS]
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
CG=${1:-$TOP/build/src/cli/canhgac}
N=${2:-5000}
SECS=${3:-20}
CONNS=${4:-32}
LOAD=$(dirname "$CG")/../../bench/srvload
[ -x "$LOAD" ] || { echo "build first: ninja -C build bench/srvload" >&2; exit 2; }
run() { # $1 = label, $2 = DB URL or ""
	python3 "$TOP/bench/server_load.py" "$CG" "$LOAD" "$1" "$2" "$N" "$SECS" "$CONNS"
}
echo "== canhgac server, $N agents, $CONNS connections, ${SECS}s phases ($(nproc) CPUs)"
run sqlite ""
if [ -x /usr/lib/postgresql/15/bin/initdb ]; then
	# PostgreSQL with the default two ingest writers, then with one (the SQLite way), each on a fresh cluster
	for w in 2 1; do
		sh "$TOP/tests/pg/with-pg.sh" sh -c "python3 '$TOP/bench/server_load.py' '$CG' '$LOAD' postgresql \"\$CG_TEST_PG_URL\" $N $SECS $CONNS $w"
	done
fi

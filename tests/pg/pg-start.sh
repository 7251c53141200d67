#!/bin/sh
# pg-start.sh DIR: starts a throwaway PostgreSQL cluster in DIR (created if missing) listening on
# a free port of 127.0.0.1 only, creates the database `canhgac`, and prints its URL
#   postgresql://postgres@127.0.0.1:PORT/canhgac
# on stdout (logs go to DIR/log). Stop it with pg-stop.sh DIR. As root the cluster runs as the
# user postgres (initdb refuses root), so DIR must be reachable by postgres (e.g. under /tmp).
# PG_BIN overrides the binaries' folder; PG_OPTS adds server options (e.g. "-c fsync=off").
set -eu
[ $# = 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
D=$1
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
[ -x "$PG_BIN/initdb" ] || { echo "pg-start: no PostgreSQL in $PG_BIN (apt-get install postgresql)" >&2; exit 1; }
mkdir -p "$D"
D=$(cd "$D" && pwd)
: > "$D/.cg-pg" # marks the folder as ours for pg-stop.sh
if [ "$(id -u)" = 0 ]; then
	chown -R postgres "$D"
	as_pg() { runuser -u postgres -- "$@"; }
else
	as_pg() { "$@"; }
fi
as_pg "$PG_BIN/initdb" -D "$D/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$D/initdb.log" 2>&1 ||
	{ echo "pg-start: initdb failed, see $D/initdb.log" >&2; exit 1; }
# A free port: ask the kernel for one, then start on it; another process may take it meanwhile,
# so try a few times.
for try in 1 2 3 4 5; do
	PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	if as_pg "$PG_BIN/pg_ctl" -D "$D/data" -l "$D/log" -w -t 60 \
		-o "-p $PORT -k $D -c listen_addresses=127.0.0.1 ${PG_OPTS:-}" start >/dev/null 2>&1; then
		echo "$PORT" > "$D/port"
		"$PG_BIN/psql" -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
			-c 'CREATE DATABASE canhgac' >/dev/null
		echo "postgresql://postgres@127.0.0.1:$PORT/canhgac"
		exit 0
	fi
done
echo "pg-start: the server did not start, see $D/log" >&2
exit 1

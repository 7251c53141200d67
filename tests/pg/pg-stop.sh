#!/bin/sh
# pg-stop.sh DIR: stops the cluster pg-start.sh started in DIR and removes DIR. Refuses a folder
# that pg-start.sh did not make.
set -u
[ $# = 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
D=$1
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
[ -d "$D" ] || exit 0
[ -e "$D/.cg-pg" ] || { echo "pg-stop: $D was not made by pg-start.sh; left alone" >&2; exit 1; }
if [ -f "$D/data/postmaster.pid" ]; then
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$D/data" -m fast -w stop >/dev/null 2>&1
	else
		"$PG_BIN/pg_ctl" -D "$D/data" -m fast -w stop >/dev/null 2>&1
	fi
fi
rm -rf "$D"

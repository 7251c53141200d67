#!/bin/sh
# with-pg.sh CMD [ARG...]: runs CMD with a throwaway PostgreSQL cluster (pg-start.sh) whose URL
# is in CG_TEST_PG_URL, then stops and removes the cluster, also when CMD fails or the script is
# interrupted. Exits with CMD's status, or 77 (meson's "skipped") when PostgreSQL is not
# installed (scripts/install-deps.sh installs it).
set -u
[ $# -ge 1 ] || { echo "usage: $0 CMD [ARG...]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -x "${PG_BIN:-/usr/lib/postgresql/15/bin}/initdb" ]; then
	echo "with-pg: PostgreSQL is not installed; skipped" >&2
	exit 77
fi
D=$(mktemp -d /tmp/cg-pg-XXXXXX) || exit 1
cleanup() { "$here/pg-stop.sh" "$D"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
URL=$("$here/pg-start.sh" "$D") || { cat "$D/log" >&2 2>/dev/null; exit 1; }
CG_TEST_PG_URL=$URL
export CG_TEST_PG_URL
"$@"
rc=$?
exit $rc

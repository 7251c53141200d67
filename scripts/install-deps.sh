#!/bin/sh
# Installs every Debian package canhgac needs to build and test, when missing.
# Idempotent; run as root on Debian 12. Usage: scripts/install-deps.sh [--bench]
#   --bench  also installs the peer tools used by bench/ (clamav, yara, time, hyperfine, grepcidr, python3-apt)
set -eu

PKGS="build-essential gcc clang llvm libclang-rt-14-dev clang-format meson ninja-build pkg-config git
python3 ca-certificates
libcmocka-dev libssl-dev libsqlite3-dev sqlite3 libjansson-dev libyara-dev libarchive-dev
libseccomp-dev zlib1g-dev util-linux e2fsprogs libutf8proc-dev libexpat1-dev libxlsxwriter-dev
libcairo2-dev libpango1.0-dev fonts-dejavu-core poppler-utils libpcre2-dev libcurl4-openssl-dev
fail2ban libevtx-dev libmicrohttpd-dev libpq-dev libsodium-dev postgresql
chromium"

ARCH=$(dpkg --print-architecture)
# Hyperscan is built for x86-64 only; elsewhere canhgac uses its portable matcher.
if [ "$ARCH" = amd64 ]; then PKGS="$PKGS libhyperscan-dev"; fi

BENCH_PKGS="clamav yara time hyperfine grepcidr python3-apt"
if [ "${1:-}" = "--bench" ]; then PKGS="$PKGS $BENCH_PKGS"; fi

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
# The web console's npm packages (uPlot, qrcode-generator; playwright-core for the browser tests),
# exactly as web/package-lock.json pins them: installed again only when the lockfile changed.
web_npm() {
	top=$(cd "$(dirname "$0")/.." && pwd)
	lock=$top/web/package-lock.json
	have=$top/web/node_modules/.package-lock.json
	if [ ! -f "$have" ] || [ "$lock" -nt "$have" ]; then
		# npm trusts the system's CAs too (a network that inspects TLS has its CA there).
		ca=/etc/ssl/certs/ca-certificates.crt
		if ! (cd "$top/web" && NODE_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS:-$ca} \
			npm ci --no-audit --no-fund --loglevel=error); then
			echo "install-deps: npm ci failed in web/ (the npm registry must be reachable;" \
				"behind a TLS-inspecting proxy, put its CA in /usr/local/share/ca-certificates" \
				"and run update-ca-certificates)" >&2
			exit 1
		fi
		echo "install-deps: web/node_modules installed from web/package-lock.json"
	fi
}
# Node.js and npm build the console's assets: Debian's, unless a node and npm are already here.
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
[ -z "$missing" ] && { echo "install-deps: all packages present"; web_npm; exit 0; }

if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages:$missing" >&2
	echo "install-deps: run this script as root (or: sudo apt-get install$missing)" >&2
	exit 1
fi

# Never let package installation start services (clamav-freshclam would reach the internet).
RC=/usr/sbin/policy-rc.d
made_rc=0
if [ ! -e "$RC" ]; then
	printf '#!/bin/sh\nexit 101\n' > "$RC"; chmod +x "$RC"; made_rc=1
fi
trap '[ $made_rc = 1 ] && rm -f "$RC"' EXIT

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
# fail2ban is installed for its filter files (tests load them unchanged) and fail2ban-regex
# (the peer of bench/logs.sh); its service must never run here. PostgreSQL is installed for the
# storage tests, which start throwaway clusters of their own (tests/pg/).
for svc in clamav-freshclam fail2ban postgresql; do
	if command -v update-rc.d >/dev/null 2>&1 && [ -e /etc/init.d/$svc ]; then
		update-rc.d $svc disable >/dev/null 2>&1 || true
	fi
done
echo "install-deps: installed$missing"
web_npm

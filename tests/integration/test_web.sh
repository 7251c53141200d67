#!/usr/bin/env bash
# test_web.sh - `canhgac web check|baseline` against local web servers (nothing leaves the
# machine): tests/data/web/server.py over HTTP, and over HTTPS with a certificate made here by
# openssl that expires in 10 days. Baselines, defacement, injected and hidden gambling links,
# content shown only to Googlebot, redirects, the timeout, the size cap, gzip, proxies, the
# sites file with Vietnamese headers, the keywords override and TLS verification.
. "$(dirname "$0")/lib.sh"
D=$SRC/tests/data/web
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
mkdir -p "$T/www"
cp "$D"/*.html "$T/www/"
PIDS=""
stop_servers() { for p in $PIDS; do kill "$p" 2> /dev/null; done; cleanup; }
trap stop_servers EXIT
# start NAME [ARGS...]: a server whose port is then in $PORT
start() {
	local pf=$T/$1.port; shift
	python3 "$D/server.py" --port-file "$pf" --docroot "$T/www" "$@" > /dev/null 2>&1 &
	PIDS="$PIDS $!"
	for _ in $(seq 100); do [ -s "$pf" ] && break; sleep 0.1; done
	PORT=$(cat "$pf")
}
start http
H=http://127.0.0.1:$PORT
# kinds "kind match" of the records in $T/out
kinds() { python3 -c 'import json,sys
for l in open(sys.argv[1]):
    e=json.loads(l)
    print(e["kind"], e.get("match", ""))' "$T/out"; }

# --- a clean page, without and with a baseline
expect_rc 0 "clean page, no baseline" "$CG" web check "$H/school"
contains "$T/out" "no baseline" "says it has no baseline"
contains "$T/out" "nothing found" "nothing found"
cp "$T/www/school.html" "$T/www/site.html"
expect_rc 0 "baseline" "$CG" web baseline "$H/site"
contains "$T/out" "baseline recorded" "baseline recorded"
[ -f "$T/data/web.db" ] && ok "web.db written" || fail "no web.db"
expect_rc 0 "unchanged page against its baseline" "$CG" web check "$H/site"
lacks "$T/out" "no baseline" "the baseline is used"

# --- defacement: the same URL now serves a "hacked by" page
cp "$T/www/defaced.html" "$T/www/site.html"
expect_rc 1 "defaced page" "$CG" web check "$H/site"
contains "$T/out" 'web.defacement: defacement keyword "hacked by"' "hacked by found"
contains "$T/out" "the page title changed" "title change reported"
contains "$T/out" "changed almost entirely (similarity 0.00" "wholesale change reported"
contains "$T/out" "counter.evil.example" "new script domain reported"
expect_rc 1 "defaced page, JSON" "$CG" web check --json "$H/site"
kinds > "$T/k"
contains "$T/k" "web.defacement hacked by" "JSON: defacement record"
contains "$T/k" "web.defacement content" "JSON: content change record"
contains "$T/k" "web.new_domain counter.evil.example" "JSON: new domain record"
contains "$T/k" "web.summary" "JSON: summary record"
contains "$T/out" '"schema":"canhgac.event/1"' "JSON: event schema"
contains "$T/out" '"evidence":' "JSON: evidence"
contains "$T/out" '"explain_vi":' "JSON: Vietnamese explanation"
CANHGAC_LANG=vi "$CG" web check "$H/site" > "$T/vi" 2>&1
contains "$T/vi" "từ khóa thay giao diện \"bị hack bởi\"" "Vietnamese report"

# --- injected, hidden gambling links on the school's page
cp "$T/www/injected.html" "$T/www/site.html"
expect_rc 1 "injected page" "$CG" web check --json "$H/site"
kinds > "$T/k"
contains "$T/k" "web.injection cá cược" "keyword with diacritics"
contains "$T/k" "web.injection tài xỉu" "keyword written without diacritics (tai xiu)"
contains "$T/k" "web.hidden_link fb88.example" "hidden link"
contains "$T/k" "web.injection fb88.example" "gambling domain"
contains "$T/k" "web.new_domain ads.injected.example" "new script domain"
lacks "$T/k" "web.new_domain moet.gov.vn" "baseline domains are not new"
lacks "$T/k" "web.defacement" "an injection is not a defacement"
python3 -c 'import json,sys
for l in open(sys.argv[1]):
    e=json.loads(l)
    if e["kind"]=="web.hidden_link" and e["match"]=="fb88.example":
        assert e["offset"]>0 and "off-screen" in e["explain"] and e["where"]=="a", e
        print("ok")' "$T/out" | grep -q ok && ok "hidden link evidence: offset, reason, element" ||
	fail "hidden link evidence"

# --- content only Googlebot is shown
expect_rc 1 "cloaked page" "$CG" web check --json "$H/cloak"
kinds > "$T/k"
contains "$T/k" "web.cloaking nổ hũ" "keyword only the crawler sees"
contains "$T/k" "web.cloaking kubet.example" "link only the crawler sees"
grep '"web.cloaking"' "$T/out" | grep -q '"view":"crawler"' && ok "crawler view named" ||
	fail "crawler view"
expect_rc 0 "--no-crawler does not see it" "$CG" web check --no-crawler "$H/cloak"
expect_rc 1 "crawler redirected elsewhere" "$CG" web check "$H/botredir"
contains "$T/out" "redirected to another site" "redirect cloaking reported"

# --- redirects, timeout, size cap, compression, errors
expect_rc 0 "redirect followed" "$CG" web check "$H/redirect"
contains "$T/out" "redirected to $H/school" "final URL shown"
expect_rc 2 "redirect loop is capped" "$CG" web check --no-crawler "$H/loop"
contains "$T/out" "error:" "loop reported as an error"
expect_rc 2 "no redirects allowed" "$CG" web check --max-redirs 0 --no-crawler "$H/redirect"
start=$(date +%s)
expect_rc 2 "slow site times out" "$CG" web check --timeout 1 --no-crawler "$H/slow"
[ $(($(date +%s) - start)) -lt 4 ] && ok "timeout honoured" || fail "timeout not honoured"
contains "$T/out" "timed out" "timeout explained"
expect_rc 0 "huge page cut at the cap" "$CG" web check --no-crawler --json "$H/huge"
contains "$T/out" '"bytes":8388608' "8 MiB kept"
contains "$T/out" '"truncated":true' "truncation reported"
expect_rc 0 "--max-size" "$CG" web check --no-crawler --json --max-size 100K "$H/huge"
contains "$T/out" '"bytes":102400' "100 KiB kept"
expect_rc 1 "gzip page decompressed" "$CG" web check --no-crawler "$H/gzip"
contains "$T/out" 'keyword "nổ hũ"' "keyword inside the compressed body"
expect_rc 2 "404 is an error" "$CG" web check --no-crawler "$H/missing"
contains "$T/out" "HTTP 404" "status shown"
expect_rc 2 "refused connection" "$CG" web check --no-crawler "http://127.0.0.1:1/"
expect_rc 2 "not a web URL" "$CG" web check "ftp://127.0.0.1/"
expect_rc 2 "no URL" "$CG" web check
expect_rc 2 "bad option value" "$CG" web check --timeout x "$H/school"
expect_rc 0 "help" "$CG" web --help
contains "$T/out" "--sites FILE" "help text"

# --- proxies: --proxy, then the environment's http_proxy (the second server acts as proxy)
start proxy
PX=http://127.0.0.1:$PORT
expect_rc 0 "--proxy used" "$CG" web check --no-crawler --proxy "$PX" "$H/school"
contains "$T/proxy.log" "$H/school" "the request went through the proxy"
: > "$T/proxy.log"
http_proxy=$PX expect_rc 0 "http_proxy honoured" "$CG" web check --no-crawler "$H/school"
contains "$T/proxy.log" "$H/school" "the environment's proxy was used"

# --- sites file with Vietnamese headers, and a title row above
printf 'Danh sách trang web các đơn vị\nMã đơn vị,Trang web,Tên đơn vị\n79001,%s,Trường THPT Nguyễn Du\n79002,%s,Trường THCS Lê Lợi\n' \
	"$H/school" "$H/cloak" > "$T/sites.csv"
expect_rc 1 "--sites" "$CG" web check --sites "$T/sites.csv" --json
contains "$T/out" '"unit":"79001"' "unit code in records"
grep '"web.cloaking"' "$T/out" | grep -q '"unit":"79002"' && ok "finding carries its unit" ||
	fail "unit of finding"
[ "$(grep -c '"web.summary"' "$T/out")" = 2 ] && ok "both sites checked" || fail "site count"
expect_rc 1 "--sites text" "$CG" web check --sites "$T/sites.csv"
contains "$T/out" "[79002 Trường THCS Lê Lợi]" "unit shown in the report"

# --- the Department's own keywords file replaces the built-in one
mkdir -p "$T/data"
printf 'từ khóa,loại\nhọp phụ huynh,ads\n' > "$T/data/web-keywords.csv"
expect_rc 1 "keywords override" "$CG" web check --no-crawler "$H/school"
contains "$T/out" 'keyword "họp phụ huynh"' "override keyword found"
rm "$T/data/web-keywords.csv"

# --- HTTPS with a certificate that expires in 10 days
if command -v openssl > /dev/null; then
	openssl req -x509 -newkey rsa:2048 -nodes -days 10 -subj /CN=localhost \
		-addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
		-keyout "$T/key.pem" -out "$T/cert.pem" > /dev/null 2>&1
	start https --cert "$T/cert.pem" --key "$T/key.pem"
	S=https://127.0.0.1:$PORT
	expect_rc 2 "untrusted certificate" "$CG" web check --no-crawler "$S/school"
	contains "$T/out" "--insecure" "TLS failure explained with the way out"
	expect_rc 1 "trusted with --cacert: expiry warning" "$CG" web check --cacert "$T/cert.pem" "$S/school"
	contains "$T/out" "web.cert_expiry: the TLS certificate expires in 10 days" "expiry warning"
	contains "$T/out" "TLS certificate expires" "expiry date shown"
	CURL_CA_BUNDLE=$T/cert.pem expect_rc 1 "trusted with CURL_CA_BUNDLE" "$CG" web check --no-crawler "$S/school"
	expect_rc 1 "--insecure still checks" "$CG" web check --insecure --json --no-crawler "$S/school"
	contains "$T/out" '"kind":"web.cert_expiry"' "expiry found with --insecure"
	expect_rc 0 "--warn-days 5" "$CG" web check --cacert "$T/cert.pem" --warn-days 5 --no-crawler "$S/school"
else
	fail "openssl missing"
fi
finish

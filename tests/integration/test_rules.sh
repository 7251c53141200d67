#!/usr/bin/env bash
# test_rules.sh - `canhgac rules check` and `rules list` as a user runs them: the shipped rules,
# a good file of a unit's own, a bad file with its file:line errors, references to the shipped
# rules, and DATA_DIR/rules overrides seen by `rules list`.
. "$(dirname "$0")/lib.sh"

expect_rc 0 "shipped rules are valid" "$CG" rules check "$SRC/data/rules"
contains "$T/out" "ssh.rules: 5 rules" "rules counted per file"
contains "$T/out" "web.rules: 5 rules" "web rules counted"

mkdir -p "$T/own"
cat > "$T/own/site.rules" <<'R'
# a unit's own rules
[list office]
203.0.113.0/24, 198.51.100.7

[site-admin-login]
description.vi = Đăng nhập trang quản trị từ ngoài văn phòng
description.en = Admin page login from outside the office
severity = medium
format = access
regex url = ^/admin/login   # comments end here, except on regex lines
except srcip in @office
key = srcip
suppress = 1h

[site-after-ssh]
description.vi = Đăng nhập SSH thành công sau khi dò mật khẩu
description.en = SSH login after password guessing
severity = critical
decoder = sshd
match action = auth_success
after = ssh-bruteforce
R
expect_rc 0 "a good file" "$CG" rules check "$T/own/site.rules"
contains "$T/out" "site.rules: 2 rules" "its rules counted"

cat > "$T/own/bad.rules" <<'R'
[bad-one]
description.vi = Sai
description.en = Bad
severity = urgent
decoder = sshd
count = 5
window = 10x
except srcip in @nosuch
R
expect_rc 2 "a bad file" "$CG" rules check "$T/own/bad.rules"
contains "$T/err" "bad.rules:4: expected severity info, low, medium, high or critical, found 'urgent'" "severity error with its line"
contains "$T/err" "bad.rules:7: expected a duration" "window error with its line"
lacks "$T/out" "bad.rules:" "no count printed for a bad file"

expect_rc 2 "a folder with one bad file" "$CG" rules check "$T/own"
contains "$T/out" "site.rules: 2 rules" "the good file still counted"
contains "$T/err" "bad.rules:4:" "the bad file reported"

printf '[x]\ndescription.vi = X\ndescription.en = X\nseverity = low\nmatch action = sudo\nafter = no-such-rule\n' > "$T/ref.rules"
expect_rc 2 "unknown after reference" "$CG" rules check "$T/ref.rules"
contains "$T/err" "ref.rules:1: rule 'x': after needs the id of another counting rule" "reference error names the rule's line"
expect_rc 2 "missing file" "$CG" rules check "$T/none.rules"
expect_rc 2 "no argument" "$CG" rules check
mkdir -p "$T/empty"
expect_rc 2 "a folder without rule files" "$CG" rules check "$T/empty"
contains "$T/err" "no .rules file" "said so"
expect_rc 2 "unknown subcommand" "$CG" rules frob

# the rules in effect
expect_rc 0 "rules list" "$CG" rules list
contains "$T/out" "ssh-bruteforce" "shipped rule listed"
expect_rc 0 "rules list --json" "$CG" rules list --json
n=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(len(r))' "$T/out")
python3 -c 'import json,sys
r={x["id"]:x for x in json.load(open(sys.argv[1]))}
b=r["ssh-bruteforce"]; m=r["ssh-many-failures"]
assert (b["count"],b["window"],b["key"],b["decoder"])==(5,"10m","srcip","sshd"), b
assert (m["count"],m["window"])==(6,"all"), m
assert r["ssh-success-after-failures"]["after"]=="ssh-bruteforce"
for x in r.values(): assert x["description_vi"] and x["description_en"]' "$T/out" && ok "json fields" || fail "json fields"

# DATA_DIR/rules: a file replaces the shipped one of its name, others add rules
mkdir -p "$CANHGAC_DATA_DIR/rules"
cat > "$CANHGAC_DATA_DIR/rules/ftp.rules" <<'R'
[ftp-strict]
description.vi = Dò mật khẩu FTP (ngưỡng thấp)
description.en = FTP password guessing (low threshold)
severity = high
decoder = vsftpd
match action = auth_fail
count = 3
window = 5m
key = srcip
R
cp "$T/own/site.rules" "$CANHGAC_DATA_DIR/rules/"
expect_rc 0 "rules list with overrides" "$CG" rules list --json
python3 -c 'import json,sys
r={x["id"]:x for x in json.load(open(sys.argv[1]))}
assert "ftp-bruteforce" not in r and "ftp-strict" in r, sorted(r)
assert "site-admin-login" in r and "ssh-bruteforce" in r
assert len(r) == int(sys.argv[2]) - 1 + 1 + 2' "$T/out" "$n" && ok "overrides applied" || fail "overrides applied"
cp "$T/own/bad.rules" "$CANHGAC_DATA_DIR/rules/"
expect_rc 0 "a broken own file is reported and skipped" "$CG" rules list
contains "$T/err" "bad.rules:4:" "its error printed"
contains "$T/out" "site-admin-login" "the other own rules still listed"
finish

#!/usr/bin/env bash
# test_fim.sh - `canhgac fim` on real files: a baseline, then files added, modified, deleted,
# chmod, chown, a file swapped for a symlink, a dropped web shell and a double extension; exit
# codes, --json records checked with python3, --update, named baselines, an edited markers file,
# and a rescan that does not read unchanged files again (counted in the summary and, when strace
# is there, seen in the system calls).
. "$(dirname "$0")/lib.sh"
W=$T/site/public_html
mkdir -p "$W/uploads" "$W/inc" "$T/etc" "$T/site/bin"
echo '<?php include "inc/db.php"; echo "Trường THCS Lê Lợi"; ?>' > "$W/index.php"
echo '<?php $db = new PDO("mysql:host=localhost"); ?>' > "$W/inc/db.php"
echo 'body { color: #333 }' > "$W/style.css"
echo 'ảnh' > "$W/uploads/logo.png"
echo 'ghi chú' > "$W/notes.txt"
echo 'to be deleted' > "$W/old.html"
ln -s index.php "$W/home.php"
echo 'root:x:0:0' > "$T/etc/passwd"
chown 33:33 "$W/style.css" "$W/notes.txt"

# jsonl KIND FIELD: FIELD (dotted) of every record of KIND in $T/out, one per line, sorted
jsonl() { python3 -c 'import json,sys
out=[]
for l in open(sys.argv[1]):
    e=json.loads(l)
    if e["schema"]!="canhgac.event/1": sys.exit("bad schema")
    if e["kind"]!=sys.argv[2]: continue
    v=e
    for k in sys.argv[3].split("."): v=v[k]
    out.append(",".join(v) if isinstance(v,list) else str(v))
print("\n".join(sorted(out)))' "$T/out" "$1" "$2"; }
sumf() { jsonl fim.summary "$1"; }

expect_rc 2 "check before any baseline is an error" "$CG" fim check
contains "$T/err" "no baseline 'default'" "says there is no baseline"
expect_rc 0 "baseline of a clean site" "$CG" fim baseline "$T/site"
contains "$T/out" "6 files, 1 links" "summary counts files and links"
expect_rc 2 "a second baseline without --update is refused" "$CG" fim baseline "$T/site"
contains "$T/err" "add --update" "tells how to replace it"
expect_rc 0 "check of the unchanged site" "$CG" fim check --json
eq "$(sumf files_read)" 0 "no file read again when nothing changed"
eq "$(sumf files_cached)" 6 "every file taken from the baseline"
eq "$(sumf bytes_read)" 0 "no byte read"
expect_rc 0 "show lists the entries" "$CG" fim show
contains "$T/out" "public_html/home.php -> index.php" "the link's target is recorded"
contains "$T/out" "0644 33:33" "owner and mode are recorded"

# the attack
echo '<?php echo "hacked by x"; ?>' >> "$W/index.php"
rm "$W/old.html"
chmod 0777 "$W/inc/db.php"
chown 0:0 "$W/style.css"
rm "$W/notes.txt" && ln -s /etc/shadow "$W/notes.txt"
printf '<?php @eval($_POST["z0"]);?>' > "$W/uploads/avatar.php.jpg"
printf 'GIF89a;<?php echo 1; ?>' > "$W/uploads/x.phtml"
printf '<?php $default_action = "FilesMan"; ?>' > "$T/site/bin/tool.php" # outside web roots
expect_rc 1 "check finds the changes" "$CG" fim check --json
eq "$(jsonl fim.changed path | sed "s|$W/||")" "index.php
notes.txt" "content change and file-to-link swap are fim.changed"
eq "$(jsonl fim.changed fim.changes | sort)" "content
type,owner,group" "... with what changed (the link is root's, the file was www-data's)"
eq "$(jsonl fim.deleted path | sed "s|$W/||")" "old.html" "deleted file"
eq "$(jsonl fim.meta path | sed "s|$W/||")" "inc/db.php
style.css" "chmod and chown are fim.meta"
eq "$(jsonl fim.meta fim.changes)" "mode
owner,group" "... mode, owner and group"
eq "$(jsonl fim.meta severity)" "high
high" "world-writable and now root's: high"
eq "$(jsonl fim.webshell path | sed "s|$T/||")" "site/bin/tool.php
site/public_html/uploads/avatar.php.jpg" "web shells, in and out of web roots"
eq "$(jsonl fim.webshell fim.changes)" "added,new_script,double_extension,webshell
added,webshell" "the dropped shell is a new script with a double extension"
eq "$(jsonl fim.webshell severity)" "critical
critical" "markers give their severity"
python3 -c 'import json,sys
for l in open(sys.argv[1]):
    e=json.loads(l)
    if e["kind"]=="fim.webshell" and "avatar" in e["path"]:
        m=e["fim"]["markers"][0]
        assert m["id"]=="php.eval_request" and m["vi"] and m["en"], m
        assert len(e["digests"]["sha256"])==64 and e["size"]==28, e
        sys.exit(0)
sys.exit(1)' "$T/out" && ok "web-shell record names the marker (vi+en), digest and size" ||
	fail "web-shell record"
eq "$(jsonl fim.added path | sed "s|$W/||")" "uploads/x.phtml" "a new script in a web root"
eq "$(jsonl fim.added severity)" "high" "... is high"
eq "$(sumf files_read)" 6 "only the six new or changed files were read"
eq "$(sumf bytes_read)" \
	"$(cat "$W/index.php" "$W/inc/db.php" "$W/style.css" "$W/uploads/avatar.php.jpg" "$W/uploads/x.phtml" "$T/site/bin/tool.php" | wc -c)" \
	"bytes read are exactly theirs"
eq "$(sumf exit_code)" 1 "summary carries the exit code"

expect_rc 1 "text output" "$CG" fim check
contains "$T/out" "[critical] fim.webshell $W/uploads/avatar.php.jpg" "text names the web shell"
contains "$T/out" "marker php.eval_request: Runs PHP code sent by the visitor" "... and the marker"
contains "$T/out" "permissions changed 0644 -> 0777" "text shows the mode change"
contains "$T/out" "-> /etc/shadow" "text shows the new link target"
contains "$T/out" "0 files read, 7 from the cache" "changed files were cached: not read again"
expect_rc 0 "Vietnamese" env CANHGAC_LANG=vi "$CG" fim list
contains "$T/out" "default: 11 mục" "list in Vietnamese (7 files, 2 links, 4 folders)"

expect_rc 1 "check --update reports and saves" "$CG" fim check --update
expect_rc 0 "then the site is the baseline" "$CG" fim check --json
eq "$(sumf files_read)" 0 "nothing read after --update"
eq "$(sumf files)" 7 "seven files now"

# folders: a world-writable upload folder, a new hidden one
chmod 0777 "$W/uploads"
mkdir "$W/.x"
expect_rc 1 "folder changes" "$CG" fim check --json
eq "$(jsonl fim.meta path)" "$W/uploads" "chmod of a folder"
eq "$(jsonl fim.meta severity)" "high" "... world-writable: high"
eq "$(jsonl fim.added fim.new.type)" "dir" "a new folder"
eq "$(jsonl fim.added path)" "$W/.x" "... named"
"$CG" fim check --update > /dev/null

# the rescan reads no unchanged file: seen in the system calls, not only in our own counters
if command -v strace > /dev/null; then
	strace -f -qq -e trace=openat -o "$T/trace" "$CG" fim check > /dev/null 2>&1
	if grep -q 'openat(.*"logo.png"' "$T/trace"; then fail "an unchanged file was opened"
	else ok "strace: no unchanged file opened"; fi
	echo 'x' >> "$W/uploads/logo.png"
	strace -f -qq -e trace=openat -o "$T/trace" "$CG" fim check > /dev/null 2>&1
	grep -q 'openat(.*"logo.png"' "$T/trace" && ok "strace: the changed file is opened" ||
		fail "the changed file was not opened"
	grep -q 'openat(.*"db.php"' "$T/trace" && fail "strace: db.php opened" ||
		ok "strace: the others are still not opened"
	"$CG" fim check --update > /dev/null 2>&1
fi

# named baselines, a file root, paths that differ from the baseline's
expect_rc 0 "a second baseline by name" "$CG" fim baseline --name etc "$T/etc/passwd"
expect_rc 0 "it checks clean" "$CG" fim check --name etc
echo 'evil:x:0:0' >> "$T/etc/passwd"
expect_rc 1 "a change of a single-file root" "$CG" fim check --name etc
contains "$T/out" "fim.changed $T/etc/passwd" "names it"
expect_rc 2 "other paths than the baseline's" "$CG" fim check --name etc "$T/site"
contains "$T/err" "covers" "says which paths the baseline covers"
expect_rc 2 "bad name" "$CG" fim check --name '../x'
expect_rc 2 "unknown subcommand" "$CG" fim frobnicate
expect_rc 0 "list --json" "$CG" fim list --json
eq "$(python3 -c 'import json,sys; print(",".join(json.loads(l)["name"] for l in open(sys.argv[1])))' "$T/out")" \
	"default,etc" "both baselines listed"

# the Department's own markers file replaces the built-in one
cat > "$CANHGAC_DATA_DIR/webshell-markers.txt" << 'EOF'
[local.hacked_by]
severity = medium
literal = hacked by
vi = Trang bị thay bởi kẻ tấn công
en = Defacement text
EOF
expect_rc 0 "new markers do not re-report unchanged files" "$CG" fim check --json
eq "$(sumf files_read)" 0 "... nor read them again"
echo '<p>hacked by someone</p>' > "$W/deface.html"
expect_rc 1 "a defaced page with the local marker" "$CG" fim check
contains "$T/out" "fim.webshell $W/deface.html" "the local marker fires"
echo '[broken' > "$CANHGAC_DATA_DIR/webshell-markers.txt"
expect_rc 1 "a broken markers file falls back to the built-in set" "$CG" fim check
contains "$T/err" "webshell-markers.txt:1:1" "the problem is shown with file:line"
contains "$T/err" "using the built-in web-shell markers" "and the fallback said"

# a file larger than the marker window: markers in its head, SHA-256 of all of it
mkdir -p "$T/big/htdocs"
{ printf '<?php @eval($_POST["a"]); ?>\n'; head -c 9500000 /dev/zero | tr '\0' 'x'; echo; } > "$T/big/htdocs/big.php"
expect_rc 1 "baseline of a 9.5 MB web shell" "$CG" fim baseline --name big "$T/big"
contains "$T/out" "fim.webshell $T/big/htdocs/big.php" "its head is searched"
expect_rc 0 "show --json" "$CG" fim show --name big --json
eq "$(python3 -c 'import json,sys; print([e for e in map(json.loads, open(sys.argv[1])) if e["type"]=="file"][0]["sha256"])' "$T/out")" \
	"$(sha256sum < "$T/big/htdocs/big.php" | cut -d' ' -f1)" "SHA-256 of the whole file"

# --exclude: a cache folder that changes all the time is left out, and remembered
mkdir -p "$T/wp/htdocs/wp-content/cache" "$T/wp/htdocs/logs"
echo a > "$T/wp/htdocs/wp-content/cache/page.html"
echo '<?php' > "$T/wp/htdocs/index.php"
expect_rc 0 "baseline with --exclude" "$CG" fim baseline --name wp --exclude cache --exclude '*.log' "$T/wp"
contains "$T/out" "wp: 1 files" "the cache folder is not recorded"
echo b > "$T/wp/htdocs/wp-content/cache/new.php"
echo x > "$T/wp/htdocs/logs/access.log"
expect_rc 0 "changes in excluded places are not reported" "$CG" fim check --name wp
echo x > "$T/wp/htdocs/logs/error.txt"
expect_rc 1 "... others are" "$CG" fim check --name wp
contains "$T/out" "fim.added $T/wp/htdocs/logs/error.txt" "names it"
expect_rc 1 "check --exclude --update adds a glob" "$CG" fim check --name wp --exclude logs --update --json
eq "$(jsonl fim.deleted path)" "$T/wp/htdocs/logs" "the newly excluded folder is reported gone, once"
expect_rc 0 "list --json shows the globs" "$CG" fim list --json
eq "$(python3 -c 'import json,sys
for l in open(sys.argv[1]):
    b=json.loads(l)
    if b["name"]=="wp": print(",".join(b["excludes"]))' "$T/out")" "cache,*.log,logs" "stored globs"
expect_rc 0 "and they hold" "$CG" fim check --name wp

# overlapping paths list a file once
expect_rc 1 "overlapping paths (web shells are still there)" "$CG" fim baseline --name overlap "$T/site" "$W"
contains "$T/out" "overlap: 8 files, 2 links" "each file counted once"
contains "$T/out" "owner/mode 0, web shells 2" "web shells counted as such"
expect_rc 0 "... check clean" "$CG" fim check --name overlap

# a link target with a terminal escape is shown escaped
ln -s "$(printf 'x\033[2Jy')" "$W/esc"
expect_rc 1 "an added link" "$CG" fim check --name overlap
contains "$T/out" '-> x\x1b[2Jy' "its target is escaped"

# a name that is not UTF-8: path_b64 in the records, escaped for people
mkdir -p "$T/nu"
expect_rc 0 "baseline of an empty folder" "$CG" fim baseline --name nu "$T/nu"
echo x > "$T/nu/$(printf 'b\xff.txt')"
expect_rc 1 "a file with a Latin-1 name" "$CG" fim check --name nu --json
eq "$(jsonl fim.added path_b64 | python3 -c 'import base64,sys; print(base64.b64decode(sys.stdin.read()).endswith(b"/nu/b\xff.txt"))')" \
	"True" "path_b64 holds the bytes"
expect_rc 1 "text" "$CG" fim check --name nu
contains "$T/out" 'nu/b\xff.txt' "the byte is escaped"
"$CG" fim check --name nu --update > /dev/null 2>&1
expect_rc 0 "show --json" "$CG" fim show --name nu --json
contains "$T/out" '"path_b64"' "show gives path_b64 too"

# a missing path is an error
expect_rc 2 "missing path" "$CG" fim baseline --name x "$T/nope"
finish

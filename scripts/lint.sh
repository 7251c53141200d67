#!/bin/sh
# Convention checks: clang-format clean, every .c file includes banned.h, function sizes.
set -eu
cd "$(dirname "$0")/.."
fail=0
files=$(git ls-files 'src/*.c' 'src/*.h' 'include/*.h' 'tests/*.c' 'fuzz/*.c' 2>/dev/null || find src include tests fuzz -name '*.[ch]')
if command -v clang-format >/dev/null 2>&1; then
	for f in $files; do
		if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
			echo "lint: $f is not clang-formatted (run: clang-format -i $f)"; fail=1
		fi
	done
else
	echo "lint: clang-format missing (scripts/install-deps.sh installs it)"; fail=1
fi
for f in $(echo "$files" | tr ' ' '\n' | grep '^src/.*\.c$'); do
	grep -q '#include "banned.h"' "$f" || { echo "lint: $f does not include banned.h"; fail=1; }
done
# Functions longer than 150 lines deserve splitting (style.md); report them.
for f in $(echo "$files" | tr ' ' '\n' | grep '^src/.*\.c$'); do
	awk -v F="$f" '/^[a-z].*\(.*\)$/ || /^[a-z].*\($/ {start=NR; name=$0} /^}/ && start {if (NR-start > 150) {print "lint: " F ":" start ": function longer than 150 lines: " name; bad=1} start=0} END{exit bad}' "$f" || fail=1
done
[ $fail = 0 ] && echo "lint: ok"
exit $fail

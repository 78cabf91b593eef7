#!/bin/sh
# fuzz/analyze.sh: static analysis of src/*.c: gcc -fanalyzer, then clang's
# scan-build when installed.  Prints each finding; exits non-zero if either
# tool reported anything (a finding judged false must be silenced in src
# with a reason, not here).
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/fuzz/out/analyze
mkdir -p "$out"
rm -rf "$out"/*
FLAGS="-std=c99 -D_GNU_SOURCE -DVERSION=\"analyze\" -Wall -Wextra -I$top/src"
n=0
for f in "$top"/src/*.c; do
	gcc $FLAGS -O1 -fanalyzer -c "$f" -o "$out/$(basename "$f" .c).o" 2>>"$out/gcc.txt"
done
g=$(grep -c 'warning:' "$out/gcc.txt")
echo "gcc -fanalyzer: $g findings"
grep 'warning:' "$out/gcc.txt" | sed "s|$top/||; s/^/    /"
n=$((n + g))
if command -v scan-build >/dev/null; then
	for f in "$top"/src/*.c; do
		scan-build -o "$out/scan" --status-bugs clang $FLAGS -c "$f" -o "$out/$(basename "$f" .c).s.o" \
			>>"$out/scan.txt" 2>&1
	done
	s=$(grep -c 'warning:' "$out/scan.txt")
	echo "scan-build: $s findings (reports in fuzz/out/analyze/scan)"
	grep 'warning:' "$out/scan.txt" | sed "s|$top/||; s/^/    /"
	n=$((n + s))
else
	echo "scan-build: not installed (apt-get install clang-tools)"
fi
echo "analyze: $n findings"
[ $n = 0 ]

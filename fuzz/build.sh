#!/bin/sh
# fuzz/build.sh: builds every harness (fuzz/fz_*.c) against the current
# src/*.c (all but main.c) with libFuzzer, ASan and UBSan, into fuzz/out/.
# Also fuzz/out/addr-diff, the differential lister for addresses.
# FUZZ_MSAN=1: MemorySanitizer instead (reads of uninitialised bytes, which
# ASan does not see), into fuzz/out/msan/.
#     sh fuzz/build.sh [TARGET...]     default: every fz_*.c
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/fuzz/out
[ -n "$FUZZ_MSAN" ] && out=$top/fuzz/out/msan
CC=${FUZZ_CC:-clang}
command -v "$CC" >/dev/null || { echo "fuzz: no $CC (apt-get install clang)" >&2; exit 1; }
# UB stops the run (no recovery), so libFuzzer keeps the input as a crash
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
[ -n "$FUZZ_MSAN" ] && SAN="-fsanitize=memory -fsanitize-memory-track-origins -fno-omit-frame-pointer"
FLAGS="-g -O1 -std=c99 -D_GNU_SOURCE -DVERSION=\"fuzz\" -I$top/src -I$top/fuzz"
mkdir -p "$out/obj"
rm -f "$out"/obj/*.o
objs=
for f in "$top"/src/*.c; do
	b=$(basename "$f" .c)
	[ "$b" = main ] && continue
	$CC $FLAGS $SAN -fsanitize=fuzzer-no-link -c "$f" -o "$out/obj/$b.o"
	objs="$objs $out/obj/$b.o"
done
if [ $# = 0 ]; then
	set -- $(cd "$top/fuzz" && ls fz_*.c | sed 's/^fz_//; s/\.c$//')
fi
for t in "$@"; do
	$CC $FLAGS $SAN -fsanitize=fuzzer -o "$out/fz_$t" "$top/fuzz/fz_$t.c" $objs
done
# the lister is a plain program over the same objects (no libFuzzer main)
$CC $FLAGS $SAN -DADDR_DIFF_MAIN -o "$out/addr-diff" "$top/fuzz/fz_addr.c" \
	$(for o in $objs; do echo "$o"; done) -fsanitize=fuzzer-no-link
echo "fuzz: built $* in $out"

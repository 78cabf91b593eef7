#!/bin/sh
# fuzz/run.sh: builds the harnesses and runs each for FUZZ_S seconds
# (default 60), one after another (one core), from the committed seeds
# plus what earlier runs found (fuzz/out/corpus).  A crash, leak, UBSan
# report or broken invariant is copied to fuzz/regress/TARGET/ (commit it:
# fuzz/regress.sh replays those in the suite).  Prints executions per
# target and in total; exits non-zero if any target failed.
# FUZZ_MSAN=1 runs the MemorySanitizer builds instead.
#     FUZZ_S=60 sh fuzz/run.sh [TARGET...]
top=$(cd "$(dirname "$0")/.." && pwd)
F=$top/fuzz
S=${FUZZ_S:-60}
BIN=$F/out
[ -n "$FUZZ_MSAN" ] && BIN=$F/out/msan
mkdir -p "$F/out"
sh "$F/build.sh" "$@" >"$F/out/build.log" 2>&1 || { cat "$F/out/build.log"; exit 1; }
[ $# = 0 ] && set -- $(cd "$F" && ls fz_*.c | sed 's/^fz_//; s/\.c$//')
total=0 bad=0
for t in "$@"; do
	mkdir -p "$F/out/corpus/$t" "$F/out/crash/$t" "$F/regress/$t"
	dict=
	[ -f "$F/dict/$t.dict" ] && dict=-dict=$F/dict/$t.dict
	log=$F/out/$t.log
	# -timeout: a parser that takes a second on one input is a hang here;
	# leaks are on (libFuzzer's default with ASan) and end the run
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	timeout -k 10 $((S + 120)) "$BIN/fz_$t" -max_total_time="$S" -timeout=5 -rss_limit_mb=1024 \
		-print_final_stats=1 -artifact_prefix="$F/out/crash/$t/" $dict \
		"$F/out/corpus/$t" "$F/corpus/$t" >"$log" 2>&1
	rc=$?
	n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	n=${n:-0}
	total=$((total + n))
	found=0
	for a in "$F/out/crash/$t"/*; do
		[ -f "$a" ] || continue
		cp "$a" "$F/regress/$t/" && rm -f "$a"
		found=$((found + 1))
	done
	if [ $rc = 0 ] && [ $found = 0 ]; then
		echo "fuzz $t: $n executions in ${S} s, nothing found"
	else
		bad=$((bad + 1))
		echo "fuzz $t: FAILED after $n executions (exit $rc, $found new inputs in fuzz/regress/$t); log $log:"
		grep -E 'ERROR|CHECK|DIFFER|SUMMARY|runtime error|model' "$log" | head -5 | sed 's/^/    /'
	fi
done
echo "fuzz: $total executions in total over $# targets, $bad failed"
[ $bad = 0 ]

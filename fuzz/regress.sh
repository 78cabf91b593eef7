#!/bin/sh
# fuzz/regress.sh: replays every committed input (seeds and the inputs that
# once crashed, fuzz/regress/TARGET/) through the sanitizer builds of the
# harnesses; one PASS/FAIL line per target and input set.
top=$(cd "$(dirname "$0")/.." && pwd)
F=$top/fuzz
pass=0 fail=0
mkdir -p "$F/out"
if ! sh "$F/build.sh" >"$F/out/build.log" 2>&1; then
	echo "FAIL build: $(tail -3 "$F/out/build.log" | tr '\n' ' ')"
	echo "0 passed, 1 failed"
	exit 1
fi
for h in "$F"/fz_*.c; do
	t=$(basename "$h" .c); t=${t#fz_}
	for set in corpus regress; do
		d=$F/$set/$t
		files=$(ls "$d" 2>/dev/null | wc -l)
		[ "$files" -gt 0 ] || continue
		# each file on its own: one crash must not hide the next
		nbad=0 first=
		for f in "$d"/*; do
			if ! timeout 20 "$F/out/fz_$t" -runs=1 "$f" >"$F/out/replay.log" 2>&1; then
				nbad=$((nbad + 1))
				[ -n "$first" ] || first="$(basename "$f"): $(grep -E 'ERROR|CHECK|runtime error|DIFFER|model' "$F/out/replay.log" | head -1)"
			fi
		done
		if [ $nbad = 0 ]; then echo "PASS $t: $files $set inputs replay clean"; pass=$((pass + 1))
		else echo "FAIL $t: $nbad of $files $set inputs fail ($first)"; fail=$((fail + 1)); fi
	done
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]

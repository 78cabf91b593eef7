#!/bin/sh
# fuzz/envfuzz.sh: the far end's reading of SSH_CONNECTION, SSH_CLIENT and
# the candidate list, through the real code (far.c's split, addr_parse) in
# an ASan+UBSan build of the current src.  Random values (numbers, dots,
# colons, commas, blanks, '%', the "x" form, long runs, high bytes) go to
#     socketpipe -S3 true
# with the local end's line on stdin (proto.c: secret, port 1, 1 s, no -h,
# no machine id, the candidates as one word: blanks made commas, cut to
# fit the far end's line; every other run also "b 0 0 0", so it listens
# too and writes its port record) and then EOF, so each run tries every
# target it parsed once and ends.  Runs in a private network namespace with its
# loopback down: nothing it parses can be reached.  As root.
#     sh fuzz/envfuzz.sh [N]        N runs (2000)
top=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-2000}
out=$top/fuzz/out/env
if [ -z "$SP_ENVFUZZ_NS" ]; then
	[ "$(id -u)" = 0 ] || { echo "FAIL envfuzz: needs root for a network namespace"; echo "0 passed, 1 failed"; exit 1; }
	SP_ENVFUZZ_NS=1 exec unshare -n sh "$0" "$@"
fi
mkdir -p "$out"
gcc -O1 -g -std=c99 -D_GNU_SOURCE -DVERSION='"envfuzz"' -fsanitize=address,undefined \
	-fno-sanitize-recover=all -o "$out/socketpipe-san" "$top"/src/*.c 2>"$out/cc.err" ||
	{ echo "FAIL envfuzz: build: $(head -c 200 "$out/cc.err")"; echo "0 passed, 1 failed"; exit 1; }
seed=${ENVFUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
# three lines per run: SSH_CONNECTION, SSH_CLIENT, candidates
awk -v n="$N" -v seed="$seed" 'BEGIN {
	srand(seed)
	split("0 1 7 9 00 01 010 0x 0X ff FFFF 127 255 256 4294967295 99999999999 :: : . , %, % %1 %0 " \
	      "%4294967296 x x7f000001 x00000000000000000000000000000001 fe80 ffff 1.2.3.4 ::1 " \
	      "127.0.0.1 22 54321 1.2.3 ::ffff:1.2.3.4", tok, " ")
	nt = 0; for (k in tok) nt++
	for (i = 0; i < 3 * n; i++) {
		s = ""; parts = int(rand() * 12)
		for (j = 0; j < parts; j++) {
			r = rand()
			if (r < 0.55) s = s tok[1 + int(rand() * nt)]
			else if (r < 0.7) s = s " "
			else if (r < 0.8) s = s ","
			else if (r < 0.9) s = s sprintf("%c", 33 + int(rand() * 94))
			else if (r < 0.95) s = s sprintf("%c", 128 + int(rand() * 128))
			else { k = int(rand() * 200); while (k--) s = s substr("0123456789abcdef:.", 1 + int(rand() * 18), 1) }
		}
		print s
	}
}' >"$out/values"
bad=0 runs=0
exec 3<"$out/values"
while IFS= read -r c <&3 && IFS= read -r e1 <&3 && IFS= read -r e2 <&3; do
	runs=$((runs + 1))
	c=$(printf '%s' "$c" | tr ' \t' ',,' | cut -b 1-900)
	way=; [ $((runs % 2)) = 0 ] && way=' b 0 0 0'
	printf '0123456789abcdef0123456789abcdef 1 1 - - %s%s\n' "${c:--}" "$way" |
		ASAN_OPTIONS=detect_leaks=0 timeout 10 env SSH_CONNECTION="$e1" SSH_CLIENT="$e2" \
		"$out/socketpipe-san" -S3 true >/dev/null 2>"$out/err"
	rc=$?
	if grep -q -E 'AddressSanitizer|runtime error|UndefinedBehavior' "$out/err" || [ $rc = 124 ] ||
	   { [ $rc != 121 ] && [ $rc != 122 ]; }; then
		bad=$((bad + 1))
		[ $bad -le 3 ] && { echo "envfuzz: exit $rc for SSH_CONNECTION='$e1' SSH_CLIENT='$e2' candidates='$c'"; head -5 "$out/err"; }
	fi
done
exec 3<&-
if [ $bad = 0 ]; then echo "PASS envfuzz: $runs far ends with random SSH_CONNECTION, SSH_CLIENT and candidates ended cleanly (seed $seed)"
else echo "FAIL envfuzz: $bad of $runs runs crashed, hung or ended with an unexpected status (ENVFUZZ_SEED=$seed)"; fi
echo "$((bad == 0)) passed, $((bad != 0)) failed"
[ $bad = 0 ]

#!/bin/sh
# tests/quote-prop.sh: the property test of the remote command's way to the
# far side.  Random argument vectors (every byte but NUL, empty words, words
# to 40 KB, vectors to the 128 KiB limit) go as the local end sends them
# (escaped on its line, proto.c's word_out()), the far command line
# (far_command()) run by `SHELL -c` as sshd runs it, under each login shell
# of the issue "Any far side": dash, BusyBox ash, bash (C and UTF-8
# locales), zsh, mksh, tcsh, csh and fish; they must come back exactly.
#     sh tests/quote-prop.sh        QUOTE_N vectors per class (200), 6 classes
#                                   per shell; QUOTE_SEED to repeat a run
# One PASS/FAIL line per shell and class; last line "N passed, N failed".
top=$(cd "$(dirname "$0")/.." && pwd)
N=${QUOTE_N:-200}
SEED=${QUOTE_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
pass=0 fail=0
T=$(mktemp -d /tmp/sp-quote.XXXXXX) || exit 1
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

# count LOGFILE: adds the PASS and FAIL lines of a driver run to the totals
count() {
	cat "$1"
	pass=$((pass + $(grep -c '^PASS' "$1")))
	fail=$((fail + $(grep -c '^FAIL' "$1")))
}

# the driver links the current src (all but main.c), sanitizers on when
# the compiler has them
srcs=$(ls "$top"/src/*.c | grep -v '/main\.c$')
san=-fsanitize=address,undefined
echo 'int main(void){return 0;}' >"$T/t.c"
cc $san -o "$T/t" "$T/t.c" 2>/dev/null || san=
if cc -O1 -g -std=c99 -D_GNU_SOURCE -DVERSION='"test"' $san -I"$top/src" \
	-o "$T/quoteprop" "$top/fuzz/quoteprop.c" $srcs 2>"$T/cc.err"; then
	# a build is set-up, not a check: it counts only when it fails
	echo "    (built the quoting driver against the current src)"
else
	echo "FAIL build the quoting driver: $(head -c 300 "$T/cc.err" | tr '\n' ' ')"
	echo "$pass passed, $((fail + 1)) failed"
	exit 1
fi
echo "seed $SEED, $N vectors per class (QUOTE_SEED=$SEED repeats this run)"

i=0
for sh in "dash" "busybox sh" "bash" "bash UTF-8" zsh mksh tcsh csh fish; do
	i=$((i + 1))
	loc=C
	case $sh in *UTF-8) sh=bash loc=C.UTF-8;; esac
	set -- $sh
	if ! command -v "$1" >/dev/null; then
		echo "FAIL quoting through $sh: $1 is not installed"; fail=$((fail + 1))
		continue
	fi
	# ASan's own leak check would only time the run; the driver frees
	# nothing at exit on purpose
	ASAN_OPTIONS=detect_leaks=0 LC_ALL=$loc timeout -k 5 300 \
		"$T/quoteprop" $((SEED + i)) "$N" "$@" -c >"$T/log" 2>"$T/err"
	rc=$?
	[ "$loc" = C ] || sed -i "s/through bash,/through bash ($loc),/" "$T/log"
	count "$T/log"
	[ -s "$T/err" ] && sed 's/^/    /' "$T/err" | head -40
	# the driver exits with its failed class count; anything else is a crash
	if [ $rc -gt 6 ] || [ "$(grep -c '^[PF]' "$T/log")" != 6 ]; then
		echo "FAIL quoting driver under $sh: exit $rc, $(grep -c '^[PF]' "$T/log") of 6 classes reported"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]

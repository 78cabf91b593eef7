# tests/harness.sh: what the suites share, sourced by tests/trust.sh,
# tests/cli.sh and tests/adversary.sh (POSIX sh: dash, BusyBox ash, bash).
#   ok NAME / ko NAME WHY   one PASS or FAIL line, counted
#   finish                  the last line, "N passed, N failed"; exits
#   now                     milliseconds (10 ms steps) from /proc/uptime:
#                           BusyBox date has no %N
#   standin FILE BINDIR     writes the stand-in login to FILE: it drops the
#                           host word and runs the far command here, with
#                           SSH_CONNECTION set and BINDIR first on PATH
#   t NAME SECS CMD...      runs CMD with a bound: rc, $T/out, $T/err, ms
#   errtxt                  the start of $T/err on one line
#   same NAME A B           passes when files A and B are equal and rc is 0

pass=0
fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
ko() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
finish() { echo "$pass passed, $fail failed"; [ $fail = 0 ]; exit; }

now() {
	read -r u _ </proc/uptime
	f=${u#*.}
	echo $((${u%.*} * 1000 + ${f#0} * 10))
}

standin() {
	cat >"$1" <<EOF2
#!/bin/sh
shift
SSH_CONNECTION="127.0.0.1 1 127.0.0.1 22" PATH="$2:\$PATH" exec sh -c "\$*"
EOF2
	chmod +x "$1"
}

# t NAME SECS CMD...: runs CMD with a bound; rc in $rc, stdout in $T/out,
# stderr in $T/err, milliseconds taken in $ms.  Not ending in time fails
# (and rc is then "hang": no check that reads it can pass).
t() {
	name=$1 lim=$2
	shift 2
	m0=$(now)
	timeout -k 2 "$lim" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	ms=$(($(now) - m0))
	[ $ms -lt $((lim * 1000 - 50)) ] || { ko "$name" "did not end within $lim s"; rc=hang; }
}
errtxt() { head -c 400 "$T/err" | tr '\n' '|'; }
same() {
	if [ "$rc" != 0 ]; then ko "$1" "exit $rc; stderr: $(errtxt)"
	elif cmp -s "$2" "$3"; then ok "$1"; else ko "$1" "$2 and $3 differ"; fi
}

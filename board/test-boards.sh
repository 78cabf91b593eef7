#!/bin/sh
# board/test-boards.sh: socketpipe's transfer cases on every board, both ends
# on that board's CPU under qemu-user, then the cross-endian pairs
# (x86_64 <-> big-endian ppc) and the forced-fallback builds.
#
# Run by `make test-boards` after the binaries are built.  The login command
# is board/test-login, which runs the far command here; the far `socketpipe`
# it finds on PATH is a wrapper that starts the far binary through qemu-user
# explicitly.  -i/-r/-o commands are host programs (qemu-user can exec them).
#
# Environment: BOARDS, FALLBACK_BOARDS (set by rules.mk), BOARD_TEST_TIMEOUT
# (seconds per socketpipe run, default 120).
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
BOARDS=${BOARDS-x86_64 i386 aarch64 armv7 armv5 mipsel riscv64 ppc}
FALLBACK_BOARDS=${FALLBACK_BOARDS-ppc}
TO=${BOARD_TEST_TIMEOUT:-120}
LOGIN=$top/board/test-login

pass=0 fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
ko() { echo "FAIL $1: $2"; fail=$((fail + 1)); }

command -v timeout >/dev/null || { echo "FAIL setup: timeout missing (coreutils)"; echo "0 passed, 1 failed"; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/sp-boards.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

# Odd sizes on purpose: 1 MiB+7 and 16 MiB-3 end off any buffer boundary.
SIZES="0 1 65536 1048583 16777213"
for n in $SIZES; do
	head -c "$n" /dev/urandom >"$T/in.$n"
done

row() { # board key
	sed -n "s/^$2[[:space:]]*=[[:space:]]*//p" "$top/board/$1.mk"
}

# How to start one end.  "x86_64-native" is the x86_64 board binary run
# directly on this (x86_64) host, the realistic partner of a ppc box.
runner() { # variant
	case $1 in
	x86_64-native)
		if [ "$(uname -m)" = x86_64 ]; then
			echo "$top/build/x86_64/socketpipe"
		else
			runner x86_64
		fi ;;
	*) echo "$(row "${1%-fallback}" QEMU) $top/build/$1/socketpipe" ;;
	esac
}

# Sets L (local end) and FAR (folder whose `socketpipe` is the far end).
pair() { # local-variant far-variant
	L=$(runner "$1")
	FAR=$T/far.$2
	if [ ! -x "$FAR/socketpipe" ]; then
		mkdir -p "$FAR"
		printf '#!/bin/sh\nexec %s "$@"\n' "$(runner "$2")" >"$FAR/socketpipe"
		chmod +x "$FAR/socketpipe"
	fi
}

# sp ARGS...: one local socketpipe run; status in rc, stderr in $T/err.
sp() {
	# shellcheck disable=SC2086
	BOARD_FAR_PATH=$FAR timeout "$TO" $L "$@" 2>"$T/err"
	rc=$?
}

why() { # the reason a run failed, from rc and stderr
	if [ "$rc" -eq 124 ]; then
		echo "timed out after ${TO}s"
	else
		echo "exit $rc$1: $(tail -n 1 "$T/err" | cut -c1-160)"
	fi
}

same() { # name want-file got-file
	if [ "$rc" -ne 0 ]; then
		ko "$1" "$(why ' (want 0)')"
	elif [ ! -f "$3" ]; then
		ko "$1" "no output file"
	elif ! cmp -s "$2" "$3"; then
		ko "$1" "output differs: $(wc -c <"$3" | tr -d ' ') bytes, want $(wc -c <"$2" | tr -d ' ')"
	else
		ok "$1"
	fi
}

# The four ways data moves: direct (-i/-o commands) and relay (socketpipe's
# own stdin/stdout), each upstream (local to far) and downstream.
transfers() { # label sizes
	for n in $2; do
		in=$T/in.$n out=$T/out
		rm -f "$out"
		sp -i { cat "$in" } -l { "$LOGIN" far } -r { sh -c "cat >$out" } </dev/null >"$T/stdout"
		same "$1 direct up $n" "$in" "$out"
		rm -f "$out"
		sp -l { "$LOGIN" far } -r { cat "$in" } -o { sh -c "cat >$out" } </dev/null >"$T/stdout"
		same "$1 direct down $n" "$in" "$out"
		rm -f "$out"
		sp -l { "$LOGIN" far } -r { sh -c "cat >$out" } <"$in" >"$T/stdout"
		same "$1 relay up $n" "$in" "$out"
		rm -f "$out"
		sp -l { "$LOGIN" far } -r { cat "$in" } </dev/null >"$out"
		same "$1 relay down $n" "$in" "$out"
	done
}

status_cases() { # label
	sp -l { "$LOGIN" far } -r { sh -c 'exit 3' } </dev/null >"$T/stdout"
	if [ "$rc" -eq 3 ]; then ok "$1 remote exit 3"; else ko "$1 remote exit 3" "$(why ' (want 3)')"; fi
	# A signal travels in the status record too: killed by SIGTERM is 143.
	sp -l { "$LOGIN" far } -r { sh -c 'kill -TERM $$' } </dev/null >"$T/stdout"
	if [ "$rc" -eq 143 ]; then ok "$1 remote killed by SIGTERM"; else ko "$1 remote killed by SIGTERM" "$(why ' (want 143)')"; fi
	# Both directions at once through one connection: the far cat echoes.
	rm -f "$T/out"
	sp -i { cat "$T/in.1048583" } -l { "$LOGIN" far } -r { cat } -o { sh -c "cat >$T/out" } </dev/null
	same "$1 echo through far cat 1048583" "$T/in.1048583" "$T/out"
}

# -v must always print a readable report.  The byte counts come from
# TCP_INFO, which qemu-user truncates to 4 bytes (as an old kernel's shorter
# struct would): only a native local end is expected to report the real count.
verbose_case() { # label [count-expected]
	rm -f "$T/out"
	sp -v -i { cat "$T/in.65536" } -l { "$LOGIN" far } -r { sh -c "cat >$T/out" } </dev/null >"$T/stdout"
	if [ "$rc" -ne 0 ]; then
		ko "$1 -v" "$(why ' (want 0)')"
	elif [ ! -s "$T/err" ] || LC_ALL=C grep -q '[^[:print:][:space:]]' "$T/err" || ! grep -q '[0-9] bytes' "$T/err"; then
		ko "$1 -v" "no readable byte report: $(tr '\n' ' ' <"$T/err" | cut -c1-120)"
	elif [ -n "${2-}" ] && ! grep -q 65536 "$T/err"; then
		ko "$1 -v" "does not report 65536 bytes: $(tr '\n' ' ' <"$T/err" | cut -c1-120)"
	else
		ok "$1 -v${2:+ reports 65536 bytes}"
	fi
}

build_checks() { # variant
	b=${1%-fallback}
	f=$top/build/$1/socketpipe
	if [ ! -f "$f" ]; then
		ko "$1 build" "$f missing (make boards)"
		return 1
	fi
	q=$(row "$b" QEMU); q=${q%% *}
	if ! command -v "$q" >/dev/null; then
		ko "$1 qemu" "missing $q: apt-get install qemu-user-static (or: make setup-boards)"
		return 1
	fi
	if e=$(cd "$top" && sh board/check-elf.sh "$b" "build/$1/socketpipe" 2>&1); then
		ok "$1 elf: ${e#*: }"
	else
		ko "$1 elf" "$e"
	fi
	size=$(wc -c <"$f" | tr -d ' ') budget=$(row "$b" BUDGET)
	if [ "$size" -le "$budget" ]; then
		ok "$1 size $size <= $budget"
	else
		ko "$1 size" "$size bytes, budget $budget"
	fi
}

for b in $BOARDS; do
	build_checks "$b" || continue
	pair "$b" "$b"
	transfers "$b" "$SIZES"
	status_cases "$b"
	verbose_case "$b"
done

# Which of the new-kernel syscalls a run made: "getrandom splice tcp_info".
# getrandom (made by the local end's main process) from qemu-user's own
# trace of the guest's calls (QEMU_STRACE): qemu calls getrandom on the host
# for itself too.  splice and TCP_INFO (made in the relay child) from the
# host's strace of the qemu processes: qemu's log of a forked child can
# lose lines (it did: a run whose relay spliced showed no splice).
modern_syscalls() { # variant
	pair "$1" "$1"
	rm -f "$T/out" "$T"/strace.* "$T/hstrace"
	command -v strace >/dev/null || { echo "(strace missing)"; return; }
	_L=$L
	L="strace -f -qq -o $T/hstrace -e trace=splice,getsockopt $L"
	# each qemu process (both ends, and their children) traces into a file
	# of its own: in one shared stderr the two ends' lines interleave
	QEMU_STRACE=1 QEMU_LOG_FILENAME="$T/strace.%d" \
		sp -v -i { cat "$T/in.65536" } -l { "$LOGIN" far } -r { sh -c "cat >$T/out" } </dev/null >"$T/stdout"
	L=$_L
	used=
	cat "$T"/strace.* >"$T/strace" 2>/dev/null
	grep -aq '^[0-9]* getrandom(' "$T/strace" && used="$used getrandom"
	grep -q ' splice(' "$T/hstrace" && used="$used splice"
	grep -q 'getsockopt([0-9]*, SOL_TCP, TCP_INFO' "$T/hstrace" && used="$used tcp_info"
	cmp -s "$T/in.65536" "$T/out" || used="$used (transfer failed: exit $rc)"
	echo "${used# }"
}

for b in $FALLBACK_BOARDS; do
	build_checks "$b-fallback" || continue
	pair "$b-fallback" "$b-fallback"
	transfers "$b-fallback" "$SIZES"
	status_cases "$b-fallback"
	verbose_case "$b-fallback"
	# The forced build must not touch what an old kernel lacks; the normal
	# build of the same board, traced the same way, shows the trace sees it.
	u=$(modern_syscalls "$b-fallback")
	if [ -z "$u" ]; then ok "$b-fallback makes no getrandom/splice/TCP_INFO call"; else ko "$b-fallback makes no getrandom/splice/TCP_INFO call" "used: $u"; fi
	u=$(modern_syscalls "$b")
	if [ "$u" = "getrandom splice tcp_info" ]; then ok "$b (normal build) traced using $u"; else ko "$b (normal build) traced using getrandom splice tcp_info" "saw: ${u:-none}"; fi
done

# Byte order and word size must not leak into the wire protocol.
case " $BOARDS " in *" x86_64 "*" ppc "*|*" ppc "*" x86_64 "*)
	pair x86_64-native ppc
	transfers "x86_64>ppc" "1048583 16777213"
	status_cases "x86_64>ppc"
	[ "$(uname -m)" != x86_64 ] || verbose_case "x86_64>ppc" count
	pair ppc x86_64-native
	transfers "ppc>x86_64" "1048583 16777213"
	status_cases "ppc>x86_64"
	case " $FALLBACK_BOARDS " in *" ppc "*)
		pair x86_64-native ppc-fallback
		transfers "x86_64>ppc-fallback" "1048583"
		pair ppc-fallback x86_64-native
		transfers "ppc-fallback>x86_64" "1048583"
	esac
esac

# met_enosys LABEL SYSCALL...: proves the run just made really met each
# SYSCALL failing with ENOSYS, from the strace of it in $T/strace (a call
# interrupted by another process's line ends in a "<... NAME resumed>"
# line, which carries the INJECTED mark).
met_enosys() {
	_l=$1
	shift
	for sc in "$@"; do
		if grep -Eq "($sc\(| $sc resumed>).*INJECTED" "$T/strace"; then
			ok "$_l $sc met ENOSYS"
		else
			ko "$_l $sc met ENOSYS" "socketpipe never called $sc"
		fi
	done
}

# An old NAS kernel, simulated at run time on the normal (not forced)
# x86_64 build: strace makes the syscalls a 2.6.32 Kirkwood or PowerPC
# kernel lacks fail with ENOSYS, in both ends and everything they start:
# getrandom (3.17), close_range (5.9), accept4 (a syscall of its own only
# since 2.6.36 on ARM, 2.6.37 on PowerPC, 4.3 on i386; src/sys.c falls back
# to accept+fcntl), and splice, which the issue lists as missing to sockets.
if [ "$(uname -m)" = x86_64 ] && case " $BOARDS " in *" x86_64 "*) true;; *) false;; esac; then
	if command -v strace >/dev/null; then
		pair x86_64-native x86_64-native
		old=getrandom,splice,close_range,accept4
		# -t 10: a failure here is a missing fallback, not worth 30 s a case.
		L="strace -f -qq -o $T/strace -e trace=$old -e inject=$old:error=ENOSYS $L -t 10"
		transfers "x86_64 old-kernel" "1048583"
		met_enosys "x86_64 old-kernel" getrandom splice accept4
	else
		ko "x86_64 old-kernel" "strace missing: apt-get install strace (or: make setup-boards)"
	fi
fi

# i386 before 4.3 and PowerPC before 2.6.37 have no socket system calls of
# their own, only socketcall(2).  qemu-user runs both through the same host
# calls, so strace makes every odd call of each (in each process) fail with
# ENOSYS: each direct call fails and the socketcall that src/sys.c makes
# next succeeds.  The transfer can only work through that fallback.
net=socket,bind,listen,connect,getsockname,setsockopt,getsockopt,sendto,recvfrom,shutdown,accept4
for b in i386 ppc; do
	case " $BOARDS " in *" $b "*) ;; *) continue ;; esac
	command -v strace >/dev/null || { ko "$b socketcall" "strace missing: apt-get install strace (or: make setup-boards)"; continue; }
	pair "$b" "$b"
	L="strace -f -qq -o $T/strace -e trace=$net -e inject=$net:error=ENOSYS:when=1+2 $L -t 10"
	transfers "$b socketcall" "1048583"
	met_enosys "$b socketcall: each direct" socket connect accept4
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

#!/bin/sh
# board/test-boards.sh: socketpipe's transfer cases on every board, both ends
# on that board's CPU under qemu-user, then the cross-endian pairs
# (x86_64 <-> big-endian ppc), the forced-fallback builds, and an x86_64
# local end shipping its binary to each board's far side (issue 12).
#
# Run by `make test-boards` after the binaries are built.  The login command
# is board/test-login, which runs the far command here; the far `socketpipe`
# it finds on PATH is a wrapper that starts the far binary through qemu-user
# explicitly.  -i/-r/-o commands are host programs (qemu-user can exec them).
#
# Environment: BOARDS, FALLBACK_BOARDS, BOARD_UNAMES (board:name,name... as
# in UNAME_<board>; set by rules.mk), BOARD_TEST_TIMEOUT
# (seconds per socketpipe run, default 120).
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
BOARDS=${BOARDS-x86_64 i386 aarch64 armv7 armv5 mipsel riscv64 ppc}
FALLBACK_BOARDS=${FALLBACK_BOARDS-ppc}
TO=${BOARD_TEST_TIMEOUT:-120}
LOGIN=$top/board/test-login

pass=0 fail=0
AFTER=:	# a check run after each case (the ship cases set it)
ok() { echo "PASS $1"; pass=$((pass + 1)); }
ko() { echo "FAIL $1: $2"; fail=$((fail + 1)); }

command -v timeout >/dev/null || { echo "FAIL setup: timeout missing (coreutils)"; echo "0 passed, 1 failed"; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/sp-boards.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT	# and the binfmt_misc handlers: see bm_cleanup
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
# In the ship cases (SHIP set) each run starts with an empty log of the
# binaries the far side ran (see ship_setup).
sp() {
	[ -z "${SHIP-}" ] || : >"$T/ship.log"
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
		same "$1 direct up $n" "$in" "$out"; $AFTER "$1 direct up $n"
		rm -f "$out"
		sp -l { "$LOGIN" far } -r { cat "$in" } -o { sh -c "cat >$out" } </dev/null >"$T/stdout"
		same "$1 direct down $n" "$in" "$out"; $AFTER "$1 direct down $n"
		rm -f "$out"
		sp -l { "$LOGIN" far } -r { sh -c "cat >$out" } <"$in" >"$T/stdout"
		same "$1 relay up $n" "$in" "$out"; $AFTER "$1 relay up $n"
		rm -f "$out"
		sp -l { "$LOGIN" far } -r { cat "$in" } </dev/null >"$out"
		same "$1 relay down $n" "$in" "$out"; $AFTER "$1 relay down $n"
	done
}

status_cases() { # label
	sp -l { "$LOGIN" far } -r { sh -c 'exit 3' } </dev/null >"$T/stdout"
	if [ "$rc" -eq 3 ]; then ok "$1 remote exit 3"; else ko "$1 remote exit 3" "$(why ' (want 3)')"; fi
	$AFTER "$1 remote exit 3"
	# A signal travels in the status record too: killed by SIGTERM is 143.
	sp -l { "$LOGIN" far } -r { sh -c 'kill -TERM $$' } </dev/null >"$T/stdout"
	if [ "$rc" -eq 143 ]; then ok "$1 remote killed by SIGTERM"; else ko "$1 remote killed by SIGTERM" "$(why ' (want 143)')"; fi
	$AFTER "$1 remote killed by SIGTERM"
	# Both directions at once through one connection: the far cat echoes.
	rm -f "$T/out"
	sp -i { cat "$T/in.1048583" } -l { "$LOGIN" far } -r { cat } -o { sh -c "cat >$T/out" } </dev/null
	same "$1 echo through far cat 1048583" "$T/in.1048583" "$T/out"
	$AFTER "$1 echo through far cat 1048583"
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

# A packed board (row PACK, board/pack.c): the packed binary must run and
# say what the unpacked one says, decode back to the unpacked file byte for
# byte, keep no page writable and executable, and fail cleanly (status 120
# or a signal, within seconds, never a hang or a run) when damaged.
packed_checks() { # board
	f=$top/build/$1/socketpipe u=$top/build/$1/socketpipe.unpacked
	q=$(row "$1" QEMU)
	if [ ! -f "$u" ] || [ ! -x "$top/build/pack" ]; then
		ko "$1 packed" "$u or build/pack missing (make BOARD=$1)"
		return
	fi
	want=$($q "$u" -V 2>&1) got=$(timeout 10 $q "$f" -V 2>&1)
	if [ -n "$want" ] && [ "$got" = "$want" ]; then ok "$1 packed -V: $got"; else ko "$1 packed -V" "got '$got', want '$want'"; fi
	if [ "$(uname -m)" = x86_64 ] && [ "$1" = x86_64 ]; then
		got=$(timeout 10 "$f" -V 2>&1)
		if [ "$got" = "$want" ]; then ok "$1 packed -V natively"; else ko "$1 packed -V natively" "got '$got'"; fi
		"$f" -l { sh -c 'sleep 2' } -r { cat } </dev/null >/dev/null 2>&1 &
		sleep 1
		m=$(cat /proc/$!/maps 2>/dev/null)
		wait $! 2>/dev/null
		if [ -z "$m" ]; then
			ko "$1 packed maps" "could not read the running binary's /proc/PID/maps"
		elif echo "$m" | grep -q '^[0-9a-f-]* .wx'; then
			ko "$1 packed maps" "a writable and executable page: $(echo "$m" | grep '^[0-9a-f-]* .wx' | head -n 1)"
		elif ! echo "$m" | grep -q '^00400000-[0-9a-f]* r-xp'; then
			ko "$1 packed maps" "text not read+execute at 0x400000: $(echo "$m" | head -n 1)"
		else
			ok "$1 packed: text r-x, data rw-, no page writable and executable"
		fi
	fi
	if "$top/build/pack" -d "$top/build/pack-$1.bin" "$f" "$T/unpacked" 2>"$T/err" && cmp -s "$T/unpacked" "$u"; then
		ok "$1 packed decodes to the unpacked file ($(wc -c <"$f" | tr -d ' ') of $(wc -c <"$u" | tr -d ' ') bytes)"
	else
		ko "$1 packed decodes to the unpacked file" "$(cat "$T/err")"
	fi
	# damage: a byte flipped at 1/4, 1/2, 3/4 and at the last of the
	# compressed image (which starts after the headers and the stub), and
	# the file cut in half
	n=$(wc -c <"$f" | tr -d ' ') s=$((232 + $(wc -c <"$top/build/pack-$1.bin")))
	for at in $((s + (n - s) / 4)) $((s + (n - s) / 2)) $((s + 3 * (n - s) / 4)) $((n - 1)) cut; do
		cp "$f" "$T/bad" && chmod +x "$T/bad"
		if [ "$at" = cut ]; then
			head -c $((n / 2)) "$f" >"$T/bad"
		else
			b=$(od -An -tu1 -j "$at" -N 1 "$f" | tr -d ' ')
			printf "\\$(printf %o $((b ^ 0x5a)))" | dd of="$T/bad" bs=1 seek="$at" conv=notrunc 2>/dev/null
		fi
		# (the shell's own "Bus error" for a cut file goes to /dev/null)
		got=$(exec 2>/dev/null; timeout 10 $q "$T/bad" -V 2>"$T/err"; exit $?)
		rc=$?
		if [ "$rc" -eq 124 ]; then
			ko "$1 packed damaged at $at" "hung (timed out after 10 s)"
		elif [ "$rc" -eq 0 ] || [ -n "$got" ]; then
			ko "$1 packed damaged at $at" "ran: exit $rc, '$got'"
		else
			ok "$1 packed damaged at $at fails: exit $rc$(head -n 1 "$T/err" | sed 's/^./: &/')"
		fi
	done
}
for b in $BOARDS; do
	[ -n "$(row "$b" PACK)" ] && packed_checks "$b"
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

# ---- A far side with no socketpipe (issue 12, "any far side") --------------
# The local end is the x86_64 board binary, run natively from a copy of a
# build tree ($T/tree/socketpipe beside $T/tree/build -> build/, where make
# boards links build/<uname -m> to each board) or of an installed tree
# ($T/inst/usr/bin/socketpipe beside lib/socketpipe/<uname -m>/, laid out by
# board/install.sh).  The far "machine" is this host, through test-login:
# a PATH without socketpipe, a `uname` that prints the board's uname name
# and a TMPDIR of the case's own.  The far script then asks for the binary
# (socketpipe-need <name>), receives it and runs it: a foreign ELF, which
# only runs here through a binfmt_misc handler.  The test registers one per
# qemu it needs, named socketpipe-<pid>-<arch> (so concurrent runs never
# share or remove each other's), with the magic and mask of qemu-user-
# static's own (/usr/share/binfmts/qemu-<arch>; i386, which Debian's amd64
# qemu-user-static does not register, QEMU's own i386 entry), and as the
# interpreter a script of its own: it compares the binary about to run with
# the one wanted ($SP_SHIP_WANT), logs the result and its path ($SP_SHIP_LOG)
# and runs it under qemu-user (QEMU_CPU: the board's CPU).  A handler
# registered later takes precedence, so one of the machine's own
# (binfmt-support's qemu-arm, say) is left in place and unused meanwhile.
# Exactly the handlers registered here are removed at the end (and at exit),
# and binfmt_misc is unmounted again if it was mounted here.
BM=/proc/sys/fs/binfmt_misc
bm_ours= bm_mounted=
# no WHY: the reason a set-up step cannot be done, for the FAIL line
no() { why_not=$*; return 1; }

# i386 as in QEMU's scripts/qemu-binfmt-conf.sh.  Registered, it also takes
# the host's own 32-bit x86 programs through qemu-i386 while the cases run.
bm_i386_magic='\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x03\x00'
bm_i386_mask='\xff\xff\xff\xff\xff\xfe\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'

bm_cleanup() {
	for h in $bm_ours; do
		[ ! -e "$BM/$h" ] || echo -1 >"$BM/$h" || echo "could not remove binfmt_misc handler $h: echo -1 >$BM/$h" >&2
	done
	bm_ours=
	if [ -n "$bm_mounted" ]; then
		umount "$BM" || echo "could not unmount $BM (mounted by this test)" >&2
		bm_mounted=
	fi
}
trap 'bm_cleanup; rm -rf "$T"' EXIT

# bm_ready: binfmt_misc usable (mounted here if it was not); else why_not says why.
bm_ready() {
	[ "$(id -u)" = 0 ] || { no "not root: binfmt_misc handlers can only be registered by root"; return; }
	if [ ! -e "$BM/register" ]; then
		e=$(mount -t binfmt_misc binfmt_misc "$BM" 2>&1) ||
			{ no "binfmt_misc not mounted and mount -t binfmt_misc binfmt_misc $BM failed: $e"; return; }
		bm_mounted=1
	fi
	[ "$(cat "$BM/status" 2>/dev/null)" = enabled ] ||
		{ no "binfmt_misc is disabled ($BM/status), not changed by this test"; return; }
}

# bm_handler ARCH: registers socketpipe-<pid>-ARCH unless present; else why_not says why.
bm_handler() {
	h=socketpipe-$$-$1
	[ ! -e "$BM/$h" ] && case " $bm_ours " in *" $h "*) false;; *) true;; esac || return 0
	q=$(command -v "qemu-$1-static") || { no "no qemu-$1-static: apt-get install qemu-user-static (or: make setup-boards)"; return; }
	if [ "$1" = i386 ]; then
		off=0 magic=$bm_i386_magic mask=$bm_i386_mask
	else
		f=/usr/share/binfmts/qemu-$1
		[ -f "$f" ] || { no "no $f to take the ELF magic from (qemu-user-static)"; return; }
		off=$(sed -n 's/^offset //p' "$f") magic=$(sed -n 's/^magic //p' "$f") mask=$(sed -n 's/^mask //p' "$f")
	fi
	mkdir -p "$T/binfmt"
	i=$T/binfmt/$1
	cat >"$i" <<EOF
#!/bin/sh
# binfmt_misc interpreter (flag P): the program's path, its argv[0], its arguments
p=\$1 a=\$2
shift 2
if [ -n "\${SP_SHIP_LOG-}" ]; then
	if cmp -s "\$p" "\$SP_SHIP_WANT"; then r=same; else r="differs (\$(wc -c <"\$p") bytes)"; fi
	echo "\$r \$p" >>"\$SP_SHIP_LOG"
fi
exec $q -0 "\$a" "\$p" "\$@"
EOF
	chmod 755 "$i"
	# one write: the kernel takes the whole line or nothing
	e=$( { printf ':%s:M:%s:%s:%s:%s:P' "$h" "${off:-0}" "$magic" "$mask" "$i" >"$BM/register"; } 2>&1) ||
		{ no "registering $h in $BM/register failed: ${e:-error}"; return; }
	bm_ours="$bm_ours $h"
}

# Everything the ship cases need, made once; else why_not says why.
ship_setup() {
	if [ -z "${ship_ready-}" ]; then
		ship_setup1
		ship_ready=$? ship_why=${why_not-}
	fi
	[ "$ship_ready" = 0 ] || no "$ship_why"
}
ship_setup1() {
	[ "$(uname -m)" = x86_64 ] || { no "this host is $(uname -m): the ship cases run the x86_64 board natively"; return; }
	[ -f "$top/build/x86_64/socketpipe" ] || { no "build/x86_64/socketpipe missing (make boards)"; return; }
	bm_ready || return 1
	mkdir -p "$T/tree" "$T/inst/usr/bin" "$T/shim"
	cp "$top/build/x86_64/socketpipe" "$T/tree/socketpipe"
	ln -s "$top/build" "$T/tree/build"
	cp "$top/build/x86_64/socketpipe" "$T/inst/usr/bin/socketpipe"
	# shellcheck disable=SC2086
	sh "$top/board/install.sh" lib "$T/inst" /usr $BOARD_UNAMES >"$T/install.log" 2>&1 ||
		{ no "board/install.sh lib failed: $(tail -n 1 "$T/install.log")"; return; }
	u=$(command -v uname)
	printf '#!/bin/sh\n# the far machine: uname -m names its CPU\n[ "$*" != -m ] || { echo "$BOARD_FAR_UNAME"; exit 0; }\nexec %s "$@"\n' "$u" >"$T/shim/uname"
	chmod 755 "$T/shim/uname"
	# the system's directories, a copy (as links) of any holding a socketpipe
	BOARD_FAR_SYSPATH= k=0
	for d in /usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin; do
		[ -d "$d" ] || continue
		if [ -e "$d/socketpipe" ]; then
			k=$((k + 1))
			mkdir "$T/sysbin.$k"
			for x in "$d"/*; do [ "${x##*/}" = socketpipe ] || ln -s "$x" "$T/sysbin.$k/"; done
			d=$T/sysbin.$k
		fi
		BOARD_FAR_SYSPATH=${BOARD_FAR_SYSPATH:+$BOARD_FAR_SYSPATH:}$d
	done
	if w=$(PATH=$T/shim:$BOARD_FAR_SYSPATH command -v socketpipe); then
		no "the far PATH still finds a socketpipe: $w"; return
	fi
	BOARD_FAR_SHIM=$T/shim SP_SHIP_LOG=$T/ship.log
	export BOARD_FAR_SHIM BOARD_FAR_SYSPATH SP_SHIP_LOG
}

# shipped LABEL: after a ship run, the far side ran exactly one binary, the
# one wanted, from its TMPDIR, and left nothing there.  The far shell's trap
# may still be running when the local end has exited: up to 5 s for it.
shipped() {
	k=0
	while [ -n "$(ls -A "$BOARD_FAR_TMPDIR")" ] && [ "$k" -lt 50 ]; do sleep 0.1; k=$((k + 1)); done
	left=$(ls -A "$BOARD_FAR_TMPDIR" | tr '\n' ' ')
	runs=$(wc -l <"$T/ship.log" | tr -d ' ')
	if [ "$runs" -eq 0 ]; then
		ko "$1: shipped" "the far side ran no binary of ours"
	elif [ "$runs" -ne 1 ] || ! grep -q "^same $BOARD_FAR_TMPDIR/[^/]*\$" "$T/ship.log"; then
		ko "$1: shipped" "want one run of a copy of ${SP_SHIP_WANT#"$top"/} in the far TMPDIR, got: $(tr '\n' ';' <"$T/ship.log" | cut -c1-200)"
	elif [ -n "$left" ]; then
		ko "$1: shipped" "left in the far TMPDIR: $left"
	else
		ok "$1: shipped ${SP_SHIP_WANT#"$top"/}, nothing left"
	fi
	rm -rf "$BOARD_FAR_TMPDIR" && mkdir -m 700 "$BOARD_FAR_TMPDIR"
}

# ship_to BOARD NAME: the far side is BOARD and its uname -m prints NAME.
ship_to() {
	BOARD_FAR_UNAME=$2 BOARD_FAR_TMPDIR=$T/fartmp SP_SHIP_WANT=$top/build/$1/socketpipe
	q=$(row "$1" QEMU)
	case $q in *" -cpu "*) BOARD_FAR_CPU=${q#*-cpu }; BOARD_FAR_CPU=${BOARD_FAR_CPU%% *} ;; *) BOARD_FAR_CPU= ;; esac
	export BOARD_FAR_UNAME BOARD_FAR_TMPDIR SP_SHIP_WANT BOARD_FAR_CPU
	rm -rf "$T/fartmp" && mkdir -m 700 "$T/fartmp"
	SHIP=1 AFTER=shipped FAR=$T/nowhere L=$T/tree/socketpipe
}

ship_done() {
	unset BOARD_FAR_UNAME SHIP
	AFTER=:
}

case " $BOARDS " in *" x86_64 "*)
	BOARD_UNAMES=${BOARD_UNAMES-x86_64:x86_64 i386:i686 aarch64:aarch64 armv7:armv7l,armv8l armv5:armv5tel,armv5tejl,armv6l mipsel:mips riscv64:riscv64 ppc:ppc}
	for bn in $BOARD_UNAMES; do
		b=${bn%%:*} names=$(echo "${bn#*:}" | tr , ' ')
		[ "$b" != x86_64 ] || continue
		case " $BOARDS " in *" $b "*) ;; *) continue ;; esac
		[ -f "$top/build/$b/socketpipe" ] || { ko "x86_64 ships $b" "build/$b/socketpipe missing (make boards)"; continue; }
		if ! ship_setup; then
			ko "x86_64 ships $b" "$why_not"
			continue
		fi
		q=$(row "$b" QEMU); q=${q%% *}; q=${q#qemu-}; q=${q%-static}
		if ! bm_handler "$q"; then
			ko "x86_64 ships $b" "$why_not"
			continue
		fi
		set -- $names
		ship_to "$b" "$1"
		transfers "x86_64 ships $b ($1)" "0 1048583"
		status_cases "x86_64 ships $b ($1)"
		shift
		for n in "$@"; do
			ship_to "$b" "$n"
			rm -f "$T/out"
			sp -i { cat "$T/in.65536" } -l { "$LOGIN" far } -r { sh -c "cat >$T/out" } </dev/null >"$T/stdout"
			same "x86_64 ships $b ($n) direct up 65536" "$T/in.65536" "$T/out"; shipped "x86_64 ships $b ($n)"
		done
		# from an installed tree: lib/socketpipe/<uname -m>/ beside bin/
		ship_to "$b" "$(echo "$names" | awk '{ print $NF }')"
		L=$T/inst/usr/bin/socketpipe
		rm -f "$T/out"
		sp -l { "$LOGIN" far } -r { cat "$T/in.1048583" } -o { sh -c "cat >$T/out" } </dev/null >"$T/stdout"
		same "x86_64 (installed) ships $b ($BOARD_FAR_UNAME) direct down 1048583" "$T/in.1048583" "$T/out"
		shipped "x86_64 (installed) ships $b ($BOARD_FAR_UNAME)"
		ship_done
	done
	# A CPU nobody built for: exit 121 and the line that says so, before
	# anything is sent; the far side leaves nothing behind.
	if ship_setup; then
		ship_to x86_64 sparc64
		sp -i { cat "$T/in.1" } -l { "$LOGIN" far } -r { sh -c "cat >$T/out" } </dev/null >"$T/stdout"
		k=0
		while [ -n "$(ls -A "$T/fartmp")" ] && [ "$k" -lt 50 ]; do sleep 0.1; k=$((k + 1)); done
		if [ "$rc" -ne 121 ] || ! grep -q "no socketpipe for the far CPU 'sparc64'" "$T/err"; then
			ko "x86_64 ships to an unknown CPU (sparc64)" "$(why " (want 121, \"no socketpipe for the far CPU 'sparc64' ...\")")"
		elif [ -s "$T/ship.log" ] || [ -n "$(ls -A "$T/fartmp")" ]; then
			ko "x86_64 ships to an unknown CPU (sparc64)" "ran: $(cat "$T/ship.log"), left: $(ls -A "$T/fartmp" | tr '\n' ' ')"
		else
			ok "x86_64 ships to an unknown CPU (sparc64): 121, $(tail -n 1 "$T/err" | cut -c1-100)"
		fi
		ship_done
	fi
	bm_cleanup
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

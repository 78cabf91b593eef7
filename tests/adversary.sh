#!/bin/sh
# tests/adversary.sh: socketpipe against the strangers of the README's
# security section, end to end with the real binary:
#     sh tests/adversary.sh [SOCKETPIPE]        default: ./socketpipe
# As root; the whole run moves into a network namespace of its own (only
# its loopback), so the port scan and the floods reach nobody else.
# The far end runs here through a stand-in login that sets SSH_CONNECTION,
# as in tests/run; the strangers are fuzz/knock.c.  One PASS/FAIL line per
# check; last line "N passed, N failed".

top=$(cd "$(dirname "$0")/.." && pwd)
SP=$(cd "$(dirname "${1:-$top/socketpipe}")" && pwd)/$(basename "${1:-$top/socketpipe}")

pass=0
fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
ko() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
finish() { echo "$pass passed, $fail failed"; [ $fail = 0 ]; exit; }

if [ -z "$SP_ADV_NETNS" ]; then
	if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null; then
		ko setup "must run as root with unshare (util-linux): the strangers live in a private network namespace"
		finish
	fi
	# the same shell again (dash, BusyBox ash, bash), inside the namespace
	me=$(readlink /proc/$$/exe)
	case $me in */busybox) set -- sh "$0" "$@";; *) set -- "$0" "$@";; esac
	SP_ADV_NETNS=1 exec unshare -n "$me" "$@"
fi
echo "    (shell $(readlink /proc/$$/exe), in a private network namespace)"
ip link set lo up 2>/dev/null || ifconfig lo up 2>/dev/null || { ko setup "cannot bring up loopback in the namespace"; finish; }

T=$(mktemp -d /tmp/sp-adv.XXXXXX) || exit 1
chmod 755 "$T"
B=$T/bin
mkdir -p "$B"
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

[ -x "$SP" ] || { ko setup "no executable $SP (run make)"; finish; }
# a private copy: a rebuild of the tree's binary mid-run must not change it
cp "$SP" "$B/socketpipe" || { ko setup "cannot copy $SP"; finish; }
SP=$B/socketpipe
cc -O2 -o "$T/knock" "$top/fuzz/knock.c" 2>"$T/cc.err" || { ko setup "cannot build fuzz/knock.c: $(head -c 200 "$T/cc.err")"; finish; }
K=$T/knock
head -c 65536 /dev/urandom >"$T/in"
head -c 300000 /dev/urandom >"$T/in2"
cat "$T/in" "$T/in2" >"$T/in12"

# The stand-in login, steered by the environment it inherits through the
# local end:
#   ADV_GARBAGE=FILE   print FILE on stdout first (motd, .bashrc noise)
#   ADV_FG=CMD         run CMD (with $ADV_PORT set) and wait for it
#   ADV_BG=CMD         run CMD in the background; if ADV_BG_READY=FILE,
#                      wait up to 5 s until FILE is not empty
#   ADV_SLEEP=S        then wait S seconds before the far end starts
#   ADV_TEE=1          copy the secret line to $T/secret on the way
#   ADV_WRONG=1        hand the far end a wrong secret instead
# It exports ADV_PORT and ADV_LOCAL (the local end's pid) to those
# commands, and writes the listening port (from the far command line "'-S' 'PORT'")
# to $T/port.
cat >"$T/login" <<EOF
#!/bin/sh
shift
cmd="\$*"
ADV_PORT=\$(printf '%s' "\$cmd" | sed -n "s/.*'-S' '\\([0-9]*\\)'.*/\\1/p")
ADV_LOCAL=\$PPID
export ADV_PORT ADV_LOCAL
echo "\$ADV_PORT" >"$T/port"
[ -n "\$ADV_GARBAGE" ] && cat "\$ADV_GARBAGE"
[ -n "\$ADV_FG" ] && sh -c "\$ADV_FG"
if [ -n "\$ADV_BG" ]; then
	sh -c "\$ADV_BG" &
	i=0
	while [ -n "\$ADV_BG_READY" ] && [ \$i -lt 50 ] && [ ! -s "\$ADV_BG_READY" ]; do sleep 0.1; i=\$((i + 1)); done
fi
[ -n "\$ADV_SLEEP" ] && sleep "\$ADV_SLEEP"
export SSH_CONNECTION="127.0.0.1 1 127.0.0.1 22" PATH="$B:\$PATH"
[ -z "\$ADV_TEE\$ADV_WRONG" ] && exec sh -c "\$cmd"
IFS= read -r s
printf '%s\n' "\$s" >"$T/secret"
[ -n "\$ADV_WRONG" ] && s=\$(printf '%s' "\$s" | tr 0-9a-f 1-9a-f0)
{ printf '%s\n' "\$s"; exec cat; } | sh -c "\$cmd"
EOF
chmod +x "$T/login"
L=$T/login

# t NAME SECS CMD...: runs CMD with a bound; rc in $rc, stdout in $T/out,
# stderr in $T/err, milliseconds taken in $ms.
# milliseconds (10 ms steps) from /proc/uptime: BusyBox date has no %N
now() {
	read -r u _ </proc/uptime
	f=${u#*.}
	echo $((${u%.*} * 1000 + ${f#0} * 10))
}
t() {
	name=$1 lim=$2
	shift 2
	m0=$(now)
	timeout -k 2 "$lim" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	ms=$(($(now) - m0))
	# (coreutils timeout says 124, BusyBox's 143: judge by the clock)
	[ $ms -lt $((lim * 1000 - 50)) ] || ko "$name" "did not end within $lim s"
}
errtxt() { head -c 300 "$T/err" | tr '\n' ' '; }
# same NAME FILE: passes when $T/out equals FILE and rc is 0.
same() {
	if [ "$rc" != 0 ]; then ko "$1" "exit $rc; stderr: $(errtxt)"
	elif cmp -s "$2" "$T/out"; then ok "$1"; else ko "$1" "output differs from the input"; fi
}
# within NAME MS: passes when the last t took at most MS milliseconds.
within() {
	if [ "$ms" -le "$2" ]; then ok "$1 (${ms} ms, bound $2)"; else ko "$1" "took $ms ms, bound $2"; fi
}
# waitfile FILE SECS: waits until FILE is not empty.
# bg_start INPUT: starts socketpipe in the background (pid in sp) with the
# shell command INPUT as -i, the login teeing the secret to $T/secret and
# the output in $T/k.got; true once INPUT wrote $T/started and the secret
# was seen.
bg_start() {
	"$SP" -i { sh -c "$1" } -l { env ADV_TEE=1 "$L" x } -r { cat } -o { sh -c "cat >$T/k.got" } \
		</dev/null >/dev/null 2>"$T/err" &
	sp=$!
	waitfile "$T/started" 15 && waitfile "$T/secret" 1
}

# bg_intact PID IN WHAT: waits (30 s at most) for the background socketpipe
# PID, which must exit 0 having delivered IN to $T/k.got intact.
bg_intact() {
	timeout 30 sh -c "while kill -0 $1 2>/dev/null; do sleep 0.1; done"
	kill -TERM "$1" 2>/dev/null	# only if it outlived its bound (then it fails)
	wait "$1"; rc=$?
	[ $rc = 0 ] && cmp -s "$2" "$T/k.got" && ok "$3: the transfer under way is intact" ||
		ko "$3 transfer" "exit $rc; $(errtxt)"
}

waitfile() {
	i=0
	while [ $i -lt $(($2 * 10)) ] && [ ! -s "$1" ]; do sleep 0.1; i=$((i + 1)); done
	[ -s "$1" ]
}
# tree PID: PID and all its descendants, "pid starttime" per line.
tree() {
	root=$1
	for f in /proc/[0-9]*/stat; do
		read -r l <"$f" 2>/dev/null || continue
		l=${l##*") "}
		set -- $l
		p=${f#/proc/}
		echo "${p%/stat} $2"
	done 2>/dev/null | awk -v r="$root" '
		{ par[$1] = $2 }
		END { keep[r] = 1
		      for (again = 1; again; ) { again = 0
			for (p in par) if (!(p in keep) && (par[p] in keep)) { keep[p] = 1; again = 1 } }
		      for (p in keep) if (p in par) print p }' |
	while read -r p; do
		s=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | cut -d' ' -f20)
		[ -n "$s" ] && echo "$p $s"
	done
}
# alive LIST: prints the entries of a tree list still running (same start
# time, not a zombie).
alive() {
	while read -r p s; do
		st=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null)
		[ -n "$st" ] || continue
		[ "$(echo "$st" | cut -d' ' -f20)" = "$s" ] || continue
		[ "${st%% *}" = Z ] && continue
		echo "$p $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | head -c 60)"
	done <"$1"
}
# sec NAME: true when ADV_ONLY (a list of section names) is empty or has NAME
sec() { [ -z "$ADV_ONLY" ] || case " $ADV_ONLY " in *" $1 "*) true;; *) false;; esac; }
rmf() { rm -f "$T/port" "$T/secret" "$T/started" "$T"/k.* ; }

# --- a baseline: the same transfer with nobody else around
rmf
t baseline 30 "$SP" -l { "$L" x } -r { cat } <"$T/in"
same "baseline: 64 KiB through the stand-in login" "$T/in"
base=$ms
echo "    (baseline took $base ms)"

# --- a far end with a wrong secret: refused, no "ok", nothing runs
if sec wrong; then
rmf
t "wrong secret" 20 env ADV_WRONG=1 "$SP" -t 3 -l { "$L" x } -r { sh -c "touch $T/k.ran; cat" } <"$T/in"
if [ $rc = 123 ]; then ok "far end with a wrong secret: exit 123"; else ko "wrong secret" "exit $rc, want 123; $(errtxt)"; fi
[ ! -e "$T/k.ran" ] && [ ! -s "$T/out" ] && ok "wrong secret: the remote command never ran, no data moved" ||
	ko "wrong secret ran" "remote ran or output came"
within "wrong secret: ends within -t 3 and a margin" 7000
grep -q "wrong secret" "$T/err" && ok "wrong secret: says so on stderr" || ko "wrong secret message" "$(errtxt)"
fi

# --- a stranger with a wrong secret of the right length, before the far end
if sec stranger; then
rmf
hx=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
t "stranger secret" 30 env ADV_FG="$K send 127.0.0.1 \$ADV_PORT 'socketpipe2 $hx
' 0 3000 >$T/k.send" "$SP" -l { "$L" x } -r { cat } <"$T/in"
same "stranger with a wrong 45-byte hello first: transfer intact" "$T/in"
grep -q "result=closed sent=45 reply=0" "$T/k.send" && ok "stranger with a wrong hello: closed at once, never answered" ||
	ko "stranger wrong hello" "$(cat "$T/k.send")"
fi

# --- the right secret replayed on a second connection mid-transfer
if sec replay; then
rmf
if bg_start "cat $T/in; echo >$T/started; sleep 2; cat $T/in2"; then
	s=$(cat "$T/secret")
	for a in 127.0.0.1 ::1; do
		"$K" send $a "$(cat "$T/port")" "socketpipe2 $s
" 0 2000 >"$T/k.replay"
		case $(cat "$T/k.replay") in
		result=refused*|result=closed*reply=0*) ok "right secret replayed to $a mid-transfer: refused ($(cut -d' ' -f1 "$T/k.replay"))";;
		*) ko "replay $a" "$(cat "$T/k.replay")";;
		esac
	done
else
	ko "replay" "the transfer did not start or no secret was captured"
fi
bg_intact $sp "$T/in12" replay
fi

# --- slow-loris: 40 connections send the magic a byte a second, the far end
# comes 5 s later
if sec loris; then
rmf
t "slow-loris" 40 env ADV_BG="$K loris 127.0.0.1 \$ADV_PORT 40 1000 12000 >$T/k.loris" ADV_BG_READY="$T/k.loris" ADV_SLEEP=5 \
	"$SP" -l { "$L" x } -r { cat } <"$T/in"
same "slow-loris (40 at a byte a second): transfer intact" "$T/in"
within "slow-loris: the right connection is taken at once after the 5 s wait" $((5000 + base + 3000))
waitfile "$T/k.loris" 1
timeout 15 sh -c "while ! grep -q closed $T/k.loris; do sleep 0.2; done"
held=$(sed -n 's/.* maxheld \([0-9]*\) .*/\1/p' "$T/k.loris")
cl=$(sed -n 's/.* closed \([0-9]*\) .*/\1/p' "$T/k.loris")
up=$(sed -n 's/^connected \([0-9]*\)$/\1/p' "$T/k.loris")
if [ -n "$held" ] && [ "$cl" = "$up" ] && [ "$up" -gt 0 ] && [ "$held" -le 4000 ]; then
	ok "slow-loris: all $up closed, none held longer than $held ms (a slot lives 2 s)"
else
	ko "slow-loris hold" "$(tr '\n' ' ' <"$T/k.loris")"
fi
fi

# --- a port scan: every port once, ours 20 times more, before the far end
if sec scan; then
rmf
t "port scan" 60 env ADV_FG="$K scan 127.0.0.1 1 65535 1 >$T/k.scan; $K scan 127.0.0.1 \$ADV_PORT \$ADV_PORT 20 >>$T/k.scan" \
	"$SP" -l { "$L" x } -r { cat } <"$T/in"
same "port scan (65535 ports, then ours 20 times): transfer intact" "$T/in"
if grep -q "^tried 65535 open 1 first $(cat "$T/port")$" "$T/k.scan" && grep -q "^tried 20 open 20 " "$T/k.scan"; then
	ok "port scan: found our port open (and no other), the listener took 20 more"
else
	ko "port scan" "$(tr '\n' ' ' <"$T/k.scan")"
fi
t "port scan after" 30 "$SP" -l { "$L" x } -r { cat } <"$T/in"
same "port scan: the next transfer is unaffected" "$T/in"
fi

# --- the secret in ps and /proc/*/environ on both ends during a transfer
if sec secret; then
rmf
if bg_start "cat $T/in; echo >$T/started; sleep 3"; then
	s=$(cat "$T/secret")
	tree $sp >"$T/k.tree"
	nsp=0 leak=
	while read -r p st; do
		[ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$SP" ] && nsp=$((nsp + 1))
		for f in cmdline environ; do
			grep -q -F -f "$T/secret" "/proc/$p/$f" 2>/dev/null && leak="$leak $p/$f"
		done
	done <"$T/k.tree"
	# every process on the machine, as a stranger with ps would look
	# (the pattern comes from a file: in an argument it would be in grep's
	# own cmdline)
	all=$(grep -l -F -f "$T/secret" /proc/[0-9]*/cmdline /proc/[0-9]*/environ 2>/dev/null | tr '\n' ' ')
	{ ps -eww -o args 2>/dev/null || ps -o args; } >"$T/k.ps"
	pss=$(grep -c -F -f "$T/secret" "$T/k.ps")
	[ -s "$T/k.ps" ] || pss=no-ps-output
	if [ ${#s} = 32 ] && [ "$nsp" -ge 2 ] && [ -z "$leak$all" ] && [ "$pss" = 0 ]; then
		ok "secret in no cmdline or environ of the $nsp socketpipe processes (both ends) nor of any process; not in ps"
	else
		ko "secret exposure" "secret '${#s}' chars, $nsp socketpipe processes, found in:$leak $all; ps lines $pss"
	fi
else
	ko "secret exposure" "the transfer did not start or no secret was captured"
fi
bg_intact $sp "$T/in" "secret exposure"
fi

# --- the login command prints garbage on stdout
if sec garbage; then
rmf
{
	echo "GARBAGE-MARKER Last login: Tue"
	head -c 4000 /dev/urandom
	echo
	head -c 3000 /dev/zero | tr '\0' 'x'
	printf '\nsocketpipe-status\nsocketpipe-status 999\nsocketpipe-status x\n'
} >"$T/garbage"
t "garbage" 30 env ADV_GARBAGE="$T/garbage" "$SP" -l { "$L" x } -r { cat } <"$T/in"
same "login prints 7 KB of garbage on stdout: the data is intact" "$T/in"
grep -q "GARBAGE-MARKER" "$T/err" && ok "login garbage goes to stderr" || ko "garbage on stderr" "not found"
# a line of the login's that looks like the status record must not stand
# for the remote's status (it races with the real record: 20 tries each)
printf 'motd\nsocketpipe-status 0\n' >"$T/fake0"
printf 'socketpipe-status 7\n' >"$T/fake7"
for f in 0 7; do
	w=3 r='sh -c "cat >/dev/null; exit 3"'
	[ $f = 7 ] && w=0 r=cat
	wrong=
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		t "fake status $f" 30 env ADV_GARBAGE="$T/fake$f" "$SP" -l { "$L" x } -r { sh -c "$r" } <"$T/in"
		[ $rc = $w ] || wrong="$wrong $rc"
	done
	[ -z "$wrong" ] && ok "login prints 'socketpipe-status $f', the remote exits $w: exit $w, 20 of 20 times" ||
		ko "login prints 'socketpipe-status $f', the remote exits $w" "exits$wrong in $(echo $wrong | wc -w) of 20 tries (the login's line was taken for the far end's status)"
done
fi

# --- a local user connects between listen and connect-back
if sec local; then
rmf
hx=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
NB="setpriv --reuid=65534 --regid=65534 --clear-groups"
t "local user" 30 env ADV_FG="$NB $K send 127.0.0.1 \$ADV_PORT 'socketpipe2 $hx
' 0 3000 >$T/k.nb; $NB ls /proc/\$ADV_LOCAL/fd >$T/k.fd 2>&1; $NB cat /proc/\$ADV_LOCAL/environ >$T/k.env 2>&1; echo \$? >$T/k.envrc; $NB $K send ::1 \$ADV_PORT socketpipe2 0 3000 >$T/k.nb2" \
	"$SP" -l { "$L" x } -r { cat } <"$T/in"
same "local user (nobody) connects first: transfer intact" "$T/in"
grep -q "result=closed sent=45 reply=0" "$T/k.nb" && ok "local user's guessed hello: closed, never answered" || ko "local user hello" "$(cat "$T/k.nb")"
grep -q "result=closed.*reply=0" "$T/k.nb2" && ok "local user's half hello (magic, then silence) over ::1: closed within the slot time" ||
	ko "local user half hello" "$(cat "$T/k.nb2")"
grep -qi "denied" "$T/k.fd" && [ "$(cat "$T/k.envrc")" != 0 ] &&
	ok "local user cannot open the local end's fds (the secret's pipe) nor its environ" || ko "local user /proc" "$(cat "$T/k.fd" "$T/k.envrc" | head -c 200)"
fi

# --- a crowd that keeps coming while the far end connects: bounded delay
if sec flood; then
rmf
t "flood" 60 env ADV_BG="$K flood 127.0.0.1 \$ADV_PORT 6000 300 silent >$T/k.f1 & $K flood 127.0.0.1 \$ADV_PORT 6000 200 garbage >$T/k.f2 & $K loris 127.0.0.1 \$ADV_PORT 30 1000 6000 >$T/k.loris" ADV_BG_READY="$T/k.loris" ADV_SLEEP=1 \
	"$SP" -l { "$L" x } -r { cat } <"$T/in"
same "continuous flood (silent, garbage, slow-loris) while the far end connects: transfer intact" "$T/in"
within "flood: the right connection still gets through in bounded time" $((1000 + base + 6000))
timeout 15 sh -c "while [ ! -s $T/k.f1 ] || [ ! -s $T/k.f2 ]; do sleep 0.2; done"
echo "    (flood: $(cat "$T/k.f1" "$T/k.f2" | tr '\n' ' '))"
rmf
t "burst" 60 env ADV_BG="$K flood 127.0.0.1 \$ADV_PORT 1500 1000 silent >$T/k.f1" ADV_SLEEP=0.5 \
	"$SP" -l { "$L" x } -r { cat } <"$T/in"
same "a burst of 1000 connections held open at once: transfer intact" "$T/in"
within "burst: bounded delay" $((500 + base + 6000))
fi

# --- signals mid-transfer stop both ends, nothing left behind
if sec signals; then
for sig in INT TERM HUP KILL; do
	rmf
	"$SP" -i { sh -c "echo >$T/started; exec cat /dev/zero" } -l { "$L" x } -r { cat } -o { sh -c 'exec cat >/dev/null' } \
		</dev/null >/dev/null 2>"$T/err" &
	sp=$!
	if ! waitfile "$T/started" 15; then
		ko "SIG$sig" "the transfer did not start; $(errtxt)"
		kill -TERM $sp; wait $sp
		continue
	fi
	sleep 0.5
	tree $sp >"$T/k.tree"
	n=$(wc -l <"$T/k.tree")
	kill -$sig $sp
	timeout 15 sh -c "while kill -0 $sp 2>/dev/null; do sleep 0.1; done"
	kill -KILL $sp 2>/dev/null
	wait $sp; rc=$?
	case $sig in INT) want=130;; TERM) want=143;; HUP) want=129;; KILL) want=137;; esac
	[ $rc = $want ] && ok "SIG$sig to the local end mid-transfer: exit $rc" || ko "SIG$sig exit" "exit $rc, want $want; $(errtxt)"
	i=0
	while [ $i -lt 100 ] && [ -n "$(alive "$T/k.tree")" ]; do sleep 0.1; i=$((i + 1)); done
	left=$(alive "$T/k.tree" | tr '\n' ';')
	[ -z "$left" ] && ok "SIG$sig: all $n processes of both ends gone within $((i / 10)) s" || ko "SIG$sig orphans" "still running: $left"
done
# SIGKILL with the built-in relays (no -i, no -o): the relay processes are
# forks of the local end, not commands
rmf
"$SP" -l { "$L" x } -r { sh -c "echo >$T/started; exec cat" } </dev/zero >/dev/null 2>"$T/err" &
sp=$!
if waitfile "$T/started" 15; then
	sleep 0.5
	tree $sp >"$T/k.tree"
	n=$(wc -l <"$T/k.tree")
	kill -KILL $sp
	wait $sp 2>/dev/null
	i=0
	while [ $i -lt 100 ] && [ -n "$(alive "$T/k.tree")" ]; do sleep 0.1; i=$((i + 1)); done
	left=$(alive "$T/k.tree" | tr '\n' ';')
	[ -z "$left" ] && ok "SIGKILL to the local end with its own relays: all $n processes gone within $((i / 10)) s" ||
		ko "SIGKILL relays orphans" "still running after 10 s: $left"
	alive "$T/k.tree" | while read -r p rest; do kill -TERM "$p"; done
else
	ko "SIGKILL relays" "the transfer did not start; $(errtxt)"; kill -TERM $sp; wait $sp
fi
# the far end's socketpipe gets SIGTERM mid-transfer
rmf
"$SP" -i { sh -c "echo >$T/started; exec cat /dev/zero" } -l { "$L" x } -r { cat } -o { sh -c 'exec cat >/dev/null' } \
	</dev/null >/dev/null 2>"$T/err" &
sp=$!
if waitfile "$T/started" 15; then
	sleep 0.5
	tree $sp >"$T/k.tree"
	far=$(while read -r p s; do tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -q "^socketpipe -S" && echo "$p"; done <"$T/k.tree" | head -1)
	if [ -n "$far" ]; then
		kill -TERM "$far"
		timeout 20 sh -c "while kill -0 $sp 2>/dev/null; do sleep 0.1; done"
		kill -TERM $sp 2>/dev/null
		wait $sp; rc=$?
		[ $rc != 0 ] && [ $rc != 124 ] && ! kill -0 $sp 2>/dev/null && ok "SIGTERM to the far end mid-transfer: the local end ends, exit $rc" ||
			ko "far SIGTERM" "exit $rc"
		i=0
		while [ $i -lt 100 ] && [ -n "$(alive "$T/k.tree")" ]; do sleep 0.1; i=$((i + 1)); done
		left=$(alive "$T/k.tree" | tr '\n' ';')
		[ -z "$left" ] && ok "SIGTERM to the far end: no process left on either end" || ko "far SIGTERM orphans" "still running: $left"
	else
		ko "far SIGTERM" "no far socketpipe found in the tree"; kill $sp; wait $sp
	fi
else
	ko "far SIGTERM" "the transfer did not start"; kill $sp; wait $sp
fi
fi

finish

#!/bin/sh
# tests/adversary.sh: socketpipe against the strangers of the README's
# security section, end to end with the real binary:
#     sh tests/adversary.sh [SOCKETPIPE]        default: ./socketpipe
# As root; the whole run moves into a network namespace of its own (only
# its loopback), so the port scan and the floods reach nobody else.
# The far end runs here through a stand-in login that sets SSH_CONNECTION,
# as in tests/run; the strangers are fuzz/knock.c.  One PASS/FAIL line per
# check; a section left out by ADV_ONLY (a list of section names: wrong
# stranger replay loris scan secret garbage local flood signals) says
# "SKIP name", counted apart; last line "N passed, N failed".

top=$(cd "$(dirname "$0")/.." && pwd)
SP=$(cd "$(dirname "${1:-$top/socketpipe}")" && pwd)/$(basename "${1:-$top/socketpipe}")

pass=0
fail=0
skip=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
ko() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
finish() {
	[ $skip = 0 ] || echo "($skip sections skipped)"
	echo "$pass passed, $fail failed"
	[ $fail = 0 ]
	exit
}

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
cc -O2 -Wall -Wextra -Werror -o "$T/knock" "$top/fuzz/knock.c" 2>"$T/cc.err" || { ko setup "cannot build fuzz/knock.c: $(head -c 200 "$T/cc.err")"; finish; }
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
#   ADV_TEE=1          copy the secret (the first word of the first line on
#                      stdin, the set-up line) to $T/secret on the way
#   ADV_WRONG=1        hand the far end a wrong secret instead (the rest of
#                      the line as it was)
# It exports ADV_PORT and ADV_LOCAL (the local end's pid: the login's
# parent) to those commands, and writes the listening port to $T/port.  The
# port is the local end's listening socket's, as root sees it with ss: the
# far command line does not have it (2.1), and must not.
cat >"$T/login" <<EOF
#!/bin/sh
shift
cmd="\$*"
ADV_LOCAL=\$PPID
ADV_PORT=\$(ss -Hltnp | sed -n "s/.*:\\([0-9]*\\) .*pid=\$PPID,.*/\\1/p" | head -n 1)
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
IFS= read -r line
s=\${line%% *}
rest=\${line#"\$s"}
printf '%s\n' "\$s" >"$T/secret"
[ -n "\$ADV_WRONG" ] && s=\$(printf '%s' "\$s" | tr 0-9a-f 1-9a-f0)
{ printf '%s%s\n' "\$s" "\$rest"; exec cat; } | sh -c "\$cmd"
EOF
chmod +x "$T/login"
L=$T/login

# t NAME SECS CMD...: runs CMD with a bound; rc in $rc, stdout in $T/out,
# stderr in $T/err, milliseconds taken in $ms.  A CMD that hits the bound
# fails, and rc is "hang", so no check that reads rc can pass after it
# (what the killed command would have said does not count); what it
# started is killed too (by its ADV_RUN mark, see marked).
# milliseconds (10 ms steps) from /proc/uptime: BusyBox date has no %N
now() {
	read -r u _ </proc/uptime
	f=${u#*.}
	echo $((${u%.*} * 1000 + ${f#0} * 10))
}
tn=0
t() {
	name=$1 lim=$2
	shift 2
	tn=$((tn + 1))
	m0=$(now)
	ADV_RUN="$T:t$tn:" timeout -k 2 "$lim" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	ms=$(($(now) - m0))
	# (coreutils timeout says 124, BusyBox's 143: judge by the clock)
	if [ $ms -ge $((lim * 1000 - 50)) ]; then
		ko "$name" "did not end within $lim s"
		rc=hang
		for p in $(marked "$T:t$tn:"); do kill -KILL "$p" 2>/dev/null; done
	fi
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
	ADV_RUN="$T:bg:" "$SP" -i { sh -c "$1" } -l { env ADV_TEE=1 "$L" x } -r { cat } -o { sh -c "cat >$T/k.got" } \
		</dev/null >/dev/null 2>"$T/err" &
	sp=$!
	waitfile "$T/started" 15 && waitfile "$T/secret" 1
}

# bg_intact PID IN WHAT: waits (30 s at most) for the background socketpipe
# PID, which must exit 0 having delivered IN to $T/k.got intact.
bg_intact() {
	if ! reap "$1" 30; then
		ko "$3 transfer" "the local end did not end within 30 s (killed by the test)"
	elif [ $rc = 0 ] && cmp -s "$2" "$T/k.got"; then
		ok "$3: the transfer under way is intact"
	else
		ko "$3 transfer" "exit $rc; $(errtxt)"
	fi
}

# reap PID SECS: waits for the background PID, SECS at most, and puts its
# status in rc.  False when PID outlived SECS: then rc is "hang", and PID
# and what it started are killed.  A hang is a failure: a status that the
# test's own kill caused must never pass for the program's.
reap() {
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt $(($2 * 10)) ]; do sleep 0.1; i=$((i + 1)); done
	if kill -0 "$1" 2>/dev/null; then
		tree "$1" >"$T/k.hung"
		kill -KILL "$1" 2>/dev/null
		wait "$1"
		sweep "$T/k.hung"
		rc=hang
		return 1
	fi
	wait "$1"
	rc=$?
}
# stop PID: ends a background socketpipe whose test could not go on.
stop() { kill -TERM "$1" 2>/dev/null; reap "$1" 5; }

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
	[ -f "$1" ] || return 0
	while read -r p s; do
		st=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null)
		[ -n "$st" ] || continue
		[ "$(echo "$st" | cut -d' ' -f20)" = "$s" ] || continue
		[ "${st%% *}" = Z ] && continue
		echo "$p $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | head -c 60)"
	done <"$1"
}
# marked MARK: the pids of the processes with ADV_RUN=MARK in their
# environment: everything a run started that did not clear it, even what
# left its tree (only the run's command is given the variable, not this
# shell nor knock; knock, since grep stops at a NUL under BusyBox)
marked() {
	printf 'ADV_RUN=%s\n' "$1" | "$K" has /proc/[0-9]*/environ | sed 's|^/proc/\([0-9]*\)/environ$|\1|'
}
# leftover LIST MARK: what still runs of a run: the entries of its tree
# list still alive, and the processes marked MARK.
leftover() {
	{
		alive "$1"
		for p in $(marked "$2"); do
			echo "$p $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | head -c 60)"
		done
	} | sort -u -k1,1
}
# sweep LIST [MARK]: kills what still runs of a run (after its check: these
# are the test's own processes, found by pid and start time, or by mark).
sweep() {
	{ alive "$1"; [ -z "$2" ] || marked "$2"; } | while read -r p _; do kill -KILL "$p" 2>/dev/null; done
}
# sec NAME: true when ADV_ONLY (a list of section names) is empty or has
# NAME; otherwise prints "SKIP NAME", and the skip is counted apart
sec() {
	case " ${ADV_ONLY:-$1} " in *" $1 "*) return 0;; esac
	echo "SKIP $1"
	skip=$((skip + 1))
	return 1
}
rmf() { rm -f "$T/port" "$T/secret" "$T/started" "$T"/k.* ; }

# --- a baseline: the same transfer with nobody else around
rmf
t baseline 30 "$SP" -l { "$L" x } -r { cat } <"$T/in"
same "baseline: 64 KiB through the stand-in login" "$T/in"
base=$ms
echo "    (baseline took $base ms)"

# --- a far end with a wrong secret: refused, nothing runs
if sec wrong; then
rmf
t "wrong secret" 20 env ADV_WRONG=1 "$SP" -t 3 -l { "$L" x } -r { sh -c "touch $T/k.ran; cat" } <"$T/in"
if [ $rc = 123 ]; then ok "far end with a wrong secret: exit 123"; else ko "wrong secret" "exit $rc, want 123; $(errtxt)"; fi
[ "$rc" != hang ] && [ ! -e "$T/k.ran" ] && [ ! -s "$T/out" ] && ok "wrong secret: the remote command never ran, no data moved" ||
	ko "wrong secret ran" "remote ran, output came, or it hung"
within "wrong secret: ends within -t 3 and a margin" 7000
grep -q "wrong secret" "$T/err" && ok "wrong secret: says so on stderr" || ko "wrong secret message" "$(errtxt)"
fi

# stranger NAME FILE: judges what a "knock hello ADDR PORT wrong" printed:
# the stranger got the challenge (49 bytes of hex and a newline) and not
# a byte more, and its made-up tag got it closed (within knock's wait).
stranger() {
	if grep -q "^result=closed challenge=49 form=ok after=0 " "$2"; then
		ok "$1: only the 49-byte challenge, closed after its made-up tag, no data"
	else
		ko "$1" "$(cat "$2")"
	fi
}
# knock_ms FILE: the ms= of a knock result line
knock_ms() { sed -n 's/.* ms=\([0-9]*\)$/\1/p' "$1"; }

# --- strangers before the far end: one with 2.0's hello (a wrong magic
# now), one that speaks the 2.1 handshake but has no secret
if sec stranger; then
rmf
hx=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
t "stranger secret" 30 env ADV_FG="$K send 127.0.0.1 \$ADV_PORT 'socketpipe2 $hx
' 0 3000 >$T/k.send; $K hello 127.0.0.1 \$ADV_PORT wrong 3000 >$T/k.hello" "$SP" -l { "$L" x } -r { cat } <"$T/in"
same "strangers first (a 2.0 hello, a 2.1 hello with a made-up tag): transfer intact" "$T/in"
if grep -q "^result=closed sent=45 reply=0 " "$T/k.send" && [ "$(knock_ms "$T/k.send")" -lt 1000 ]; then
	ok "stranger with 2.0's hello (a wrong magic): closed at once, never answered"
else
	ko "stranger wrong magic" "$(cat "$T/k.send")"
fi
stranger "stranger with a well-formed hello and a made-up tag" "$T/k.hello"
fi

# --- a second connection mid-transfer (a replay of the far end's hello, or
# anyone's): refused, since the listener is closed once the far end is in
if sec replay; then
rmf
if bg_start "cat $T/in; echo >$T/started; sleep 2; cat $T/in2" && grep -q '^[0-9][0-9]*$' "$T/port"; then
	for a in 127.0.0.1 ::1; do
		"$K" hello $a "$(cat "$T/port")" wrong 2000 >"$T/k.replay"
		case $(cat "$T/k.replay") in
		result=refused*) ok "a hello to $a mid-transfer: refused (the listener is closed)";;
		*) ko "replay $a" "$(cat "$T/k.replay")";;
		esac
	done
else
	ko "replay" "the transfer did not start, or no secret or port was captured"
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
		leak="$leak $("$K" has "/proc/$p/cmdline" "/proc/$p/environ" <"$T/secret" | tr '\n' ' ')"
	done <"$T/k.tree"
	leak=$(echo $leak)
	# every process on the machine, as a stranger with ps would look (the
	# pattern comes on stdin: in an argument it would be in knock's own
	# cmdline; knock, not grep, since BusyBox grep stops at the first NUL)
	all=$("$K" has /proc/[0-9]*/cmdline /proc/[0-9]*/environ <"$T/secret" | tr '\n' ' ')
	{ ps -eww -o args 2>/dev/null || ps -o args; } >"$T/k.ps"
	pss=$(grep -c -F -f "$T/secret" "$T/k.ps")
	[ -s "$T/k.ps" ] || pss=no-ps-output
	if [ ${#s} = 32 ] && [ "$nsp" -ge 2 ] && [ -z "$leak$all" ] && [ "$pss" = 0 ]; then
		ok "secret in no cmdline or environ of the $nsp socketpipe processes (both ends) nor of any process; not in ps"
	else
		ko "secret exposure" "secret '${#s}' chars, $nsp socketpipe processes, found in:$leak $all; ps lines $pss"
	fi
	# the port is no secret, but in an argv it tells every user of the far
	# machine where to wait for the far end (issue 11): in none of them
	port=$(cat "$T/port")
	inargv=
	while read -r p st; do
		a=$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)
		printf '%s\n' "$a" | grep -q -w -e "$port" && inargv="$inargv [$p: $(printf '%s' "$a" | head -c 80)]"
	done <"$T/k.tree"
	if ! printf '%s\n' "$port" | grep -q '^[0-9][0-9]*$'; then
		ko "port in argv" "no listening port found: '$port'"
	elif [ -z "$inargv" ]; then
		ok "the listening port ($port) is in no argv of the $(wc -l <"$T/k.tree") processes of both ends"
	else
		ko "port in argv" "$port in:$inargv"
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
NB="setpriv --reuid=65534 --regid=65534 --clear-groups"
t "local user" 30 env ADV_FG="$NB $K hello 127.0.0.1 \$ADV_PORT wrong 3000 >$T/k.nb; $NB ls /proc/\$ADV_LOCAL/fd >$T/k.fd 2>&1; $NB cat /proc/\$ADV_LOCAL/environ >$T/k.env 2>&1; echo \$? >$T/k.envrc; $NB $K send ::1 \$ADV_PORT socketpipe3 0 3000 >$T/k.nb2; $NB $K hello ::1 \$ADV_PORT none 3000 >$T/k.nb3" \
	"$SP" -l { "$L" x } -r { cat } <"$T/in"
same "local user (nobody) connects first: transfer intact" "$T/in"
stranger "local user's guessed hello" "$T/k.nb"
grep -q "^result=closed.* reply=0 " "$T/k.nb2" && ok "local user's half hello (magic, then silence) over ::1: closed within the slot time" ||
	ko "local user half hello" "$(cat "$T/k.nb2")"
grep -q "^result=closed challenge=49 form=ok after=0 " "$T/k.nb3" &&
	ok "local user's hello, then silence instead of a tag, over ::1: closed within the slot time, no data" ||
	ko "local user silent after the challenge" "$(cat "$T/k.nb3")"
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
# (the strangers end by themselves within 6 s, or with the login: wait
# for them, not for their report, which a stopped one never writes)
i=0
while [ $i -lt 100 ] && [ -n "$(marked "$T:t$tn:")" ]; do sleep 0.1; i=$((i + 1)); done
echo "    (flood: $(cat "$T/k.f1" "$T/k.f2" 2>/dev/null | tr '\n' ' ')$([ -s "$T/k.f1" ] || echo 'the strangers were stopped with the login'))"
rmf
t "burst" 60 env ADV_BG="$K flood 127.0.0.1 \$ADV_PORT 1500 1000 silent >$T/k.f1" ADV_SLEEP=0.5 \
	"$SP" -l { "$L" x } -r { cat } <"$T/in"
same "a burst of 1000 connections held open at once: transfer intact" "$T/in"
within "burst: bounded delay" $((500 + base + 6000))
fi

# --- signals to the local end stop both ends, nothing left behind
# sigrow SIG WHAT IN CMD...: starts CMD (a socketpipe whose input or remote
# command writes $T/started) in the background, stdin from IN, marked with
# ADV_RUN; sends SIG to it once started; it must end within 15 s with
# 128+N (for KILL that is the kernel's, so the check that matters is the
# next), and then within 10 s no process of either end may be left: not
# in the tree it had, not marked.
sigrow() {
	sig=$1 what=$2 in=$3
	shift 3
	rmf
	ADV_RUN="$T:$sig-$what:" "$@" <"$in" >/dev/null 2>"$T/err" 3>&- &
	sp=$!
	if ! waitfile "$T/started" 15; then
		ko "SIG$sig $what" "the transfer did not start; $(errtxt)"
		stop $sp
		sweep /dev/null "$T:$sig-$what:"
		return
	fi
	sleep 0.5
	tree $sp >"$T/k.tree"
	n=$(wc -l <"$T/k.tree")
	kill -$sig $sp
	case $sig in INT) want=130;; TERM) want=143;; HUP) want=129;; KILL) want=137;; esac
	if ! reap $sp 15; then
		ko "SIG$sig $what exit" "the local end did not end within 15 s (killed by the test)"
		ko "SIG$sig $what orphans" "not judged: the test killed what the local end left"
		sweep "$T/k.tree" "$T:$sig-$what:"
		return
	fi
	[ $rc = $want ] && ok "SIG$sig to the local end ($what): exit $rc" || ko "SIG$sig $what exit" "exit $rc, want $want; $(errtxt)"
	i=0
	while [ $i -lt 100 ] && [ -n "$(leftover "$T/k.tree" "$T:$sig-$what:")" ]; do sleep 0.1; i=$((i + 1)); done
	left=$(leftover "$T/k.tree" "$T:$sig-$what:" | tr '\n' ';')
	if [ -z "$left" ]; then
		ok "SIG$sig ($what): all $n processes of both ends gone within $((i / 10)) s"
	else
		ko "SIG$sig $what orphans" "still running after 10 s: $left"
		sweep "$T/k.tree" "$T:$sig-$what:"
	fi
}

if sec signals; then
for sig in INT TERM HUP KILL; do
	# mid-transfer: every part busy
	sigrow $sig busy /dev/null "$SP" -i { sh -c "echo >$T/started; exec cat /dev/zero" } -l { "$L" x } -r { cat } \
		-o { sh -c 'exec cat >/dev/null' }
done
# idle parts, which never end by themselves: socketpipe must end them.
# A part's own children too (issue 11, orphans): the local end can reach
# them after a signal it catches; after SIGKILL only the far end can (the
# local end is gone at once), so the local input there is a lone process.
for sig in INT TERM HUP; do
	sigrow $sig idle /dev/null "$SP" -i { sh -c "echo >$T/started; sleep 1001 | cat" } -l { "$L" x } \
		-r { sh -c 'sleep 1002 | cat' } -o { cat }
done
sigrow KILL idle /dev/null "$SP" -i { sh -c "echo >$T/started; exec sleep 1001" } -l { "$L" x } \
	-r { sh -c 'sleep 1002 | cat' } -o { cat }
# SIGKILL with the built-in relays (no -i, no -o): the relay processes are
# forks of the local end, not commands; one reads stdin: busy (/dev/zero),
# then idle (a fifo whose writer, fd 3 here, stays open and silent)
sigrow KILL relays-busy /dev/zero "$SP" -l { "$L" x } -r { sh -c "echo >$T/started; exec cat" }
mkfifo "$T/fifo"
exec 3<>"$T/fifo"
sigrow KILL relays-idle "$T/fifo" "$SP" -l { "$L" x } -r { sh -c "echo >$T/started; exec cat" }
exec 3>&-

# the far end's socketpipe gets SIGTERM mid-transfer: the local end must
# end by itself (not by the test's kill) with a failure status, and leave
# nothing behind
rmf
ADV_RUN="$T:far:" "$SP" -i { sh -c "echo >$T/started; exec cat /dev/zero" } -l { "$L" x } -r { cat } -o { sh -c 'exec cat >/dev/null' } \
	</dev/null >/dev/null 2>"$T/err" &
sp=$!
if waitfile "$T/started" 15; then
	sleep 0.5
	tree $sp >"$T/k.tree"
	far=$(while read -r p s; do tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -q "^socketpipe -S" && echo "$p"; done <"$T/k.tree" | head -n 1)
	if [ -n "$far" ]; then
		kill -TERM "$far"
		if ! reap $sp 20; then
			ko "far SIGTERM" "the local end did not end within 20 s (killed by the test)"
			ko "far SIGTERM orphans" "not judged: the test killed what the local end left"
		else
			[ $rc != 0 ] && ok "SIGTERM to the far end mid-transfer: the local end ends by itself, exit $rc" ||
				ko "far SIGTERM" "exit $rc; $(errtxt)"
			i=0
			while [ $i -lt 100 ] && [ -n "$(leftover "$T/k.tree" "$T:far:")" ]; do sleep 0.1; i=$((i + 1)); done
			left=$(leftover "$T/k.tree" "$T:far:" | tr '\n' ';')
			[ -z "$left" ] && ok "SIGTERM to the far end: no process left on either end" || ko "far SIGTERM orphans" "still running: $left"
		fi
	else
		ko "far SIGTERM" "no far socketpipe found in the tree"
		stop $sp
	fi
else
	ko "far SIGTERM" "the transfer did not start"
	stop $sp
fi
sweep "$T/k.tree" "$T:far:"
fi

finish

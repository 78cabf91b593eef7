#!/bin/sh
# tests/trust.sh: the cases of the issue "Trust" (a hijack, transfers lost
# or reported wrong, messages that point the wrong way), each check named
# "trust N: ..." after the issue's case N.  Runs under dash, BusyBox ash and
# bash, as root (network namespaces, a private sshd):
#     sh tests/trust.sh [SOCKETPIPE]        default: ./socketpipe
# Ends with one line "N passed, N failed".

top=$(cd "$(dirname "$0")/.." && pwd)
SP=$(cd "$(dirname "${1:-$top/socketpipe}")" && pwd)/$(basename "${1:-$top/socketpipe}")
. "$top/tests/logins.sh"
. "$top/tests/harness.sh"

T=$(mktemp -d /tmp/sp-trust.XXXXXX) || exit 1
chmod 755 "$T"
B=$T/bin
mkdir -p "$B" "$T/d" "$T/pub"
chmod 777 "$T/pub"
# util-linux's and iproute2's by path: BusyBox ash would run its own applets
for IP in /usr/sbin/ip /sbin/ip /usr/bin/ip /bin/ip; do [ -x $IP ] && break; done
for SETSID in /usr/bin/setsid /bin/setsid; do [ -x $SETSID ] && break; done
NS=sptrust$$
cleanup() {
	logins_stop >/dev/null 2>&1
	$IP netns del $NS 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -x "$SP" ] || { ko setup "no executable $SP (run make)"; finish; }
ln -s "$SP" "$B/socketpipe"
cc -O2 -o "$T/nonblock" "$top/tests/nonblock.c" || { ko setup "cannot build tests/nonblock.c"; finish; }

standin "$T/lo" "$B"
LO=$T/lo

rc_is() {
	if [ "$rc" = "$2" ]; then ok "$1"; else ko "$1" "exit $rc, want $2; stderr: $(errtxt)"; fi
}
# pids_of TEXT: pids whose command line (words joined by spaces) is TEXT
pids_of() {
	for d in /proc/[0-9]*; do
		[ "$(tr '\0' ' ' 2>/dev/null <"$d/cmdline")" = "$1 " ] && echo "${d#/proc/}"
	done
}
# gone TEXT SECS: true once no process has the command line TEXT (waits SECS)
gone() {
	i=0
	while [ $i -lt $(($2 * 10)) ] && [ -n "$(pids_of "$1")" ]; do sleep 0.1; i=$((i + 1)); done
	[ -z "$(pids_of "$1")" ]
}
# alive PID...: the pids given that still run (zombies count as gone)
alive() {
	for p in "$@"; do
		s=$(cat "/proc/$p/stat" 2>/dev/null) || continue
		s=${s##*) }
		case $s in Z*|X*) ;; *) echo "$p" ;; esac
	done
}
# children: the pids whose parent is $P
children() {
	for d in /proc/[0-9]*; do
		s=$(cat "$d/stat" 2>/dev/null) || continue
		s=${s##*) }
		set -- $s
		[ "$2" = "$P" ] && echo "${d#/proc/}"
	done
}
echo "through the stand-in" >"$T/msg"

# --- 1. a user on the far machine cannot take a transfer over (-c far:
# since 2.2 the local end would otherwise reach the far end itself).  Two
# network namespaces stand for the two machines: the local end's (veth
# 10.9.7.1) and the far one ($NS, 10.9.7.2), from which 10.9.7.1 cannot be
# reached (NAT, a firewall), as with rsh and no SSH environment.  A user
# nobody of the far machine listens on its loopback at the local end's port
# (it saw it somewhere), says "ok" and sends bytes, and records what it gets.
if $IP netns add $NS 2>"$T/err"; then
cat >"$T/farlogin" <<EOF
#!/bin/sh
# rsh into the far namespace; first starts the intruder there
shift
port=\$(ss -Hltnp | sed -n "s/.*:\\([0-9][0-9]*\\) .*pid=\$PPID,.*/\\1/p" | head -n 1)
$IP netns exec $NS setpriv --reuid=nobody --regid=nogroup --clear-groups \\
	socat -T 10 TCP-LISTEN:\$port,bind=127.0.0.1,reuseaddr SYSTEM:"echo ok; printf EVIL; cat >$T/pub/intruder.got" 2>/dev/null &
echo \$! >"$T/intruder.pid"
i=0
while [ \$i -lt 50 ] && ! $IP netns exec $NS ss -Hltn "sport = :\$port" | grep -q .; do sleep 0.1; i=\$((i + 1)); done
IFS= read -r l
printf '%s\n' "\$l" >"$T/cfgline"
{ printf '%s\n' "\$l"; exec cat; } | $IP netns exec $NS env -u SSH_CONNECTION -u SSH_CLIENT PATH="$B:\$PATH" sh -c "\$*"
EOF
chmod +x "$T/farlogin"
for how in "no -h" "-h 127.0.0.1"; do
	rm -f "$T/pub/intruder.got" "$T/far.got" "$T/cfgline"
	set --
	[ "$how" = "no -h" ] || set -- -h 127.0.0.1
	$IP -n $NS link del v1 2>/dev/null	# the last run's, if the kernel has not yet
	t "trust 1 $how" 30 unshare -n sh -c "$IP link set lo up && $IP link add v0 type veth peer name v1 netns $NS &&
		$IP addr add 10.9.7.1/24 dev v0 && $IP link set v0 up && $IP -n $NS link set lo up &&
		$IP -n $NS addr add 10.9.7.2/24 dev v1 && $IP -n $NS link set v1 up &&
		$IP -n $NS route replace unreachable 10.9.7.1/32 && exec \"\$@\"" sh \
		"$SP" -t 4 -c far "$@" -l { "$T/farlogin" x } -r { sh -c "cat >$T/far.got" } <"$T/msg"
	kill "$(cat "$T/intruder.pid" 2>/dev/null)" 2>/dev/null
	sec=$(cut -d' ' -f1 "$T/cfgline" 2>/dev/null)
	[ ${#sec} = 32 ] || ko "trust 1 ($how) setup" "no secret seen on the login channel"
	if [ -s "$T/far.got" ] && grep -q EVIL "$T/far.got"; then
		ko "trust 1: ($how) a far user on its loopback feeds nothing to the remote command" "it got: $(head -c 80 "$T/far.got")"
	else ok "trust 1: ($how) a far user on its loopback feeds nothing to the remote command"; fi
	if [ ${#sec} = 32 ] && grep -q "$sec" "$T/pub/intruder.got" 2>/dev/null; then
		ko "trust 1: ($how) a far user on its loopback never sees the secret" "it got the secret"
	else ok "trust 1: ($how) a far user on its loopback never sees the secret"; fi
	[ $rc = 122 ] && ok "trust 1: ($how) no local end reachable: 122 within -t" || ko "trust 1 ($how) status" "exit $rc; $(errtxt)"
done
[ -s "$T/pub/intruder.got" ] && ! grep -q "$sec" "$T/pub/intruder.got" &&
	ok "trust 1: with -h 127.0.0.1 the far end talked to the intruder and showed it only a nonce" ||
	ko "trust 1: -h 127.0.0.1 reached the intruder" "it got: $(head -c 80 "$T/pub/intruder.got" 2>/dev/null)"
$IP netns del $NS
else
	ko "trust 1: setup" "cannot add a network namespace: $(errtxt)"
fi
# and nothing an intruder could use is in the far argv any more
cat >"$T/spyargv" <<EOF
#!/bin/sh
shift
printf '%s' "\$*" >"$T/farcmd"
exec "$LO" x "\$@"
EOF
chmod +x "$T/spyargv"
t "trust 1 argv" 30 "$SP" -l { "$T/spyargv" x } -r { cat } <"$T/msg"
port=$(grep -o "'-S' '[0-9]*'" "$T/farcmd")
[ $rc = 0 ] && [ -z "$port" ] && ! grep -q "[0-9a-f]\{32\}" "$T/farcmd" &&
	ok "trust 1: the far command line holds no port and no secret: $(cat "$T/farcmd")" || ko "trust 1 argv" "exit $rc: $(cat "$T/farcmd")"

# --- 4. a paused consumer is not a dead link: consumers asleep for 10 x -t
# on either side get every byte (32 MiB: more than both socket buffers)
head -c 33554432 /dev/urandom >"$T/big"
t "trust 4 far" 60 "$SP" -t 1 -i { cat "$T/big" } -l { $LO x } -r { sh -c "sleep 10; exec cat >$T/got" }
same "trust 4: a remote consumer paused 10 x -t gets every byte" "$T/big" "$T/got"
t "trust 4 local" 60 "$SP" -t 1 -l { $LO x } -r { cat "$T/big" } -o { sh -c "sleep 10; exec cat >$T/got" } </dev/null
same "trust 4: a local consumer paused 10 x -t gets every byte" "$T/big" "$T/got"
t "trust 4 relay" 60 sh -c "cat '$T/big' | '$SP' -t 1 -l { $LO x } -r { sh -c 'sleep 10; exec cat >$T/got' }"
same "trust 4: relay mode, remote consumer paused 10 x -t: every byte" "$T/big" "$T/got"

# ... but a peer that dies during a long pause (12 s, the kernel's window
# probes then come seconds apart) is found within about 4 x -t of the cut
t "trust 4 dies" 60 unshare -n sh -c "$IP link set lo up && { (sleep 12; $IP link set lo down) & } && exec \"\$@\"" sh \
	"$SP" -t 2 -i { cat "$T/big" } -l { $LO x } -r { sh -c 'sleep 100; cat >/dev/null' }
[ $rc = 121 ] && [ $ms -le 21000 ] && [ "$(grep -c 'socketpipe: ' "$T/err")" = 1 ] &&
	ok "trust 4: a peer dead in a long pause: 121, $((ms / 1000 - 12)) s after the cut with -t 2, one line" ||
	ko "trust 4 dies" "exit $rc in $ms ms (cut at 12 s): $(errtxt)"

# --- 5. a live remote command is not a lost link: -o ended, input done,
# the remote command runs 10 s more than -t and its status is the result
t "trust 5" 30 "$SP" -t 3 -i { echo x } -l { $LO x } -r { sh -c 'cat; sleep 10; exit 5' } -o { head -c 1 }
rc_is "trust 5: a remote command that outlives -o by 10 s with -t 3: its status 5" 5

# --- 6. a slow input part is not killed; one whose reader went away gets
# SIGPIPE from the kernel, as in a pipe
t "trust 6" 30 "$SP" -i { sh -c 'sleep 4' } -l { $LO x } -r { true } -o { cat }
rc_is "trust 6: an input part that ends on its own after 4 s: 0, as with pipefail" 0
t "trust 6 pipe" 30 "$SP" -i { sh -c 'sleep 3; exec yes' } -l { $LO x } -r { true } -o { cat }
rc_is "trust 6: an input part that writes after its reader is gone: SIGPIPE (141)" 141

# --- 8. O_NONBLOCK left on our stdin and stdout: the relays wait for them
head -c 20000000 /dev/urandom >"$T/in20"
# (bounded: a relay that spins or hangs on EAGAIN fails, as 124 or 137)
cat "$T/in20" | { timeout -k 2 60 "$T/nonblock" "$SP" -l { $LO x } -r { cat } 2>"$T/err"; echo $? >"$T/rc"; } | cat >"$T/got"
rc=$(cat "$T/rc")
same "trust 8: non-blocking stdin and stdout (pipes): 20 MB through, exit 0" "$T/in20" "$T/got"
rm -f "$T/in20"

# --- 9. no orphans: a local part's whole tree goes on SIGTERM; on SIGKILL
# the relays (blocked on an idle fifo) die with the local end
s9="sleep 2$$"
$SETSID "$SP" -i { sh -c "$s9 | cat" } -l { $LO x } -r { cat } -o { cat } </dev/null >/dev/null 2>"$T/err" &
sp=$!
i=0; while [ $i -lt 50 ] && [ -z "$(pids_of "$s9")" ]; do sleep 0.1; i=$((i + 1)); done
kill -TERM $sp
wait $sp; rc=$?
[ $rc = 143 ] && gone "$s9" 5 && ok "trust 9: SIGTERM: the input part's whole pipeline is gone (exit $rc)" ||
	ko "trust 9 SIGTERM" "exit $rc, left: $(pids_of "$s9")"
for p in $(pids_of "$s9"); do kill "$p"; done
rm -f "$T/fifo"; mkfifo "$T/fifo"
sleep 60 >"$T/fifo" &
w=$!
"$SP" -l { $LO x } -r { cat } <"$T/fifo" >/dev/null 2>"$T/err" &
sp=$!
sleep 1
P=$sp
kids=$(children)
kill -KILL $sp
wait $sp 2>/dev/null
i=0; while [ $i -lt 50 ] && [ -n "$(alive $kids)" ]; do sleep 0.1; i=$((i + 1)); done
[ -n "$kids" ] && [ -z "$(alive $kids)" ] && ok "trust 9: SIGKILL: the local end's children ($(echo $kids)) are gone" ||
	ko "trust 9 SIGKILL" "children $(echo $kids), alive: $(alive $kids)"
kill $w 2>/dev/null
for p in $(alive $kids); do kill "$p"; done

# --- 10. a descriptor limit of 18, and one too small for anything
t "trust 10" 20 sh -c 'ulimit -n 18 && exec "$@"' sh "$SP" -t 5 -l { $LO x } -r { cat } <"$T/msg"
same "trust 10: ulimit -n 18: the transfer works" "$T/msg" "$T/out"
[ $ms -lt 4000 ] && ok "trust 10: ulimit -n 18: no wait ($ms ms)" || ko "trust 10 time" "$ms ms"
t "trust 10 login" 20 sh -c 'ulimit -n 18 && exec "$@"' sh "$SP" -t 8 -l { false } -r { cat } <"$T/msg"
[ $rc = 121 ] && [ $ms -lt 2000 ] && ok "trust 10: ulimit -n 18: a login that fails is seen at once (121 in $ms ms)" || ko "trust 10 login" "exit $rc in $ms ms"
sh -c 'ulimit -n 18 && exec "$@"' sh "$SP" -t 8 -l { sh -c 'sleep 30' } -r { cat } </dev/null 2>/dev/null &
sp=$!
sleep 1
m0=$(now)
kill -TERM $sp
timeout 5 sh -c "while kill -0 $sp 2>/dev/null; do sleep 0.05; done"
ms=$(($(now) - m0))
kill -KILL $sp 2>/dev/null
wait $sp; rc=$?
[ $rc = 143 ] && [ $ms -lt 2000 ] && ok "trust 10: ulimit -n 18: SIGTERM during set-up ends it (143 in $ms ms)" || ko "trust 10 signal" "exit $rc in $ms ms"
t "trust 10 tiny" 20 sh -c 'ulimit -n 7 && exec "$@"' sh "$SP" -t 5 -l { $LO x } -r { cat } <"$T/msg"
[ $rc = 120 ] && [ "$(grep -c '^socketpipe: ' "$T/err")" = 1 ] && [ $ms -lt 3000 ] &&
	ok "trust 10: ulimit -n 7: 120 at once, one line: $(errtxt)" || ko "trust 10 tiny" "exit $rc in $ms ms: $(errtxt)"

# --- 12. a login that does not pass stdin through (ssh -n)
cat >"$T/lo-n" <<EOF
#!/bin/sh
shift
SSH_CONNECTION="127.0.0.1 1 127.0.0.1 22" PATH="$B:\$PATH" exec sh -c "\$*" </dev/null
EOF
chmod +x "$T/lo-n"
t "trust 12" 20 "$SP" -t 5 -l { "$T/lo-n" x } -r { cat } <"$T/msg"
rc_is "trust 12: a login that closes stdin: 125, not 123 (a wrong secret)" 125
grep -q "nothing on stdin: the login did not pass it" "$T/err" && ok "trust 12: ... and says the login did not pass stdin through" || ko "trust 12 message" "$(errtxt)"

# --- 14. a missing local login program is the login's fault
t "trust 14" 20 "$SP" -l { no-such-login-sp x } -r { cat } <"$T/msg"
[ $rc = 121 ] && grep -q "login command 'no-such-login-sp'" "$T/err" && ! grep -q "far PATH" "$T/err" &&
	ok "trust 14: a missing login program: 121, blamed on the login command: $(errtxt)" || ko "trust 14" "exit $rc: $(errtxt)"

# --- 15. the far end that cannot connect says so, with the address and port
t "trust 15" 20 unshare -n sh -c "$IP link set lo up && exec \"\$@\"" sh \
	"$SP" -t 3 -c far -h 10.255.255.1 -l { $LO x } -r { cat } <"$T/msg"
[ $rc = 122 ] && grep -q "far end to 10.255.255.1 port [0-9]*: unreachable" "$T/err" && ! grep -q "went away" "$T/err" &&
	ok "trust 15: an unreachable -h: the far end names it, its port and why" || ko "trust 15" "exit $rc: $(errtxt)"

# --- 17. nothing the local end started outlives it, the login's children too
s17="sleep 3$$"
t "trust 17" 20 $SETSID -w "$SP" -t 2 -l { sh -c "$s17; true" } -r { cat } </dev/null
[ $rc = 122 ] && gone "$s17" 3 && ok "trust 17: after 122 the login command's child is gone" || ko "trust 17" "exit $rc; left: $(pids_of "$s17")"
for p in $(pids_of "$s17"); do kill "$p"; done

# --- 18. -t is the bound: no connection within -t 3 ends within 3.7 s
t "trust 18" 20 "$SP" -t 3 -l { sh -c 'sleep 30' } -r { cat } </dev/null
[ $rc = 122 ] && [ $ms -le 3700 ] && ok "trust 18: -t 3 with no far end: 122 in $ms ms" || ko "trust 18" "exit $rc in $ms ms"

# --- 7. a login with a terminal (ssh -tt): the record ends in "\r\n", and
# the terminal's echo of our line (it holds the secret) is not shown
if logins_start "$T/d" "$B"; then
cat >"$T/ttlogin" <<EOF
#!/bin/sh
shift
IFS= read -r l
printf '%s\n' "\$l" >"$T/cfgline"
{ printf '%s\n' "\$l"; exec cat; } | ssh -F "$LOGIN_SSH_CONFIG" -tt 127.0.0.1 "\$@"
EOF
chmod +x "$T/ttlogin"
t "trust 7" 30 "$SP" -l { "$T/ttlogin" x } -r { cat } <"$T/msg"
same "trust 7: ssh -tt: the transfer is whole, exit 0" "$T/msg" "$T/out"
sec=$(cut -d' ' -f1 "$T/cfgline" 2>/dev/null)
[ ${#sec} = 32 ] && ! grep -q "$sec" "$T/err" && ok "trust 7: ssh -tt: the secret is not echoed to stderr" || ko "trust 7 echo" "secret '$sec' in: $(errtxt)"
t "trust 7 st" 30 "$SP" -l { "$T/ttlogin" x } -r { sh -c 'exit 7' } </dev/null
rc_is "trust 7: ssh -tt: the remote status comes through (7)" 7
else
	ko "trust 7: setup" "cannot start the login servers"
fi

finish

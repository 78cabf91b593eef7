#!/bin/sh
# tests/network.sh: the cases of the issue "Any network" (firewalls on
# either side, NAT, a port range, intruders on the far listener, the rate
# cap), each check named "network N: ..." after the issue's list:
#   1 local end drops inbound        2 far end drops inbound
#   3 both drop (the one error line) 4 far end drops outbound
#   5 a -p range the firewall opens  6 the local end behind NAT
#   7 intruders on the far listener  8 -L, direct and relay, both ways
#   9 case 1 through sshd, dropbear and an rsh-like login
# Runs under dash, BusyBox ash and bash, as root (network namespaces,
# nftables, private login servers):
#     sh tests/network.sh [SOCKETPIPE]        default: ./socketpipe
# Ends with one line "N passed, N failed".
#
# The machines are network namespaces joined by veth pairs, made here and
# deleted on exit (names end in $$):
#   L  10.77.1.1 --- 10.77.1.2  F        the local and the far machine
#   N  10.77.2.1 --- 10.77.2.254 R 10.77.3.254 --- 10.77.3.2  F
#                                        a local machine behind R's NAT
# The local socketpipe runs in L (or N); the far end runs in F, through a
# stand-in login (ip netns exec F, SSH_CONNECTION set as sshd would) or
# through the private sshd / dropbear of tests/logins.sh running in F.
# Firewalls are nftables rulesets inside L and F.  No traffic leaves these
# namespaces but the test's own.

top=$(cd "$(dirname "$0")/.." && pwd)
SP0=$(cd "$(dirname "${1:-$top/socketpipe}")" && pwd)/$(basename "${1:-$top/socketpipe}")
. "$top/tests/harness.sh"

# iproute2's ip and nft by path: BusyBox ash would run its own ip applet
for IP in /usr/sbin/ip /sbin/ip /usr/bin/ip /bin/ip; do [ -x $IP ] && break; done
for NFT in /usr/sbin/nft /sbin/nft /usr/bin/nft; do [ -x $NFT ] && break; done
for SETSID in /usr/bin/setsid /bin/setsid; do [ -x $SETSID ] && break; done

T=$(mktemp -d /tmp/sp-net.XXXXXX) || exit 1
chmod 755 "$T"
B=$T/bin
mkdir -p "$B" "$T/fd"
NL=spnl$$ NF=spnf$$ NN=spnn$$ NR=spnr$$
AL=10.77.1.1 AF=10.77.1.2 AN=10.77.2.1 ARN=10.77.2.254 ARF=10.77.3.254 AF2=10.77.3.2
holder=
cleanup() {
	if [ -n "$holder" ]; then
		kill -TERM "$holder" 2>/dev/null
		i=0
		while [ $i -lt 100 ] && kill -0 "$holder" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
		kill -KILL "$holder" 2>/dev/null
		wait "$holder" 2>/dev/null
	fi
	for ns in $NL $NF $NN $NR; do $IP netns del $ns 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" = 0 ] || { ko setup "must run as root (network namespaces, nftables)"; finish; }
[ -x "$SP0" ] || { ko setup "no executable $SP0 (run make)"; finish; }
[ -x "$NFT" ] || { ko setup "no nft: apt-get install nftables"; finish; }
# a private copy: a rebuild of the tree's binary mid-run must not change it
cp "$SP0" "$B/socketpipe" || { ko setup "cannot copy $SP0"; finish; }
SP=$B/socketpipe
cc -O2 -o "$T/hostile" "$top/tests/hostile.c" || { ko setup "cannot build tests/hostile.c"; finish; }

# --- the machines
net() {
	for ns in $NL $NF $NN $NR; do $IP netns add $ns || return 1; $IP -n $ns link set lo up || return 1; done
	$IP link add vl$$ netns $NL type veth peer name vf$$ netns $NF &&
	$IP -n $NL addr add $AL/24 dev vl$$ && $IP -n $NF addr add $AF/24 dev vf$$ &&
	$IP -n $NL link set vl$$ up && $IP -n $NF link set vf$$ up &&
	$IP link add vn$$ netns $NN type veth peer name vrn$$ netns $NR &&
	$IP link add vrf$$ netns $NR type veth peer name vff$$ netns $NF &&
	$IP -n $NN addr add $AN/24 dev vn$$ && $IP -n $NR addr add $ARN/24 dev vrn$$ &&
	$IP -n $NR addr add $ARF/24 dev vrf$$ && $IP -n $NF addr add $AF2/24 dev vff$$ &&
	$IP -n $NN link set vn$$ up && $IP -n $NR link set vrn$$ up &&
	$IP -n $NR link set vrf$$ up && $IP -n $NF link set vff$$ up &&
	$IP -n $NN route add default via $ARN &&
	$IP netns exec $NR sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward' &&
	# R: a home router: masquerade out, only replies come back in
	printf '%s\n' "table ip nat { chain cpost { type nat hook postrouting priority 100; oif vrf$$ masquerade; }; }" \
		"table inet f { chain cfwd { type filter hook forward priority 0; ct state established,related accept; iif vrn$$ accept; drop; }; }" |
		$IP netns exec $NR $NFT -f -
}
net 2>"$T/err" || { ko setup "cannot make the namespaces: $(head -c 300 "$T/err")"; finish; }

# fw NS RULES: replaces the ruleset of namespace NS by table inet f with the
# chains RULES ("" leaves no firewall)
fw() {
	$IP netns exec "$1" $NFT flush ruleset &&
	{ [ -z "$2" ] || printf 'table inet f { %s; }\n' "$2" | $IP netns exec "$1" $NFT -f -; } ||
		{ ko "setup" "nft in $1 failed: $2"; return 1; }
}
# chains: inbound new connections dropped (or rejected: $1 the verdict),
# replies and loopback let in; $2 extra accepts (a port range)
IN_DROP='chain cin { type filter hook input priority 0; ct state established,related accept; iif lo accept; drop; }'
in_rule() { echo "chain cin { type filter hook input priority 0; ct state established,related accept; iif lo accept; ${2:-} $1; }"; }
OUT_DROP='chain cout { type filter hook output priority 0; ct state established,related accept; oif lo accept; drop; }'
clear_fw() { fw $NL "" && fw $NF ""; }

# --- the far machine's login servers (tests/logins.sh, listening on F's
# veth addresses too), started now in the background: they are needed by
# cases 6 and 9 only
cat >"$T/farlogins" <<EOF
. "$top/tests/logins.sh"
LOGINS_LISTEN="$AF $AF2"
trap 'logins_stop; exit 0' TERM INT HUP
logins_start "$T/fd" "$B" || exit 1
{
	echo "FAR_SSH=\$LOGIN_SSH"
	echo "FAR_DB=\$LOGIN_DB"
	echo "FAR_RSH=\$LOGIN_RSH"
} >"$T/far.ready.tmp" && mv "$T/far.ready.tmp" "$T/far.ready"
i=0
while [ \$i -lt 900 ]; do
	sleep 1 &
	wait \$!
	i=\$((i + 1))
done
logins_stop
EOF
$IP netns exec $NF sh "$T/farlogins" </dev/null >"$T/far.log" 2>&1 &
holder=$!

# The stand-in login: drops the host word and runs the far command in F,
# with SSH_CONNECTION as sshd would set it for a login from L to F.
cat >"$T/lo" <<EOF
#!/bin/sh
shift
echo login >>"$T/logins"
exec $IP netns exec $NF env SSH_CONNECTION="$AL 40123 $AF 22" PATH="$B:\$PATH" sh -c "\$*"
EOF
chmod +x "$T/lo"
LO=$T/lo
INL="$IP netns exec $NL"

# quick NAME: passes when the last run ended 0 within 1.5 s of $base, the
# same transfer's time without a firewall
quick() {
	if [ "$rc" = 0 ] && [ $((ms - base)) -lt 1500 ]; then ok "$1: $ms ms against $base ms without the firewall"
	else ko "$1 time" "exit $rc in $ms ms against $base ms without the firewall (bound: 1500 ms more)"; fi
}
# fails NAME SECS: passes when rc is 122 (no data connection) within SECS
fails() {
	if [ "$rc" = 122 ] && [ $ms -le $(($2 * 1000)) ]; then ok "$1 (122 in $ms ms)"
	else ko "$1" "exit $rc in $ms ms, want 122; stderr: $(errtxt)"; fi
}

head -c 1048576 /dev/urandom >"$T/in"

# --- 1. the local end drops inbound new connections: the connection goes
# the other way, at once (not after -t)
clear_fw
t "network 1 base" 30 $INL "$SP" -t 5 -l { "$LO" x } -r { cat } <"$T/in"
base=$ms
same "network 1: no firewall: 1 MiB intact ($base ms)" "$T/in" "$T/out"
fw $NL "$IN_DROP"
rm -f "$T/logins"
t "network 1" 30 $INL "$SP" -t 5 -l { "$LO" x } -r { cat } <"$T/in"
same "network 1: local end drops inbound: 1 MiB intact ($ms ms)" "$T/in" "$T/out"
quick "network 1: local end drops inbound"
nl=$(wc -l <"$T/logins" 2>/dev/null)
[ "${nl:-0}" = 1 ] && ok "network 1: local end drops inbound: one login" || ko "network 1 logins" "${nl:-0} logins, want 1"
# (and the firewall holds: the far end alone cannot connect)
t "network 1 -c far" 15 $INL "$SP" -t 2 -c far -l { "$LO" x } -r { cat } <"$T/in"
fails "network 1: local end drops inbound: -c far fails (the firewall holds)" 3

# --- 2. the far end drops inbound new connections: the far end connects
fw $NL ""
fw $NF "$IN_DROP"
t "network 2" 30 $INL "$SP" -t 5 -l { "$LO" x } -r { cat } <"$T/in"
same "network 2: far end drops inbound: 1 MiB intact ($ms ms)" "$T/in" "$T/out"
t "network 2 -c local" 15 $INL "$SP" -t 2 -c local -l { "$LO" x } -r { cat } <"$T/in"
fails "network 2: far end drops inbound: -c local fails (the firewall holds)" 3

# --- 3. both drop (or reject): 122 within -t + 1 s, one line that names
# the attempts and what became of them, and points at a firewall
# (unreachable: a route, not an ICMP reject, which the kernel rate-limits
# into silence after a few attempts)
# (drop with -t 2 as well: an attempt still unanswered when -t ends is
# one that had no answer, not one never made)
for v in "drop:no answer:5" "drop:no answer:2" "reject with tcp reset:refused:3" "no route:unreachable:3"; do
	verdict=${v%%:*} word=${v#*:} ts=${v##*:}
	word=${word%:*}
	case $verdict in
	"no route") clear_fw && $IP -n $NL route add unreachable $AF/32 && $IP -n $NF route add unreachable $AL/32 ;;
	*) fw $NL "$(in_rule "$verdict")" && fw $NF "$(in_rule "$verdict")" ;;
	esac || ko "network 3 ($word, -t $ts) setup" "nft or ip failed"
	t "network 3 ($word, -t $ts)" 15 $INL "$SP" -t $ts -l { "$LO" x } -r { cat } <"$T/in"
	fails "network 3: both ends $verdict, -t $ts: 122 within -t + 1 s" $((ts + 1))
	line=$(head -n 1 "$T/err")
	n=$(wc -l <"$T/err")
	case $line in
	"socketpipe: no data connection within $ts s:"*) [ "$n" = 1 ] &&
		ok "network 3: both $verdict, -t $ts: one line on stderr: $line" ||
		ko "network 3 ($word, -t $ts) one line" "$n lines: $(errtxt)" ;;
	*) ko "network 3 ($word, -t $ts) one line" "not 'socketpipe: no data connection within $ts s:...': $(errtxt)" ;;
	esac
	case $line in
	*$AF*) case $line in *$AL*) ok "network 3: both $verdict, -t $ts: the line names both attempts ($AF and $AL)" ;;
		*) ko "network 3 ($word, -t $ts) attempts" "the far end's attempt to $AL is not named: $line" ;; esac ;;
	*) ko "network 3 ($word, -t $ts) attempts" "the local end's attempt to $AF is not named: $line" ;;
	esac
	case $line in
	*"$word"*) ok "network 3: both $verdict, -t $ts: the line says '$word'" ;;
	*) ko "network 3 ($word, -t $ts) outcome" "no '$word' in: $line" ;;
	esac
	case $line in
	*firewall*) ok "network 3: both $verdict, -t $ts: the line suggests a firewall" ;;
	*) ko "network 3 ($word, -t $ts) hint" "no 'firewall' in: $line" ;;
	esac
done
$IP -n $NL route del unreachable $AF/32
$IP -n $NF route del unreachable $AL/32

# --- 4. the far end drops outbound new connections: the local end connects
fw $NL ""
fw $NF "$OUT_DROP"
t "network 4" 30 $INL "$SP" -t 5 -l { "$LO" x } -r { cat } <"$T/in"
same "network 4: far end drops outbound: 1 MiB intact ($ms ms)" "$T/in" "$T/out"
quick "network 4: far end drops outbound"
t "network 4 -c far" 15 $INL "$SP" -t 2 -c far -l { "$LO" x } -r { cat } <"$T/in"
fails "network 4: far end drops outbound: -c far fails (the firewall holds)" 3

# --- 5. a -p range that is all the firewall opens
RANGE="tcp dport 40000-40010 accept;"
# the listening end opens only RANGE: the local end with -c far, the far
# end with -c local
for way in far local; do
	case $way in
	far) lsn=$NL other=$NF who="local end" ;;
	*) lsn=$NF other=$NL who="far end" ;;
	esac
	fw $other ""
	fw $lsn "$(in_rule drop "$RANGE")"
	t "network 5 $way" 30 $INL "$SP" -t 5 -c $way -p 40000-40010 -l { "$LO" x } -r { cat } <"$T/in"
	same "network 5: $who opens only 40000-40010: -c $way -p 40000-40010 works" "$T/in" "$T/out"
	t "network 5 $way no -p" 15 $INL "$SP" -t 2 -c $way -l { "$LO" x } -r { cat } <"$T/in"
	fails "network 5: $who opens only 40000-40010: -c $way without -p: 122" 3
done
fw $NL "$(in_rule drop "$RANGE")"
# one port, used again at once (the last run's closed connections are in
# TIME_WAIT on it), by either end's listener
for way in local far; do
	for run in 1 2; do
		t "network 5 again $way $run" 30 $INL "$SP" -t 5 -c $way -p 40010 -l { "$LO" x } -r { cat } <"$T/in"
		same "network 5: -c $way -p 40010, run $run of 2 back to back" "$T/in" "$T/out"
	done
done
t "network 5 both" 30 $INL "$SP" -t 5 -p 40005 -l { "$LO" x } -r { cat } <"$T/in"
same "network 5: both open only 40000-40010: -p 40005 (no -c) works" "$T/in" "$T/out"
clear_fw

# --- 7. intruders on the far listener.  With -c local -p PORT the far end
# listens on a known port; the login holds back the far end's report (its
# stdout) until strangers of one kind are connected to that port, so they
# are there before the local end.  They must get no data and put none of
# their bytes into the output.  (A port of its own for each run: the
# strangers' closed connections linger in TIME_WAIT on the far port; a
# port used again at once is case 5's.)
cat >"$T/intrude" <<EOF
#!/bin/sh
# stand-in login that lets strangers (\$KIND x \$N, from L) at the far port
# \$PORT first
shift
$IP netns exec $NF env SSH_CONNECTION="$AL 40123 $AF 22" PATH="$B:\$PATH" sh -c "\$*" | {
	i=0
	while [ \$i -lt 100 ] && ! $IP netns exec $NF ss -Hltn "sport = :\$PORT" | grep -q .; do sleep 0.05; i=\$((i + 1)); done
	if [ \$i -lt 100 ]; then
		# a recording stranger first: what the far listener sends it
		timeout 10 socat -u TCP:$AF:\$PORT CREATE:"$T/rec.\$KIND.\$N" 2>/dev/null &
		i=0
		while [ \$i -lt 40 ] && [ ! -e "$T/rec.\$KIND.\$N" ]; do sleep 0.05; i=\$((i + 1)); done
		# (a session of its own: the local end stops the login's group
		# when it ends, and hostile must live to count the drops; it
		# ends by itself within 3 + 8 s)
		$SETSID "$T/hostile" $AF \$PORT "\$KIND" "\$N" 8000 >"$T/h.\$KIND.\$N" 2>&1 &
		i=0
		while [ \$i -lt 60 ] && ! grep -q connected "$T/h.\$KIND.\$N" 2>/dev/null; do sleep 0.05; i=\$((i + 1)); done
		sleep 0.2
	fi
	exec cat
}
EOF
chmod +x "$T/intrude"
PORT=40100
for kind in silent garbage long half badsecret; do
	for n in 1 200; do
		rm -f "$T/h.$kind.$n" "$T/rec.$kind.$n"
		PORT=$((PORT + 1))
		t "network 7 $kind x$n" 30 $INL env KIND=$kind N=$n PORT=$PORT "$SP" -t 10 -c local -p $PORT -l { "$T/intrude" x } -r { cat } <"$T/in"
		same "network 7: $n $kind strangers on the far port first: transfer intact, none of their bytes in it" "$T/in" "$T/out"
		h=$T/h.$kind.$n
		if [ ! -f "$h" ]; then
			ko "network 7 ($n $kind) strangers" "the strangers never started (the far end never listened on $PORT)"
			continue
		fi
		# (hostile ends within its 8 s hold)
		i=0; while [ $i -lt 100 ] && ! grep -q "^dropped" "$h"; do sleep 0.1; i=$((i + 1)); done
		c=$(sed -n 's/^connected //p' "$h")
		[ "${c:-0}" -gt 0 ] && grep -q "^dropped $c\$" "$h" &&
			ok "network 7: $n $kind: all $c that connected to the far port were dropped" ||
			ko "network 7 ($n $kind) dropped" "$(tr '\n' ' ' <"$h")"
		grep -q "^answered 0\$" "$h" &&
			ok "network 7: $n $kind: the far listener sent them nothing$([ $kind = badsecret ] && echo ' past the challenge')" ||
			ko "network 7 ($n $kind) answered" "$(tr '\n' ' ' <"$h")"
		if [ $kind = badsecret ]; then
			k=$(sed -n 's/^challenged //p' "$h")
			[ "${k:-0}" -gt 0 ] && { [ $n != 1 ] || [ "$k" = 1 ]; } &&
				ok "network 7: $n $kind: $k got the far listener's challenge, sent a made-up tag and were dropped" ||
				ko "network 7 ($n $kind) challenged" "$(tr '\n' ' ' <"$h")"
		fi
		got=$(wc -c 2>/dev/null <"$T/rec.$kind.$n")
		[ -e "$T/rec.$kind.$n" ] && [ "${got:-0}" -le 64 ] &&
			ok "network 7: $n $kind: a silent stranger that recorded all it got: $got bytes, no data" ||
			ko "network 7 ($n $kind) recorder" "it got ${got:-nothing (never connected)} bytes"
	done
done

# ... and once the right connection is in, the far listener is closed: a
# stranger mid-transfer is refused
rm -f "$T/started"
PORT=$((PORT + 1))
$INL "$SP" -t 5 -c local -p $PORT -i { sh -c "cat $T/in; echo >$T/started; sleep 2; cat $T/in" } -l { "$LO" x } -r { cat } \
	</dev/null >"$T/out2" 2>"$T/err" &
sp=$!
i=0; while [ $i -lt 50 ] && [ ! -s "$T/started" ] && kill -0 $sp 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
if [ -s "$T/started" ]; then
	timeout 5 $INL socat -u TCP:$AF:$PORT,connect-timeout=3 CREATE:"$T/rec.after" 2>"$T/socat.err"
	grep -q "Connection refused" "$T/socat.err" &&
		ok "network 7: a stranger at the far port mid-transfer: refused (the listener is closed)" ||
		ko "network 7 after" "not refused: $(head -c 200 "$T/socat.err"); got $(wc -c <"$T/rec.after" 2>/dev/null) bytes"
else
	ko "network 7 after" "the transfer did not start: $(errtxt)"
fi
i=0; while [ $i -lt 100 ] && kill -0 $sp 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
kill -KILL $sp 2>/dev/null
wait $sp; rc=$?
cat "$T/in" "$T/in" >"$T/in2"
same "network 7: ... and that transfer is intact" "$T/in2" "$T/out2"
rm -f "$T/in2" "$T/out2"

# --- 8. -L: the kernel paces the data socket, direct and relay, both ways.
# The time is the whole run's (set-up included, nothing subtracted).
head -c 41943040 /dev/urandom >"$T/big"
# capped NAME IN GOT CMD...: runs CMD (stdin from IN) and checks that GOT
# then holds the 40 MiB and that they came at 8 MiB/s +-10% (7373-9011
# KiB/s).  Too slow, it runs once more (the machine may be busy with
# something else: that makes a run slower, never faster); too fast (the
# cap does not hold) fails at once.
capped() {
	name=$1 cin=$2 got=$3
	shift 3
	seen=
	for try in 1 2; do
		rm -f "$got"
		t "$name" 30 "$@" <"$cin"
		[ "$ms" -gt 0 ] || ms=1
		r=$((40960 * 1000 / ms))
		seen="$seen $r KiB/s ($ms ms);"
		[ "$rc" = 0 ] && [ $r -lt 7373 ] || break
	done
	if [ "$rc" != 0 ]; then ko "$name" "exit $rc; $(errtxt)"
	elif ! cmp -s "$T/big" "$got"; then ko "$name" "what arrived differs from what was sent"
	elif [ $r -ge 7373 ] && [ $r -le 9011 ]; then ok "$name: 40 MiB intact at$seen cap 8192 KiB/s"
	else ko "$name" "40 MiB at$seen want 7373-9011 KiB/s (-L 8M +-10%)"; fi
}
capped "network 8: -L 8M, direct mode, sending" /dev/null "$T/got" \
	$INL "$SP" -L 8M -i { cat "$T/big" } -l { "$LO" x } -r { sh -c "cat >$T/got" }
capped "network 8: -L 8M, direct mode, receiving" /dev/null "$T/got" \
	$INL "$SP" -L 8M -l { "$LO" x } -r { cat "$T/big" } -o { sh -c "cat >$T/got" }
capped "network 8: -L 8M, relay mode, sending" "$T/big" "$T/got" \
	$INL "$SP" -L 8M -l { "$LO" x } -r { sh -c "cat >$T/got" }
capped "network 8: -L 8M, relay mode, receiving" /dev/null "$T/out" \
	$INL "$SP" -L 8M -l { "$LO" x } -r { cat "$T/big" }
rm -f "$T/big" "$T/got" "$T/out"

# --- the login servers in F
i=0
while [ $i -lt 300 ] && [ ! -f "$T/far.ready" ] && kill -0 $holder 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
if [ -f "$T/far.ready" ]; then
	. "$T/far.ready"
else
	ko "setup" "the login servers in the far namespace did not start: $(tail -n 5 "$T/far.log" | tr '\n' '|')"
	finish
fi

# --- 6. the local end behind NAT (N -> R -> F), logged in with ssh: the far
# side sees R's address in SSH_CONNECTION; nothing on F reaches N
rm -f "$T/sshconn"
t "network 6" 30 $IP netns exec $NN "$SP" -t 5 -l { "$FAR_SSH" $AF2 } -r { sh -c "echo \"\$SSH_CONNECTION\" >$T/sshconn; exec cat" } <"$T/in"
same "network 6: local end behind NAT, through ssh: 1 MiB intact ($ms ms)" "$T/in" "$T/out"
sc=$(cat "$T/sshconn" 2>/dev/null)
case $sc in
"$ARF "*) ok "network 6: SSH_CONNECTION on the far side names the NAT ($sc), not $AN" ;;
*) ko "network 6 SSH_CONNECTION" "'${sc:-(none: the remote command did not run)}', want the NAT's $ARF first" ;;
esac

# --- 9. case 1 through the private sshd, dropbear and an rsh-like login
# (logins.sh's fake rsh, run in F: no SSH_* variables at all)
for lg in ssh db rsh; do
	case $lg in
	ssh) set -- "$FAR_SSH" $AF ;;
	db) set -- "$FAR_DB" $AF ;;
	rsh) set -- $IP netns exec $NF "$FAR_RSH" x ;;
	esac
	fw $NL ""
	t "network 9 $lg base" 30 $INL "$SP" -t 5 -l { "$@" } -r { cat } <"$T/in"
	base=$ms
	same "network 9: $lg, no firewall: intact ($base ms)" "$T/in" "$T/out"
	fw $NL "$IN_DROP"
	t "network 9 $lg" 30 $INL "$SP" -t 5 -l { "$@" } -r { cat } <"$T/in"
	same "network 9: $lg, local end drops inbound: intact ($ms ms)" "$T/in" "$T/out"
	quick "network 9: $lg, local end drops inbound"
done
clear_fw

finish

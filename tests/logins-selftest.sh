#!/bin/sh
# Self-test of tests/logins.sh: the private sshd/dropbear start, every login
# wrapper reaches a far shell with the right environment and PATH order,
# and logins_stop leaves nothing behind.  Run as root:
#   sh tests/logins-selftest.sh        (also under dash / busybox ash)

here=$(cd "$(dirname "$0")" && pwd)
. "$here/logins.sh"

pass=0
fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
ko() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit $?
}

top=$(mktemp -d /tmp/logins-selftest.XXXXXX) || { echo "FAIL mktemp"; echo "0 passed, 1 failed"; exit 1; }
D=$top/d
B=$top/bin
mkdir "$D" "$B"
cleanup() {
	logins_stop >/dev/null 2>&1
	rm -rf "$top"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A stand-in far socketpipe: proves which one the far PATH finds first.
printf '#!/bin/sh\necho "fake-socketpipe $0"\n' >"$B/socketpipe"
chmod 755 "$B/socketpipe"

# The real root home must not change; remember what it holds.
home_before=$(ls -la /root/.ssh 2>&1; cat /root/.ssh/known_hosts 2>/dev/null | cksum)

# Starting is set-up, not a check (the checks below show what it started):
# it counts only when it fails.
if logins_start "$D" "$B"; then
	echo "    (logins_start: sshd and dropbear up)"
else
	ko start "logins_start failed"
	finish
fi

[ "$LOGIN_SSH" = "$D/ssh" ] && [ "$LOGIN_DB" = "$D/dbclient" ] && [ "$LOGIN_RSH" = "$D/rsh" ] &&
	ok exported-vars || ko exported-vars "LOGIN_SSH=$LOGIN_SSH LOGIN_DB=$LOGIN_DB LOGIN_RSH=$LOGIN_RSH"

# SSH_CONNECTION = client-addr client-port server-addr server-port.
for c in "ssh v4 127.0.0.1" "ssh v6 ::1" "dbclient v4 127.0.0.1" "dbclient v6 ::1"; do
	set -- $c
	out=$(timeout 20 "$D/$1" "$2" 'echo $SSH_CONNECTION' </dev/null 2>"$top/err")
	set -- $c $out
	if [ $# -eq 7 ] && [ "$4" = "$3" ] && [ "$6" = "$3" ]; then
		ok "$1-$2-ssh-connection"
	else
		ko "$1-$2-ssh-connection" "got '$out' $(head -c 200 "$top/err")"
	fi
done

# The fake rsh must hide the SSH variables even when the caller has them.
out=$(SSH_CONNECTION='1.2.3.4 1 5.6.7.8 2' SSH_CLIENT='1.2.3.4 1 2' \
	timeout 20 "$D/rsh" somehost 'echo "[$SSH_CONNECTION][$SSH_CLIENT]"' </dev/null 2>&1)
[ "$out" = "[][]" ] && ok rsh-no-ssh-env || ko rsh-no-ssh-env "got '$out'"

# rsh joins its words with spaces and a shell runs them.
out=$(timeout 20 "$D/rsh" somehost echo a 'b  c' '$((2+3))' </dev/null 2>&1)
[ "$out" = "a b c 5" ] && ok rsh-words || ko rsh-words "got '$out'"

# PATH order on the far side: BINDIR's socketpipe first, for all five.
for c in "ssh v4" "ssh v6" "dbclient v4" "dbclient v6" "rsh somehost"; do
	set -- $c
	out=$(timeout 20 "$D/$1" "$2" 'command -v socketpipe; socketpipe' </dev/null 2>"$top/err")
	exp="$B/socketpipe
fake-socketpipe $B/socketpipe"
	[ "$out" = "$exp" ] && ok "$1-$2-path-order" || ko "$1-$2-path-order" "got '$out' $(head -c 200 "$top/err")"
done

# The login command's stdin reaches the far command (socketpipe sends its
# secret that way) and the far exit status comes back.
for c in "ssh v4" "dbclient v6" "rsh somehost"; do
	set -- $c
	out=$(echo secret-line | timeout 20 "$D/$1" "$2" 'read x; echo "got $x"; exit 7' 2>"$top/err")
	rc=$?
	[ "$out" = "got secret-line" ] && [ $rc -eq 7 ] && ok "$1-stdin-status" ||
		ko "$1-stdin-status" "out='$out' rc=$rc $(head -c 200 "$top/err")"
done

# Login clients leave no noise on stderr (tests compare socketpipe's stderr).
for c in "ssh v4" "dbclient v4"; do
	set -- $c
	timeout 20 "$D/$1" "$2" true </dev/null 2>"$top/err" >/dev/null
	[ ! -s "$top/err" ] && ok "$1-quiet" || ko "$1-quiet" "stderr: $(head -c 200 "$top/err")"
done

# A lost race for a port: each server's first draw is a port already taken
# (our running sshd's); the retry must take the next draw.  The draws come
# from a file, since _lg_port runs in a subshell.
D3=$top/d3
mkdir "$D3"
timeout 60 sh -c '. "$1/logins.sh"
	f1=$(_lg_port) && f2=$(_lg_port) && [ "$f1" != "$f2" ] || exit 1
	echo "$f1 $f2" >"$2/want"
	echo "$4 $f1 $4 $f2" >"$2/draws"
	_lg_port() {
		set -- $(cat "$_lg_draws")
		[ $# -gt 0 ] || return 1
		echo "$1"
		shift
		echo "$*" >"$_lg_draws"
	}
	_lg_draws=$2/draws
	logins_start "$2" "$3" || exit 1
	echo "$LOGIN_SSH_PORT $LOGIN_DB_PORT" >"$2/got"
	logins_stop' sh "$here" "$D3" "$B" "$LOGIN_SSH_PORT" </dev/null >"$top/race.err" 2>&1
want=$(cat "$D3/want" 2>/dev/null)
got=$(cat "$D3/got" 2>/dev/null)
[ -n "$want" ] && [ "$want" = "$got" ] && ok port-race-retried ||
	ko port-race-retried "want ports '$want', got '$got': $(head -c 300 "$top/race.err")"

# A session still running when logins_stop is called must end too.
pids=$LOGIN_PIDS
timeout 60 "$D/ssh" v4 'sleep 50' </dev/null >/dev/null 2>&1 &
s1=$!
timeout 60 "$D/dbclient" v4 'sleep 50' </dev/null >/dev/null 2>&1 &
s2=$!
sleep 1
sshp=$LOGIN_SSH_PORT
dbp=$LOGIN_DB_PORT

t0=$(date +%s)
if logins_stop; then ok stop; else ko stop "logins_stop returned non-zero"; fi
t1=$(date +%s)
[ $((t1 - t0)) -le 10 ] && ok stop-bounded || ko stop-bounded "took $((t1 - t0)) s"

left=
for p in $pids; do
	[ -d "/proc/$p" ] && left="$left $p"
done
[ -n "$pids" ] && [ -z "$left" ] && ok servers-gone || ko servers-gone "pids='$pids' left='$left'"

# Nothing running mentions DIR (sessions, far shells, sleep 50 under them).
left=
for f in /proc/[0-9]*/cmdline; do
	p=${f#/proc/}
	p=${p%/cmdline}
	[ "$p" = "$$" ] && continue
	# (a process may end between the glob and the read: ignore it quietly)
	cmd=$({ tr '\0' ' ' <"$f"; } 2>/dev/null)
	if printf '%s\n' "$cmd" | grep -q -F "$D/"; then
		case $cmd in
		*"timeout 60"*) ;;  # our own clients, checked below
		*) left="$left $p" ;;
		esac
	fi
done
[ -z "$left" ] && ok no-leftover-process || ko no-leftover-process "still running:$left"

# The clients of the killed sessions return soon (their server side is gone).
i=0
while [ $i -lt 50 ] && { kill -0 $s1 2>/dev/null || kill -0 $s2 2>/dev/null; }; do
	sleep 0.1
	i=$((i + 1))
done
if kill -0 $s1 2>/dev/null || kill -0 $s2 2>/dev/null; then
	ko sessions-ended "clients still connected after 5 s"
	kill $s1 $s2 2>/dev/null
else
	ok sessions-ended
fi
wait $s1 $s2 2>/dev/null

if _lg_listening "$sshp" || _lg_listening "$dbp"; then
	ko ports-closed "port $sshp or $dbp still listening"
else
	ok ports-closed
fi

logins_stop && ok stop-idempotent || ko stop-idempotent "second logins_stop failed"

# A caller killed without logins_stop (a test hit by its timeout) must not
# leave servers behind: their watchdog stops them within seconds.
D2=$top/d2
mkdir "$D2"
sh -c '. "$1/logins.sh"; logins_start "$2" "$3" || exit 1; echo "$LOGIN_PIDS" >"$2/pids.out"; exec sleep 60' \
	sh "$here" "$D2" "$B" </dev/null >/dev/null 2>&1 &
owner=$!
i=0
while [ $i -lt 150 ] && [ ! -s "$D2/pids.out" ] && kill -0 $owner 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
pids2=$(cat "$D2/pids.out" 2>/dev/null)
kill -KILL $owner 2>/dev/null
wait $owner 2>/dev/null
i=0
left=x
while [ $i -lt 50 ] && [ -n "$left" ]; do
	sleep 0.1
	i=$((i + 1))
	left=
	for p in $pids2; do _lg_alive "$p" && left="$left $p"; done
done
if [ -z "$pids2" ]; then
	ko watchdog "second logins_start failed"
elif [ -n "$left" ]; then
	ko watchdog "servers$left still running 5 s after their caller was killed"
	kill -KILL $left 2>/dev/null
else
	ok watchdog
fi

home_after=$(ls -la /root/.ssh 2>&1; cat /root/.ssh/known_hosts 2>/dev/null | cksum)
[ "$home_before" = "$home_after" ] && ok real-home-untouched || ko real-home-untouched "/root/.ssh changed"

finish

#!/bin/sh
# tests/farside.sh: any far side (issue 12).  Runs under dash, BusyBox ash
# and bash, as root (private login servers and mount namespaces):
#     sh tests/farside.sh [SOCKETPIPE]     default: $SP, else ./socketpipe
# Environment: FS_SEED repeats a run's random vectors (printed at the start),
# FS_N vectors per far shell (40), FS_NSSH vectors per real login (10).
#  - the far command line reaches a far shell of each family (sh, dash,
#    BusyBox ash, bash, zsh, mksh, tcsh, csh, fish) through a stand-in login
#    that runs "$SHELL -c LINE" as sshd does; random -r words (every byte
#    but NUL, empty words, 40 KB words, ! \ newline $ quotes globs) must
#    reach the remote command byte for byte (tests/farargs.c), with
#    socketpipe on the far PATH and without it (brought along by the login)
#  - the same through the private sshd and dropbear with tcsh, then fish, as
#    root's login shell (tests/logins.sh, LOGINS_SHELL)
#  - self-install: through sshd, dropbear and an rsh-like login whose PATH
#    lacks socketpipe; noexec directories skipped in order, in a private
#    mount namespace; a far side killed mid-transfer leaves no
#    .socketpipe.* file; a damaged or cut binary is refused and never run;
#    neither the secret nor a remote word shows in any argv or environment
#    but the remote command's own; a far CPU with no binary at hand, and one
#    with a board binary next to the local one
#  - 2.3's far form -S3 refused with its message (1.x's -s: tests/run)
# One PASS/FAIL line per check; last line "N passed, N failed".

top=$(cd "$(dirname "$0")/.." && pwd)
SP=${1:-${SP:-$top/socketpipe}}
SP=$(cd "$(dirname "$SP")" && pwd)/$(basename "$SP")
. "$top/tests/harness.sh"
. "$top/tests/logins.sh"
N=${FS_N:-40}
NSSH=${FS_NSSH:-10}
SEED=${FS_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}

T=$(mktemp -d /tmp/sp-farside.XXXXXX) || exit 1
cleanup() {
	logins_stop >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A PATH of this machine's own: the self-install checks need one that has
# no socketpipe in it, and the far side of every stand-in login gets it.
FARPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
PATH=$FARPATH
export PATH
B=$T/bin NB=$T/nobin
mkdir -p "$B" "$NB" "$T/home" "$T/tmpd" "$T/L" || exit 1
cd "$T" || exit 1	# nothing a run makes by mistake lands in the work tree
ln -s "$SP" "$B/socketpipe"
[ -x "$SP" ] || { ko setup "no executable $SP (run make)"; finish; }
if there=$(command -v socketpipe); then
	ko setup "socketpipe is installed ($there): no far PATH here lacks it, so nothing would self-install (make uninstall)"
	finish
fi
for c in farargs argdump mangle; do
	cc -O2 -o "$T/$c" "$top/tests/$c.c" 2>"$T/cc.err" ||
		{ ko setup "cannot build tests/$c.c: $(head -c 300 "$T/cc.err")"; finish; }
done
head -c 1000000 /dev/urandom >"$T/data"
real=$(readlink -f "$SP")
echo "seed $SEED (FS_SEED=$SEED repeats this run), $N vectors per far shell"

# login FILE SHELL PATHFIRST [FILTER...]: a stand-in login that drops the
# host word and runs the far command line as "SHELL -c LINE" (SHELL may be
# two words: busybox sh), as sshd runs it, in HOME (a far shell that took
# random words for redirections makes its files there, not in the work
# tree), with SSH_CONNECTION set, HOME
# and TMPDIR in $T, and PATHFIRST (may be empty) before a PATH without
# socketpipe.  FILTER: tests/mangle.c and its MODE and ARG, which runs
# the far shell and feeds its stdin.
login() {
	f=$1 sh=$2 first=$3
	shift 3
	{
		echo '#!/bin/sh'
		echo 'shift'
		echo "cd '$T/home' || exit 1"
		echo "export SSH_CONNECTION='127.0.0.1 1 127.0.0.1 22' HOME='$T/home' TMPDIR='$T/tmpd' SHELL='$(command -v "${sh%% *}")'"
		echo "export PATH='${first:+$first:}$FARPATH'"
		echo "exec ${*:+$* -- }$sh -c \"\$*\""
	} >"$f"
	chmod 755 "$f"
}
# leftovers NAME: no .socketpipe.* file in the stand-ins' TMPDIR and HOME
leftovers() {
	left=$(ls -A "$T/tmpd" "$T/home" | grep '^\.socketpipe\.')
	[ -z "$left" ] && ok "$1" || ko "$1" "left behind: $left"
}
# exes NAME FILE WANT: every line of FILE (argdump's ARGDUMP_EXE log) is the
# far socketpipe's executable: WANT "self" (brought along, removed once
# started, in $T/tmpd) or a path
exes() {
	if [ ! -s "$2" ]; then ko "$1" "the remote command never ran"; return; fi
	if [ "$3" = self ]; then
		bad=$(grep -v "^$T/tmpd/\.socketpipe\.[0-9]* (deleted)\$" "$2" | head -n 3)
	else
		bad=$(grep -v -x -F "$3" "$2" | head -n 3)
	fi
	[ -z "$bad" ] && ok "$1" || ko "$1" "it was: $bad"
}

# --- the far shells, through the stand-in login ----------------------------
k=0
for s in sh:sh dash:dash "BusyBox ash:busybox sh" bash:bash zsh:zsh mksh:mksh \
    tcsh:tcsh "csh:csh" fish:fish; do
	k=$((k + 1))
	name=${s%%:*} sh=${s#*:}
	if ! command -v "${sh%% *}" >/dev/null; then
		ko "far $name" "${sh%% *} is not installed (apt-get install ${sh%% *}; csh is Debian's csh, bsd-csh)"
		continue
	fi
	[ "$name" = csh ] && name="csh ($(readlink -f "$(command -v csh)"))"
	login "$T/lo.$k" "$sh" "$B"
	login "$T/self.$k" "$sh" ""
	rm -f "$T/exe.$k" "$T/exeself.$k"
	ARGDUMP_EXE=$T/exe.$k timeout -k 5 200 "$T/farargs" "far $name: -r words byte for byte, socketpipe on the far PATH" \
		$((SEED + k)) "$N" 150 "$T/argdump" "$SP" -l { "$T/lo.$k" host } >"$T/log" 2>&1
	cat "$T/log"
	grep -q '^PASS' "$T/log" && pass=$((pass + 1)) || fail=$((fail + 1))
	exes "far $name: the far socketpipe was the one on its PATH" "$T/exe.$k" "$real"
	ARGDUMP_EXE=$T/exeself.$k timeout -k 5 200 "$T/farargs" "far $name: -r words byte for byte, socketpipe brought along" \
		$((SEED + 100 + k)) $((N / 3 + 1)) 150 "$T/argdump" "$SP" -l { "$T/self.$k" host } >"$T/log" 2>&1
	cat "$T/log"
	grep -q '^PASS' "$T/log" && pass=$((pass + 1)) || fail=$((fail + 1))
	exes "far $name: the far socketpipe was brought along and removed once started" "$T/exeself.$k" self
	leftovers "far $name: no .socketpipe.* file left behind"
done

# --- data through a login whose far PATH has no socketpipe ------------------
# xfer NAME WANT LOGIN...: 1 MB through the login; the remote command first
# names its parent's executable: WANT "self" (brought along and already
# removed) or a path.  XOPT: more options (-e).
xfer() {
	name=$1 want=$2
	shift 2
	t "$name" 40 "$SP" ${XOPT:-} -i { cat "$T/data" } -l { "$@" } -r { sh -c 'readlink /proc/$PPID/exe; exec cat' }
	exe=$(head -n 1 "$T/out")
	tail -n +2 "$T/out" >"$T/got"
	if [ "$rc" != 0 ]; then ko "$name" "exit $rc; stderr: $(errtxt)"; return; fi
	if ! cmp -s "$T/data" "$T/got"; then ko "$name" "the data came back changed"; return; fi
	case $want:$exe in
	self:*/.socketpipe.[0-9]*' (deleted)')
		if [ -e "${exe% (deleted)}" ]; then ko "$name" "${exe% (deleted)} still there"; else ok "$name"; fi ;;
	self:*) ko "$name" "the far socketpipe was $exe, not one brought along" ;;
	*) [ "$exe" = "$want" ] && ok "$name" || ko "$name" "the far socketpipe was $exe, not $want" ;;
	esac
}
login "$T/nosp" sh ""
xfer "self-install through a stand-in login: 1 MB both ways, binary removed once started" self "$T/nosp" host
leftovers "self-install through a stand-in login: nothing left behind"
# -e: the far form -S4e, brought along the same way (a kernel with TLS)
if [ -e /proc/net/tls_stat ] || grep -q '^tls ' /proc/modules 2>/dev/null; then
	XOPT=-e
	xfer "-e, socketpipe brought along (far form -S4e): 1 MB intact" self "$T/nosp" host
	XOPT=
else
	echo "SKIP -e with socketpipe brought along: this kernel has no TLS"
fi
t "-f PATH names the far socketpipe" 20 "$SP" -f "$SP" -l { "$T/nosp" host } -r { sh -c 'readlink /proc/$PPID/exe' }
[ "$rc" = 0 ] && [ "$(cat "$T/out")" = "$real" ] && ok "-f PATH names the far socketpipe" ||
	ko "-f PATH names the far socketpipe" "exit $rc, far socketpipe '$(head -c 200 "$T/out")'; stderr: $(errtxt)"

# --- real logins: tcsh and fish as the login shell, then self-install -------
for lsh in /bin/tcsh /usr/bin/fish; do
	n=${lsh##*/}
	[ -x "$lsh" ] || { ko "$n login" "$lsh missing (apt-get install $n)"; continue; }
	if ! LOGINS_SHELL=$lsh logins_start "$T/L" "$B" >"$T/lg.log" 2>&1; then
		ko "$n login: private sshd and dropbear" "$(head -c 400 "$T/lg.log" | tr '\n' '|')"
		continue
	fi
	timeout -k 5 200 "$T/farargs" "$n login through the private sshd: -r words byte for byte" \
		$((SEED + 200)) "$NSSH" 120 "$T/argdump" "$SP" -l { "$LOGIN_SSH" v4 } >"$T/log" 2>&1
	cat "$T/log"
	grep -q '^PASS' "$T/log" && pass=$((pass + 1)) || fail=$((fail + 1))
	# dropbear's own PATH has no socketpipe: it comes along
	timeout -k 5 200 "$T/farargs" "$n login through dropbear, brought along: -r words byte for byte" \
		$((SEED + 300)) "$NSSH" 120 "$T/argdump" "$SP" -l { "$LOGIN_DB" v4 } >"$T/log" 2>&1
	cat "$T/log"
	grep -q '^PASS' "$T/log" && pass=$((pass + 1)) || fail=$((fail + 1))
	xfer "$n login through the private sshd: socketpipe on its PATH used" "$real" "$LOGIN_SSH" v4
	xfer "$n login through dropbear: socketpipe brought along" self "$LOGIN_DB" v6
	logins_stop
done
if logins_start "$T/L" "$NB" >"$T/lg.log" 2>&1; then
	xfer "self-install through the private sshd (far PATH without socketpipe)" self "$LOGIN_SSH" v4
	xfer "self-install through dropbear (dbclient)" self "$LOGIN_DB" v4
	xfer "self-install through an rsh-like login (no SSH_CONNECTION)" self "$LOGIN_RSH" host
	logins_stop
else
	ko "private sshd and dropbear, far PATH without socketpipe" "$(head -c 400 "$T/lg.log" | tr '\n' '|')"
fi

# --- a damaged binary on the way is refused and never run -------------------
# swap: the binary replaced by a script of the same size that leaves a trace
printf '#!/bin/sh\n: >%s/pwned\nexit 0\n' "$T" >"$T/payload"
for m in flip swap cut short crc; do
	login "$T/mangle.$m" sh "" "'$T/mangle' $m '$T/payload'"
	rm -f "$T/ran" "$T/pwned"
	name="damaged binary ($m): refused, not run"
	t "$name" 20 "$SP" -l { "$T/mangle.$m" host } -r { touch "$T/ran" }
	if [ "$rc" = 0 ] || [ "$rc" = hang ]; then ko "$name" "exit $rc; stderr: $(errtxt)"
	elif [ -e "$T/pwned" ]; then ko "$name" "the swapped-in script ran"
	elif [ -e "$T/ran" ]; then ko "$name" "the remote command ran"
	elif [ "$rc" != 121 ]; then ko "$name" "exit $rc, not 121; stderr: $(errtxt)"
	elif ! grep -q 'far binary damaged' "$T/err"; then ko "$name" "no 'far binary damaged' message: $(errtxt)"
	else ok "$name"; fi
	leftovers "damaged binary ($m): nothing left behind"
done

# --- a far side killed mid-transfer leaves no .socketpipe.* file -----------
# bg CMD...: runs CMD in the background: $bpid, output in $T/out, $T/err
bg() {
	"$@" >"$T/out" 2>"$T/err" &
	bpid=$!
}
# reap: waits (bounded, 20 s) for $bpid, then KILL; exit status in $rc
reap() {
	i=0
	while [ $i -lt 200 ] && kill -0 $bpid 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
	[ $i -lt 200 ] || { kill -KILL $bpid 2>/dev/null; echo "    (killed $bpid: still running after 20 s)"; }
	wait $bpid
	rc=$?
}
# waitfor FILE-PATTERN: up to 10 s for a file matching it; prints its name
waitfor() {
	i=0
	while [ $i -lt 100 ]; do
		for f in $1; do [ -e "$f" ] && { echo "$f"; return 0; }; done
		sleep 0.1; i=$((i + 1))
	done
	return 1
}
login "$T/slow" sh "" "'$T/mangle' slow '$T/flag'"
for sig in TERM HUP INT local; do
	name="far side killed mid-transfer (SIG$sig to the far shell and its dd): nothing left behind"
	[ $sig = local ] && name="local end killed mid-transfer (SIGTERM): nothing left behind on the far side"
	rm -f "$T/flag" "$T/ran"
	bg "$SP" -t 25 -l { "$T/slow" host } -r { touch "$T/ran" }
	if ! waitfor "$T/flag" >/dev/null || ! f=$(waitfor "$T/tmpd/.socketpipe.*"); then
		kill $bpid 2>/dev/null
		reap
		ko "$name" "the transfer never started (no $T/tmpd/.socketpipe.*): exit $rc; $(errtxt)"
		continue
	fi
	# the far shell's process group (its session, made by mangle): a
	# shell runs its trap only once its foreground dd has ended
	pg=$(sed 's/.*) //' "/proc/${f##*.}/stat" 2>/dev/null | cut -d ' ' -f 3)
	if [ $sig = local ]; then kill -TERM $bpid
	elif [ -n "$pg" ] && [ "$pg" != "$(sed 's/.*) //' /proc/$$/stat | cut -d ' ' -f 3)" ]; then kill -$sig -- -"$pg"
	else kill -$sig "${f##*.}"; fi
	reap
	# the shell's trap may still be running: give it a moment (bounded)
	i=0
	while [ $i -lt 30 ] && ls -A "$T/tmpd" | grep -q '^\.socketpipe\.'; do sleep 0.1; i=$((i + 1)); done
	if [ "$rc" = 0 ]; then ko "$name" "socketpipe exit 0"
	elif [ -e "$T/ran" ]; then ko "$name" "the remote command ran"
	else leftovers "$name"; fi
done
# SIGKILL to the far socketpipe while data flows: it removed its file
# when it started, so nothing can be left
login "$T/self" sh ""
rm -f "$T/farpid"
name="far socketpipe killed (SIGKILL) while data flows: its file was already gone"
bg "$SP" -t 25 -l { "$T/self" host } -r { sh -c 'echo $PPID >"$1.tmp"; mv "$1.tmp" "$1"; exec sleep 20' sh "$T/farpid" }
if fp=$(waitfor "$T/farpid") && fp=$(cat "$fp") && [ -n "$fp" ]; then
	exe=$(readlink "/proc/$fp/exe")
	left=$(ls -A "$T/tmpd" | grep '^\.socketpipe\.')
	kill -KILL "$fp"
	reap
	case $exe in
	"$T/tmpd/.socketpipe."*' (deleted)')
		[ -z "$left" ] && ok "$name" || ko "$name" "while it ran: $left" ;;
	*) ko "$name" "the far socketpipe was '$exe', not one brought along and removed" ;;
	esac
	[ "$rc" != 0 ] && ok "far socketpipe killed: the local end fails (exit $rc)" ||
		ko "far socketpipe killed: the local end fails" "exit 0"
	leftovers "far socketpipe killed: nothing left behind"
else
	kill $bpid 2>/dev/null
	reap
	ko "$name" "the remote command never started: exit $rc; $(errtxt)"
fi

# --- the secret and the remote words show nowhere on the far side ----------
# The login tees line 1 of its stdin (the secret is its first word); while
# the run lasts, every process's cmdline and environ, and ps, are searched
# for the secret, and for a marker word of -r, which only the remote
# command's own argv (and the local socketpipe's, that the user typed) may
# hold.  grep reads the patterns from files: its own argv holds neither.
mark=fs-mark-$SEED-$$
# hits PATTERNFILE: the /proc/N/cmdline and environ files that hold it.
# GNU grep by its path (here and below): BusyBox sh would run its own applet, whose -F
# stops at a line's first NUL and misses words after the first.
GREP=grep
[ -x /bin/grep ] && GREP=/bin/grep
PS=ps	# (procps's: BusyBox's has no -e -ww)
[ -x /bin/ps ] && PS=/bin/ps
hits() {
	$GREP -l -a -F -f "$1" /proc/[0-9]*/cmdline /proc/[0-9]*/environ 2>/dev/null
}
printf '%s\n' "$mark" >"$T/markpat"
for where in "$B" ""; do
	login "$T/tee" sh "$where" "'$T/mangle' pass '$T/line1'"
	how="socketpipe on the far PATH"
	[ -z "$where" ] && how="socketpipe brought along"
	rm -f "$T/line1" "$T/secretpat" "$T/hits.s" "$T/hits.m"
	: >"$T/hits.s"
	: >"$T/hits.m"
	lcmd="$SP -l { $T/tee host } -r { sh -c sleep 2 $mark } "
	bg "$SP" -l { "$T/tee" host } -r { sh -c 'sleep 2' "$mark" }
	i=0 seen=
	while [ $i -lt 80 ] && kill -0 $bpid 2>/dev/null; do
		i=$((i + 1))
		if [ ! -s "$T/secretpat" ] && [ -s "$T/line1" ]; then
			awk 'NR == 1 { print $1 }' "$T/line1" >"$T/secretpat"
		fi
		if [ -s "$T/secretpat" ]; then
			hits "$T/secretpat" >>"$T/hits.s"
			$PS -e -ww -o pid=,args= 2>/dev/null | $GREP -a -F -f "$T/secretpat" >>"$T/hits.s"
		fi
		# each hit as read, "file:content" (a process that ends meanwhile
		# cannot blur it): only the local end (and its forks: the user typed
		# the words) and the remote command itself may hold the marker
		$GREP -a -F -H -f "$T/markpat" /proc/[0-9]*/cmdline /proc/[0-9]*/environ 2>/dev/null | tr '\0' ' ' |
		while IFS= read -r l; do
			case ${l%%:*} in
			*/cmdline) [ "${l#*:}" = "$lcmd" ] || [ "${l#*:}" = "sh -c sleep 2 $mark " ] && continue ;;
			esac
			echo "$l" | head -c 200
			echo
		done >>"$T/hits.m"
		seen=$((seen + 1))
		sleep 0.05
	done
	reap
	if [ "$rc" != 0 ]; then ko "secret hidden ($how)" "the run failed: exit $rc; $(errtxt)"; continue; fi
	if [ ! -s "$T/secretpat" ]; then ko "secret hidden ($how)" "no line 1 seen on the login's stdin"; continue; fi
	[ "$(wc -c <"$T/secretpat")" -ge 17 ] || ko "secret hidden ($how)" "line 1's first word is not a secret: $(head -c 60 "$T/secretpat")"
	[ -s "$T/hits.s" ] && ko "secret hidden ($how): not in any cmdline, environ or ps" "$(sort -u "$T/hits.s" | head -n 5 | tr '\n' ' ')" ||
		ok "secret hidden ($how): not in any cmdline, environ or ps ($seen looks)"
	[ -s "$T/hits.m" ] && ko "remote words hidden ($how): only the remote command's argv holds them" "$(sort -u "$T/hits.m" | head -n 5 | tr '\n' ' ')" ||
		ok "remote words hidden ($how): only the remote command's argv holds them"
done

# --- the far CPU ------------------------------------------------------------
# A far `uname -m` faked by a PATH shim; the far PATH has no socketpipe.
mkdir -p "$T/cpu"
cpu() {
	mkdir -p "$T/cpu/$1"
	printf '#!/bin/sh\n[ "$1" = -m ] && [ $# = 1 ] && { echo %s; exit 0; }\nexec /bin/uname "$@"\n' "$1" >"$T/cpu/$1/uname"
	chmod 755 "$T/cpu/$1/uname"
	login "$T/lo.$1" sh "$T/cpu/$1"
}
cpu sparc64
rm -f "$T/ran"
name="far CPU sparc64 with no binary at hand: one line naming it and where it looked, exit 121"
t "$name" 20 "$SP" -l { "$T/lo.sparc64" host } -r { touch "$T/ran" }
lines=$(wc -l <"$T/err")
if [ "$rc" != 121 ]; then ko "$name" "exit $rc; stderr: $(errtxt)"
elif [ -e "$T/ran" ]; then ko "$name" "the remote command ran"
elif [ "$lines" != 1 ]; then ko "$name" "$lines lines: $(errtxt)"
elif ! grep -q "'sparc64'" "$T/err" || ! grep -q -F "${real%/*}/../lib/socketpipe" "$T/err" ||
     ! grep -q -F "${real%/*}/build" "$T/err"; then ko "$name" "$(errtxt)"
else ok "$name"; fi
leftovers "far CPU with no binary: nothing left behind"
# A board binary beside a copy of the local one (an x86_64 binary with a
# tag appended, which runs here): build/<m>/ of the local binary's
# directory, then ../lib/socketpipe/<m>/ before it.
cpu i686
mkdir -p "$T/inst/bin/build/i686" "$T/inst/lib/socketpipe/i686"
cp "$SP" "$T/inst/bin/socketpipe"
{ cat "$SP"; printf 'FS-BLD'; } >"$T/inst/bin/build/i686/socketpipe"
{ cat "$SP"; printf 'FS-LIB'; } >"$T/inst/lib/socketpipe/i686/socketpipe"
chmod 755 "$T/inst/bin/build/i686/socketpipe" "$T/inst/lib/socketpipe/i686/socketpipe"
name="far CPU i686: the binary of ../lib/socketpipe/i686/ sent"
t "$name" 20 "$T/inst/bin/socketpipe" -l { "$T/lo.i686" host } -r { sh -c 'tail -c 6 /proc/$PPID/exe' }
[ "$rc" = 0 ] && [ "$(cat "$T/out")" = FS-LIB ] && ok "$name" || ko "$name" "exit $rc, tag '$(head -c 40 "$T/out")'; $(errtxt)"
rm -r "$T/inst/lib"
name="far CPU i686: the binary of build/i686/ sent when there is no lib/ one"
t "$name" 20 "$T/inst/bin/socketpipe" -l { "$T/lo.i686" host } -r { sh -c 'tail -c 6 /proc/$PPID/exe' }
[ "$rc" = 0 ] && [ "$(cat "$T/out")" = FS-BLD ] && ok "$name" || ko "$name" "exit $rc, tag '$(head -c 40 "$T/out")'; $(errtxt)"
leftovers "far CPU i686: nothing left behind"

# --- noexec directories: the next candidate is used ------------------------
# In a private mount namespace: fresh tmpfs on /tmp, /dev/shm and /var/tmp,
# and on /tmp/td (TMPDIR) and /tmp/home (HOME), each then remounted noexec
# or not; the remote command names the directory its socketpipe ran from.
# (The socketpipe under test must not live in /tmp: it would be hidden.)
cat >"$T/ns.sh" <<'EOF'
ok() { echo "PASS $1"; }
ko() { echo "FAIL $1: $2"; }
set -e
# the socketpipe under test may live in /tmp (a CI clone): a copy on a
# tmpfs of this namespace's own, over /mnt, outlives the mounts below
mount -t tmpfs -o size=8m,mode=700 fs-sp /mnt
cp "$1" /mnt/socketpipe
sp=/mnt/socketpipe
for d in /tmp /dev/shm /var/tmp; do mount -t tmpfs -o size=64m,mode=1777 fs-$d "$d"; done
mkdir /tmp/td /tmp/home
mount -t tmpfs -o size=64m,mode=1777 fs-td /tmp/td
mount -t tmpfs -o size=64m,mode=700 fs-home /tmp/home
set +e
LOGIN='[ -n "$FS_TD" ] && export TMPDIR="$FS_TD" || unset TMPDIR
export SSH_CONNECTION="127.0.0.1 1 127.0.0.1 22" HOME=/tmp/home PATH=/usr/local/bin:/usr/bin:/bin
exec sh -c "$1"'
# case NAME TMPDIR NOEXEC-DIRS WANT: WANT the directory, or "none"
case1() {
	name=$1
	for d in /tmp/td /tmp /dev/shm /var/tmp /tmp/home; do
		case " $3 " in *" $d "*) o=noexec ;; *) o=exec ;; esac
		mount -o remount,$o "$d" || { ko "$name" "cannot remount $d $o"; return; }
	done
	FS_TD=$2 timeout -k 2 20 "$sp" -l { sh -c "$LOGIN" lo } -r { sh -c 'readlink /proc/$PPID/exe' } >/tmp/td/../out 2>/tmp/td/../err
	rc=$?
	got=$(cat /tmp/td/../out)
	err=$(head -c 300 /tmp/td/../err | tr '\n' '|')
	rm -f /tmp/td/../out /tmp/td/../err
	left=$(ls -A /tmp/td /tmp /dev/shm /var/tmp /tmp/home "/tmp/td/a b" 2>/dev/null | grep '^\.socketpipe\.')
	if [ "$4" = none ]; then
		if [ "$rc" = 0 ] || [ -n "$got" ]; then ko "$name" "exit $rc, ran from '$got'"
		elif ! echo "$err" | grep -q 'nowhere to run the far binary'; then ko "$name" "exit $rc; $err"
		else ok "$name"; fi
	else
		case $got in
		"$4"/.socketpipe.[0-9]*" (deleted)") ok "$name" ;;
		*) ko "$name" "exit $rc, ran from '$got'; $err" ;;
		esac
	fi
	[ -z "$left" ] && ok "$name: nothing left behind" || ko "$name: nothing left behind" "$left"
}
case1 "TMPDIR first" /tmp/td "" /tmp/td
case1 "TMPDIR noexec: /tmp" /tmp/td "/tmp/td" /tmp
case1 "TMPDIR missing: /tmp" /tmp/nonexistent "" /tmp
case1 "no TMPDIR, /tmp noexec: /dev/shm" "" "/tmp" /dev/shm
case1 "/tmp and /dev/shm noexec: /var/tmp" "" "/tmp /dev/shm" /var/tmp
case1 "/tmp, /dev/shm and /var/tmp noexec: HOME" "" "/tmp /dev/shm /var/tmp" /tmp/home
case1 "every candidate noexec: 'nowhere to run the far binary'" /tmp/td "/tmp/td /tmp /dev/shm /var/tmp /tmp/home" none
mkdir "/tmp/td/a b"
case1 "TMPDIR with a space in its name" "/tmp/td/a b" "" "/tmp/td/a b"
mount -o remount,ro /tmp/td
case1 "TMPDIR read-only: /tmp" /tmp/td "" /tmp
EOF
timeout -k 5 300 unshare -m --propagation private sh "$T/ns.sh" "$SP" >"$T/ns.out" 2>&1
cat "$T/ns.out"
pass=$((pass + $(grep -c '^PASS' "$T/ns.out")))
fail=$((fail + $(grep -c '^FAIL' "$T/ns.out")))
[ "$(grep -c '^[PF]' "$T/ns.out")" = 18 ] || ko "noexec candidates" "$(grep -c '^[PF]' "$T/ns.out") of 18 results"

# --- 2.3's far form is refused with its message -----------------------------
# (a valid 2.3 line: port 0, 2 s; a 2.3 far end serves it, exit 122)
t "-S3 (a 2.3 local end): exit 2, named" 10 sh -c 'echo "0123456789abcdef0123456789abcdef 0 2 - x - b 0 0 0" | "$1" -S3 true' sh "$SP"
[ "$rc" = 2 ] && grep -q "'-S3' or stdin from another socketpipe version" "$T/err" && ok "-S3 (a 2.3 local end): exit 2, named" ||
	ko "-S3 (a 2.3 local end): exit 2, named" "exit $rc; $(errtxt)"

finish

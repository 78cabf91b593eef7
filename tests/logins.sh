# Private login servers for tests and the benchmark.  POSIX sh, sourced from
# dash or BusyBox ash, run as root:
#
#   . tests/logins.sh
#   logins_start DIR BINDIR   # DIR: fresh temp folder; BINDIR: where the far
#                             # side must find `socketpipe` first on its PATH
#   "$DIR/ssh v4|v6 words..."       OpenSSH client -> private sshd
#   "$DIR/dbclient v4|v6 words..."  dropbear client -> private dropbear
#   "$DIR/rsh host words..."        fake rsh: no SSH_* variables, local sh
#   logins_stop               # stops what logins_start started, by PID
#
# LOGINS_SHELL=PATH set before logins_start makes PATH root's login shell
# for both servers (a copy of /etc/passwd bind-mounted in their namespace):
# the far command line is then run by that shell (tests/farside.sh: tcsh).
# LOGINS_LISTEN="ADDR ..." set before logins_start adds listen addresses
# (the benchmark's far network namespace); the wrappers then also take a
# literal address instead of v4|v6.
#
# Exports LOGIN_SSH, LOGIN_DB, LOGIN_RSH (the three wrappers), and
# LOGIN_SSH_PORT, LOGIN_DB_PORT, LOGIN_SSH_CONFIG, LOGIN_DB_KEY for callers
# that need to pass extra client options (the benchmark picks ciphers), and
# LOGIN_PIDS (the two server PIDs).
#
# Why the namespaces: dropbear only reads /root/.ssh/authorized_keys and sshd
# needs /run/sshd; both servers therefore run in a private mount namespace
# where a home from DIR is bind-mounted over /root and a tmpfs over /run, so
# nothing of the real machine is read or written.  The clients need no
# namespace: ssh gets everything from `-F`, dbclient gets HOME inside DIR.
#
# Functions and variables of this file start with logins_ / _lg_ / LOGIN_.

_lg_started=
_lg_pids=

# Single-quote a word for a generated script.
_lg_q() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# ADDR:PORT with IPv6 addresses in brackets, as sshd and dropbear want it.
_lg_hostport() {
	case $1 in
	*:*) echo "[$1]:$2" ;;
	*) echo "$1:$2" ;;
	esac
}

_lg_err() {
	echo "logins: $*" >&2
}

# One line per missing program, naming its Debian package; 1 if any missing.
_lg_need() {
	_lg_missing=0
	for _lg_p in sshd:openssh-server ssh:openssh-client ssh-keygen:openssh-client \
	    dropbear:dropbear-bin dbclient:dropbear-bin dropbearkey:dropbear-bin \
	    dropbearconvert:dropbear-bin unshare:util-linux mount:mount \
	    timeout:coreutils awk:mawk od:coreutils; do
		if ! _lg_path "${_lg_p%%:*}" >/dev/null; then
			_lg_err "missing ${_lg_p%%:*}: apt-get install ${_lg_p#*:}"
			_lg_missing=1
		fi
	done
	return $_lg_missing
}

# Absolute path of a program; sshd must be started by absolute path (it
# re-executes itself) and root's PATH in some harnesses lacks the sbin dirs.
_lg_path() {
	for _lg_d in /usr/sbin /sbin /usr/bin /bin /usr/local/sbin /usr/local/bin; do
		if [ -x "$_lg_d/$1" ]; then
			echo "$_lg_d/$1"
			return 0
		fi
	done
	command -v "$1" 2>/dev/null
}

# Is anything listening on TCP port $1 (IPv4 or IPv6, any address)?
_lg_listening() {
	_lg_hex=$(printf '%04X' "$1")
	cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
		awk -v h=":$_lg_hex" 'substr($2, length($2) - 4) == h && $4 == "0A" { f = 1 } END { exit !f }'
}

# A random port below the ephemeral range (outgoing connections never hold
# it), not listening now.  Bounded: 50 draws.
_lg_port() {
	_lg_lo=$(awk '{ print $1 - 1 }' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)
	[ -n "$_lg_lo" ] && [ "$_lg_lo" -gt 20000 ] || _lg_lo=32767
	_lg_i=0
	while [ $_lg_i -lt 50 ]; do
		_lg_i=$((_lg_i + 1))
		_lg_r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
		_lg_c=$((10000 + _lg_r % (_lg_lo - 10000)))
		if ! _lg_listening "$_lg_c"; then
			echo "$_lg_c"
			return 0
		fi
	done
	return 1
}

# Is pid $1 alive (a zombie counts as dead)?
_lg_alive() {
	[ -r "/proc/$1/stat" ] || return 1
	_lg_st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	_lg_st=${_lg_st##*) }
	case $_lg_st in Z*|X*|'') return 1 ;; esac
	return 0
}

# PIDs of every descendant of the pids given (sessions of the servers).
_lg_desc() {
	cat /proc/[0-9]*/stat 2>/dev/null | awk -v roots="$*" '
		{ pid = $1; s = $0; sub(/.*\) /, "", s); split(s, f, " "); pp[pid] = f[2] }
		END {
			n = split(roots, r, " "); for (i = 1; i <= n; i++) mark[r[i]] = 1
			do {
				more = 0
				for (p in pp) if (!(p in mark) && (pp[p] in mark)) { mark[p] = 1; more = 1; print p }
			} while (more)
		}'
}

# Start one server in the private mount namespace; sets _lg_pid.
# $1 = log file, rest = server command.
_lg_spawn() {
	_lg_log=$1
	shift
	unshare -m --propagation private sh "$LOGINS_DIR/ns-enter" "$@" \
		</dev/null >"$_lg_log" 2>&1 &
	_lg_pid=$!
}

# Does pid $1 hold a socket listening on address:port $3 (kernel hex) in
# /proc/net/$2?  (Somebody else's listener on the port does not count.)
_lg_holds() {
	for _lg_ino in $(awk -v h="$3" '$2 == h && $4 == "0A" { print $10 }' "/proc/net/$2"); do
		ls -l "/proc/$1/fd" 2>/dev/null | grep -q -F "socket:[$_lg_ino]" && return 0
	done
	return 1
}

# Wait (bounded, ~10 s) until pid $1 listens on port $2 for IPv4 and IPv6.
# Returns 1 at once if it died or logged a failed bind ($3 = log, $4 = pattern).
_lg_wait_listen() {
	_lg_i=0
	_lg_hex=$(printf '%04X' "$2")
	while [ $_lg_i -lt 100 ]; do
		_lg_i=$((_lg_i + 1))
		_lg_alive "$1" || return 1
		grep -q -e "$4" "$3" 2>/dev/null && return 1
		if _lg_holds "$1" tcp "0100007F:$_lg_hex" &&
		   _lg_holds "$1" tcp6 "00000000000000000000000001000000:$_lg_hex"; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# Stop pid $1 and its descendants: TERM, bounded wait, KILL.
_lg_kill_tree() {
	_lg_all="$* $(_lg_desc "$@")"
	kill -TERM $_lg_all 2>/dev/null || :
	_lg_i=0
	while [ $_lg_i -lt 50 ]; do
		_lg_i=$((_lg_i + 1))
		_lg_left=
		for _lg_p in $_lg_all; do
			_lg_alive "$_lg_p" && _lg_left="$_lg_left $_lg_p"
		done
		[ -z "$_lg_left" ] && break
		sleep 0.1
	done
	if [ -n "$_lg_left" ]; then
		kill -KILL $_lg_left 2>/dev/null || :
		sleep 0.2
	fi
	for _lg_p in $*; do
		wait "$_lg_p" 2>/dev/null || :
	done
	for _lg_p in $_lg_all; do
		if _lg_alive "$_lg_p"; then
			_lg_err "process $_lg_p survived SIGKILL"
			return 1
		fi
	done
	return 0
}

# _lg_start_sshd PORT: spawns the private sshd listening on PORT.  A client
# may ask for a terminal (ssh -tt, tests/trust.sh); the wrappers never do.
_lg_start_sshd() {
	cat >"$_lg_D/sshd_config" <<EOF
ListenAddress 127.0.0.1:$1
ListenAddress [::1]:$1
$(for _lg_a in ${LOGINS_LISTEN:-}; do echo "ListenAddress $(_lg_hostport "$_lg_a" "$1")"; done)
HostKey $_lg_D/ssh_host_key
PidFile $_lg_D/sshd.pid
AuthorizedKeysFile $_lg_D/authorized_keys
UsePAM no
StrictModes no
PermitRootLogin yes
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitTTY yes
DisableForwarding yes
PrintMotd no
PrintLastLog no
UseDNS no
MaxStartups 200
MaxSessions 50
SetEnv "PATH=$_lg_farpath"
EOF
	_lg_spawn "$_lg_D/sshd.log" "$_lg_sshd" -D -e -f "$_lg_D/sshd_config"
}

# _lg_start_dropbear PORT: spawns the private dropbear listening on PORT.
_lg_start_dropbear() {
	_lg_xd=
	for _lg_a in ${LOGINS_LISTEN:-}; do
		_lg_xd="$_lg_xd -p $(_lg_hostport "$_lg_a" "$1")"
	done
	_lg_spawn "$_lg_D/dropbear.log" "$_lg_dropbear" -F -E -s -j -k \
		-r "$_lg_D/dropbear_host_key" -P "$_lg_D/dropbear.pid" \
		-p "127.0.0.1:$1" -p "[::1]:$1" ${_lg_xd:+$_lg_xd}
}

# _lg_serve NAME FAILED START [TAKEN]: runs "START port" on a free port (not
# TAKEN) until NAME listens there, and leaves the port in _lg_got.  A lost
# race for the port shows as FAILED (a grep pattern) in $_lg_D/NAME.log or as
# an early exit, and then we draw another port (bounded: 5 tries).  Returns
# 1, after showing NAME's log, if it never listens.
_lg_serve() {
	_lg_try=0
	while [ $_lg_try -lt 5 ]; do
		_lg_try=$((_lg_try + 1))
		_lg_got=$(_lg_port) || break
		[ "$_lg_got" = "${4:-}" ] && continue
		"$3" "$_lg_got"
		if _lg_wait_listen "$_lg_pid" "$_lg_got" "$_lg_D/$1.log" "$2"; then
			_lg_pids="$_lg_pids $_lg_pid"
			return 0
		fi
		_lg_kill_tree "$_lg_pid"
	done
	_lg_err "$1 did not start listening on 127.0.0.1 and ::1; its log:"
	sed "s/^/  $1: /" "$_lg_D/$1.log" >&2 2>/dev/null
	return 1
}

logins_start() {
	if [ -n "$_lg_started" ]; then
		_lg_err "already started in $LOGINS_DIR; call logins_stop first"
		return 1
	fi
	if [ $# -ne 2 ] || [ ! -d "$1" ] || [ ! -d "$2" ]; then
		_lg_err "usage: logins_start DIR BINDIR (both existing folders)"
		return 1
	fi
	if [ "$(id -u)" != 0 ]; then
		_lg_err "must run as root (private mount namespaces, PermitRootLogin)"
		return 1
	fi
	_lg_need || return 1
	LOGINS_DIR=$(cd "$1" && pwd)
	_lg_bin=$(cd "$2" && pwd)
	_lg_started=1
	_lg_pids=
	_lg_D=$LOGINS_DIR
	_lg_owner=$$
	_lg_farpath="$_lg_bin:/usr/local/bin:/usr/bin:/bin"

	# Keys: one client key for both servers, one host key per server
	# (fresh each time: the key tools refuse to overwrite).
	rm -f "$_lg_D/id" "$_lg_D/id.pub" "$_lg_D/id.db" "$_lg_D/ssh_host_key" \
		"$_lg_D/ssh_host_key.pub" "$_lg_D/dropbear_host_key"
	ssh-keygen -q -t ed25519 -N '' -C socketpipe-test -f "$_lg_D/id" >/dev/null 2>&1 &&
	ssh-keygen -q -t ed25519 -N '' -C socketpipe-test-host -f "$_lg_D/ssh_host_key" >/dev/null 2>&1 &&
	dropbearkey -t ed25519 -f "$_lg_D/dropbear_host_key" >/dev/null 2>&1 &&
	dropbearconvert openssh dropbear "$_lg_D/id" "$_lg_D/id.db" >/dev/null 2>&1 || {
		_lg_err "key generation failed (ssh-keygen/dropbearkey/dropbearconvert)"
		logins_stop
		return 1
	}

	# The home the servers see as /root: keys for dropbear, and a PATH line
	# for bash (dropbear sets its own PATH; bash reads ~/.bashrc when
	# SSH_CLIENT is set, so the far command finds BINDIR first).
	mkdir -p "$_lg_D/home/.ssh" "$_lg_D/runold" "$_lg_D/dbhome/.ssh" || { logins_stop; return 1; }
	chmod 700 "$_lg_D/home" "$_lg_D/home/.ssh" "$_lg_D/dbhome" "$_lg_D/dbhome/.ssh"
	cp "$_lg_D/id.pub" "$_lg_D/authorized_keys"
	cp "$_lg_D/id.pub" "$_lg_D/home/.ssh/authorized_keys"
	chmod 600 "$_lg_D/authorized_keys" "$_lg_D/home/.ssh/authorized_keys"
	printf 'PATH=%s\nexport PATH\n' "$(_lg_q "$_lg_farpath")" >"$_lg_D/home/.bashrc"
	rm -f "$_lg_D/passwd"
	[ -z "${LOGINS_SHELL:-}" ] || awk -F: -v OFS=: -v s="$LOGINS_SHELL" \
		'$1 == "root" { $7 = s } 1' /etc/passwd >"$_lg_D/passwd"

	# Inside the namespace: a tmpfs over /run gives sshd its /run/sshd;
	# the rest of the old /run stays reachable through symlinks (ip netns
	# and friends look there).
	cat >"$_lg_D/ns-enter" <<EOF
set -e
mount --rbind /run $(_lg_q "$_lg_D/runold")
mount -t tmpfs -o mode=755,size=1m logins-run /run
for f in $(_lg_q "$_lg_D/runold")/* $(_lg_q "$_lg_D/runold")/.[!.]*; do
	[ -e "\$f" ] || [ -L "\$f" ] || continue
	ln -s "\$f" "/run/\${f##*/}"
done
mkdir -m 755 /run/sshd
mount --bind $(_lg_q "$_lg_D/home") /root
[ ! -f $(_lg_q "$_lg_D/passwd") ] || mount --bind $(_lg_q "$_lg_D/passwd") /etc/passwd
# Watchdog: if the shell that called logins_start dies without logins_stop
# (killed by a timeout, say), stop this server too.  It quits as soon as
# the server is gone (it is then no longer its parent), so it never
# signals a recycled PID; bounded to a week.
sh -c 'i=0
while [ \$i -lt 604800 ] && kill -0 $_lg_owner 2>/dev/null; do
	sleep 1
	i=\$((i + 1))
	read -r s </proc/\$\$/stat || exit 0
	s=\${s##*) }
	set -- \$s
	[ "\$2" = "\$0" ] || exit 0
done
kill -TERM "\$0"' \$\$ </dev/null >/dev/null 2>&1 &
exec "\$@"
EOF

	_lg_sshd=$(_lg_path sshd)
	_lg_dropbear=$(_lg_path dropbear)

	# sshd, then dropbear, each on a free port of its own
	_lg_serve sshd 'Bind to port\|Cannot bind' _lg_start_sshd || { logins_stop; return 1; }
	LOGIN_SSH_PORT=$_lg_got
	_lg_serve dropbear 'Failed listening\|No listening' _lg_start_dropbear "$LOGIN_SSH_PORT" ||
		{ logins_stop; return 1; }
	LOGIN_DB_PORT=$_lg_got

	# Client side.  ssh reads only this config (-F also stops it creating
	# ~/.ssh); dbclient trusts the host key written into a known_hosts
	# under DIR, so it checks the key and stays quiet (-y only matters if
	# that file were lost).
	cat >"$_lg_D/ssh_config" <<EOF
Host *
	Port $LOGIN_SSH_PORT
	User root
	IdentityFile $_lg_D/id
	IdentitiesOnly yes
	UserKnownHostsFile /dev/null
	GlobalKnownHostsFile /dev/null
	StrictHostKeyChecking no
	BatchMode yes
	LogLevel ERROR
	ControlMaster no
	ControlPath none
	ForwardAgent no
	ForwardX11 no
	UpdateHostKeys no
	ConnectTimeout 10
EOF
	_lg_hk=$(dropbearkey -y -f "$_lg_D/dropbear_host_key" 2>/dev/null | awk '/^ssh-/ { print $1, $2 }')
	for _lg_a in 127.0.0.1 ::1 ${LOGINS_LISTEN:-}; do
		printf '%s %s\n' "$_lg_a" "$_lg_hk"
	done >"$_lg_D/dbhome/.ssh/known_hosts"

	# both client wrappers take v4, v6 or an address first
	_lg_pick='case $1 in
v4) h=127.0.0.1 ;;
v6) h=::1 ;;
'"''"'|-*) echo "usage: $0 v4|v6|ADDR words..." >&2; exit 2 ;;
*) h=$1 ;;
esac
shift'
	cat >"$_lg_D/ssh" <<EOF
#!/bin/sh
# ssh v4|v6 words...: OpenSSH to the private sshd of logins.sh
$_lg_pick
exec ssh -F $(_lg_q "$_lg_D/ssh_config") "\$h" "\$@"
EOF
	cat >"$_lg_D/dbclient" <<EOF
#!/bin/sh
# dbclient v4|v6 words...: dropbear's client to the private dropbear of logins.sh
$_lg_pick
HOME=$(_lg_q "$_lg_D/dbhome") exec dbclient -y -i $(_lg_q "$_lg_D/id.db") -l root -p $LOGIN_DB_PORT "\$h" "\$@"
EOF
	cat >"$_lg_D/rsh" <<EOF
#!/bin/sh
# rsh HOST words...: a login without SSH environment; the words are joined
# by spaces and run by a shell, as rsh does.
[ \$# -ge 1 ] || { echo "usage: \$0 host words..." >&2; exit 2; }
shift
PATH=$(_lg_q "$_lg_bin"):\$PATH exec env -u SSH_CONNECTION -u SSH_CLIENT sh -c "\$*"
EOF
	chmod 755 "$_lg_D/ssh" "$_lg_D/dbclient" "$_lg_D/rsh"
	LOGIN_SSH="$_lg_D/ssh"
	LOGIN_DB="$_lg_D/dbclient"
	LOGIN_RSH="$_lg_D/rsh"
	LOGIN_SSH_CONFIG="$_lg_D/ssh_config"
	LOGIN_DB_KEY="$_lg_D/id.db"
	LOGIN_PIDS=${_lg_pids# }
	export LOGINS_DIR LOGIN_SSH LOGIN_DB LOGIN_RSH LOGIN_SSH_PORT LOGIN_DB_PORT \
		LOGIN_SSH_CONFIG LOGIN_DB_KEY LOGIN_PIDS

	# The servers listen; now prove a login works end to end (bounded).
	for _lg_c in "ssh v4" "ssh v6" "dbclient v4" "dbclient v6"; do
		_lg_i=0
		_lg_ok=
		while [ $_lg_i -lt 3 ]; do
			_lg_i=$((_lg_i + 1))
			# shellcheck disable=SC2086
			if timeout 15 "$_lg_D/${_lg_c% *}" ${_lg_c#* } true </dev/null >"$_lg_D/check.out" 2>&1; then
				_lg_ok=1
				break
			fi
			sleep 0.3
		done
		if [ -z "$_lg_ok" ]; then
			_lg_err "login check '$_lg_c true' failed: $(head -c 400 "$_lg_D/check.out")"
			_lg_s=${_lg_c% *}
			[ "$_lg_s" = ssh ] && _lg_s=sshd || _lg_s=dropbear
			sed "s/^/  $_lg_s: /" "$_lg_D/$_lg_s.log" | tail -n 20 >&2
			logins_stop
			return 1
		fi
	done
	return 0
}

logins_stop() {
	[ -n "$_lg_started" ] || return 0
	_lg_rc=0
	if [ -n "$_lg_pids" ]; then
		# shellcheck disable=SC2086
		_lg_kill_tree $_lg_pids || _lg_rc=1
	fi
	_lg_started=
	_lg_pids=
	return $_lg_rc
}

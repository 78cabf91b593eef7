# The scenarios, run on the client guest by /init (BusyBox ash).  Each sc_*
# function is one scenario; they run in the order written, each in its own
# shell under a guest-side timeout, and report on the console:
#   @@BEGIN i name budget   @@PASS i name details   @@FAIL i name reason
#   @@INFO  text            @@REQ on|off guest (the host runs set_link)
# The host reads the scenario names from this file with the same pattern.

LOGIN="dbclient -y nas"   # documentation only: braces must be literal words

now_cs() { # centiseconds since boot
	read -r u _ < /proc/uptime
	echo $(( ${u%.*} * 100 + 1${u#*.} - 100 ))
}
secs() { # centiseconds -> seconds with one decimal
	echo "$(($1 / 100)).$(($1 % 100 / 10))"
}
fail() { echo "$*" | tr '\n' ' ' > /tmp/sp.reason; exit 1; }
note() { printf '%s ' "$*" >> /tmp/sp.detail; }
info() { echo "@@INFO $*" > /dev/console; }
# A command on the nas, bounded; stdin closed so dbclient never waits on it.
on_nas() { timeout 60 dbclient -y nas "$*" </dev/null 2>>/tmp/sp.dbclient; }
sum() { sha256sum | cut -c1-64; }
# the last line of an error log, without dbclient's notice about -y
last_err() {
	tr -d '\r' < "$1" | grep -v -e '^dbclient: *$' -e 'accepted unconditionally' -e 'fingerprint' -e '^ *$' | tail -n 1
}
# socketpipe bounded from outside as well: a hang shows as 143, not as a
# frozen scenario.
sp() { timeout -k 5 "${SPT:-100}" socketpipe "$@"; }

# A listing of a tree: type, path, and content hash or link target.
sum_tree() {
	(cd "$1" && find . | sort | while read -r p; do
		if [ -L "$p" ]; then echo "L $p $(readlink "$p")"
		elif [ -d "$p" ]; then echo "D $p"
		else echo "F $p $(sum < "$p")"; fi
	done)
}
same_tree() { # a b what
	sum_tree "$1" > /tmp/tree.a; sum_tree "$2" > /tmp/tree.b
	[ -s /tmp/tree.a ] || fail "$3: nothing to compare in $1"
	cmp -s /tmp/tree.a /tmp/tree.b ||
		fail "$3: $2 differs from $1: $(diff /tmp/tree.a /tmp/tree.b | grep '^[-+][^-+]' | head -n 2 | tr '\n' ' ')"
}
mk_tree() { # dir seed scale: a small home directory, odd sizes, a symlink
	mkdir -p "$1/home/luser/docs" "$1/home/luser/src/deep/er" "$1/etc" "$1/var/empty"
	: > "$1/home/luser/empty"
	printf x > "$1/home/luser/one"
	spt gen "$2a" 511 > "$1/home/luser/docs/a511"
	spt gen "$2b" 512 > "$1/home/luser/docs/b512"
	spt gen "$2c" 65537 > "$1/home/luser/src/deep/er/c"
	spt gen "$2d" $((1500000 * $3)) > "$1/home/luser/big"
	spt gen "$2e" $((1048576 * $3)) > "$1/etc/e1m"
	echo "hello from $2" > "$1/etc/motd"
	ln -s ../../etc/motd "$1/home/luser/motd"
}
# the PIDs alive when the scenario started (written by run_one)
orphans() {
	for p in $(ls /proc | grep '^[0-9][0-9]*$'); do
		grep -qx "$p" /tmp/pids.before && continue
		c=$(cat "/proc/$p/cmdline" 2>/dev/null | tr '\0' ' ')
		# the scenario's own shells and the guest-side timeout's watcher
		case $c in ""|"sh -c . /etc/sp/suite.sh"*|"timeout -k 5 "*"sh -c . /etc/sp/suite.sh"*|"ls /proc"*|"tr "*|"grep "*|"cat /proc/"*) continue ;; esac
		echo "$p:$c"
	done
}
carrier() { # want seconds: wait for the link to go up (1) or down (0)
	i=0
	while [ $i -lt $(($2 * 10)) ]; do
		[ "$(cat /sys/class/net/eth0/carrier 2>/dev/null)" = "$1" ] && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}
listening() { # TCP ports in LISTEN state, one a line
	sed -n 's/^ *[0-9]*: [0-9A-F]*:\([0-9A-F]*\) [0-9A-F:]* 0A .*/\1/p' /proc/net/tcp /proc/net/tcp6 |
		while read -r h; do echo $((0x$h)); done | sort -u
}
# socketpipe's own complaint: one whole line, saying what it should
one_message() { # file extended-regexp (what the message must mention)
	m=$(grep -c '^socketpipe: ' "$1")
	[ "$m" = 1 ] || fail "$m lines from socketpipe on stderr: $(grep socketpipe: "$1" | tr '\n' '|')"
	grep '^socketpipe: ' "$1" | grep -qiE "$2" || fail "the message does not mention '$2': $(grep '^socketpipe: ' "$1")"
}
status_is() { # got want what
	[ "$1" = "$2" ] || fail "$3: exit status $1, want $2${4:+: $4}"
}

# --- login and tape ----------------------------------------------------------

sc_login_dbclient_key() {
	# no controlling terminal here, so a password prompt could only fail
	(: < /dev/tty) 2>/dev/null && fail "the scenario shell has a tty"
	t0=$(now_cs)
	out=$(timeout 20 dbclient -y nas 'tty; command -v socketpipe; echo $SSH_CONNECTION' </dev/null 2>/tmp/e)
	rc=$?
	el=$(($(now_cs) - t0))
	status_is $rc 0 "dbclient" "$(last_err /tmp/e)"
	echo "$out" | grep -q '^not a tty' || fail "the far side got a tty: $out"
	echo "$out" | grep -qx /usr/bin/socketpipe || fail "socketpipe is not on the far PATH ($out)"
	echo "$out" | grep -q '^10\.0\.77\.1 ' || fail "no SSH_CONNECTION from 10.0.77.1 on the far side"
	[ $el -lt 500 ] || fail "a key login took $(secs $el) s"
	note "key login round trip $(secs $el) s"
}

sc_lan_only() {
	# the one link: no user-mode network, no default route, distinct MACs
	links=$(ip -o link | sed -n 's/^[0-9]*: \([^:@]*\).*/\1/p' | tr '\n' ' ')
	[ "$links" = "lo eth0 " ] || fail "network interfaces: $links(want lo and eth0 only)"
	ip route | grep -q . || fail "no routes at all"
	r=$(ip route | grep -v '^10\.0\.77\.0/24 ')
	[ -z "$r" ] || fail "routes beyond the LAN: $r"
	mine=$(cat /sys/class/net/eth0/address)
	theirs=$(on_nas cat /sys/class/net/eth0/address)
	[ -n "$theirs" ] && [ "$mine" != "$theirs" ] || fail "MACs: client $mine, nas ${theirs:-?}"
	mtu=$(cat /sys/class/net/eth0/mtu)
	ping -c 1 -W 5 10.0.77.2 >/dev/null || fail "no ping reply from the nas"
	note "eth0 $mine (nas $theirs), MTU $mtu, only 10.0.77.0/24"
}

sc_tape_device() {
	want=$(spt gen td 65536 | sum)
	got=$(on_nas 'test -c /dev/nst0 || exit 9; mt -f /dev/nst0 rewind &&
		spt gen td 65536 | dd of=/dev/nst0 bs=32k iflag=fullblock 2>/dev/null && mt -f /dev/nst0 rewind && spt records 32768')
	rc=$?
	[ $rc = 9 ] && fail "no /dev/nst0 on the nas"
	status_is $rc 0 "mt/dd on the nas" "$(last_err /tmp/sp.dbclient)"
	set -- $got
	[ "$1 $2 $3" = "2 0 65536" ] || fail "read back $got, want 2 whole 32 KiB records"
	[ "$4" = "$want" ] || fail "the records read back differ from what was written"
	note "/dev/nst0: mt rewind, 2 records written and read back"
}

# --- the seed's three examples ------------------------------------------------

sc_example_backup() {
	on_nas mt -f /dev/nst0 rewind || fail "mt rewind on the nas failed"
	# iflag=fullblock: a socket read returns what has arrived, and every
	# short read would be a short record on the tape; whole 32 KiB records
	# are what a restore with bs=32k expects (and all tgt's emulated drive
	# stores reliably: a stream of odd short records reads back damaged)
	sp -i { tar cf - -C /tmp tree } -l { dbclient -y nas } -r { dd of=/dev/st0 bs=32k iflag=fullblock } 2>/tmp/e
	status_is $? 0 socketpipe "$(last_err /tmp/e)"
	set -- $(on_nas 'mt -f /dev/nst0 rewind && spt records 32768')
	want=$(tar cf - -C /tmp tree | sum)
	[ "${4:-}" = "$want" ] || fail "the tape holds ${3:-?} bytes that are not the tar of the tree ($(tar cf - -C /tmp tree | wc -c) bytes)"
	note "tar of $(du -sk /tmp/tree | cut -f1) KiB tree on the nas tape in $(($1 + $2)) records"
}

sc_example_restore() {
	# the backup is written without socketpipe, so this scenario stands alone
	on_nas mt -f /dev/nst0 rewind || fail "mt rewind on the nas failed"
	tar cf - -C /tmp tree | timeout 60 dbclient -y nas 'dd of=/dev/st0 bs=32k iflag=fullblock 2>/dev/null' 2>/tmp/e ||
		fail "writing the backup through dbclient failed: $(last_err /tmp/e)"
	rm -rf /tmp/restore; mkdir -p /tmp/restore; cd /tmp/restore || fail "no /tmp/restore"
	sp -l { dbclient -y nas } -r { dd if=/dev/st0 bs=32k } -o { tar xpf - tree/home/luser } 2>/tmp/e
	status_is $? 0 socketpipe "$(last_err /tmp/e)"
	same_tree /tmp/tree/home/luser /tmp/restore/tree/home/luser "restored tree"
	[ -e /tmp/restore/tree/etc ] && fail "restored more than the directory asked for"
	note "tree/home/luser restored from the tape, checksums equal"
}

sc_example_compress_far() {
	rm -f /tmp/backup.tar.bz2
	sp -i { tar cf - -C /tmp tree } -l { dbclient -y nas } -r { bzip2 -c } -o { dd of=/tmp/backup.tar.bz2 bs=32k iflag=fullblock } 2>/tmp/e
	status_is $? 0 socketpipe "$(last_err /tmp/e)"
	[ "$(head -c 3 /tmp/backup.tar.bz2)" = BZh ] || fail "the local file is not bzip2 output"
	rm -rf /tmp/r3; mkdir -p /tmp/r3
	bunzip2 -c /tmp/backup.tar.bz2 | tar xf - -C /tmp/r3 || fail "the compressed backup does not unpack"
	same_tree /tmp/tree /tmp/r3/tree "unpacked tree"
	note "$(tar cf - -C /tmp tree | wc -c) bytes compressed on the nas to $(wc -c < /tmp/backup.tar.bz2)"
}

# --- tape: filemarks and record sizes -------------------------------------------

sc_tape_filemarks() {
	for s in A B C; do
		rm -rf /tmp/sets/$s; mk_tree /tmp/sets/$s/data "set$s" 0
	done
	on_nas mt -f /dev/nst0 rewind || fail "mt rewind failed"
	for s in A B C; do
		sp -i { tar cf - -C /tmp/sets/$s data } -l { dbclient -y nas } -r { dd of=/dev/nst0 bs=32k iflag=fullblock } 2>/tmp/e
		status_is $? 0 "backup $s" "$(last_err /tmp/e)"
	done
	on_nas 'mt -f /dev/nst0 rewind && mt -f /dev/nst0 fsf 1' || fail "mt fsf 1 failed"
	rm -rf /tmp/rB; mkdir -p /tmp/rB; cd /tmp/rB || fail "no /tmp/rB"
	sp -l { dbclient -y nas } -r { dd if=/dev/nst0 bs=32k } -o { tar xf - } 2>/tmp/e
	status_is $? 0 "restore of the second" "$(last_err /tmp/e)"
	same_tree /tmp/sets/B/data /tmp/rB/data "the second backup"
	# reading stopped at the filemark: the third backup comes next, whole
	set -- $(on_nas spt records 32768)
	[ "${4:-}" = "$(tar cf - -C /tmp/sets/C data | sum)" ] || fail "after the second file the tape is not at the third backup"
	note "3 backups, fsf 1 restored the second, the third followed it"
}

tape_blocks() { # record size in bytes
	bs=$1; n=$((3 * 1048576 + 1000))
	on_nas mt -f /dev/nst0 rewind || fail "mt rewind failed"
	sp -i { spt gen "bs$bs" $n } -l { dbclient -y nas } -r { dd of=/dev/nst0 bs=$bs iflag=fullblock } 2>/tmp/e
	status_is $? 0 socketpipe "$(last_err /tmp/e)"
	set -- $(on_nas "mt -f /dev/nst0 rewind && spt records $bs")
	[ "${1:-} ${2:-} ${3:-}" = "$((n / bs)) 1 $n" ] ||
		fail "read back with bs=$bs: ${1:-?} whole + ${2:-?} short records, ${3:-?} bytes; want $((n / bs)) + 1, $n"
	[ "$4" = "$(spt gen "bs$bs" $n | sum)" ] || fail "the data read back differs"
	# a read smaller than the record fails on a tape: the records are not smaller
	on_nas "mt -f /dev/nst0 rewind && dd if=/dev/nst0 of=/dev/null bs=$((bs / 2)) count=1" &&
		fail "a $((bs / 2))-byte read of a $bs-byte record succeeded"
	note "$((n / bs)) whole $bs-byte records and the 1000-byte tail"
}
sc_tape_block_32k() { tape_blocks 32768; }
sc_tape_block_256k() { tape_blocks 262144; }

# --- sizes ------------------------------------------------------------------------

sc_size_0() {
	out=$(sp -l { dbclient -y nas } -r { spt sumhost } </dev/null 2>/tmp/e)
	status_is $? 0 socketpipe "$(last_err /tmp/e)"
	[ "$out" = "nas $(printf '' | sum)" ] || fail "the far side saw '$out'"
}

sc_size_1() {
	out=$(printf x | sp -l { dbclient -y nas } -r { spt sumhost } 2>/tmp/e)
	status_is $? 0 socketpipe "$(last_err /tmp/e)"
	[ "$out" = "nas $(printf x | sum)" ] || fail "the far side saw '$out'"
}

sc_size_100mib() {
	n=104857600
	t0=$(now_cs)
	SPT=200 sp -i { spt gen big $n } -l { dbclient -y nas } -r { spt sumhost } -o { dd of=/tmp/big.out } 2>/tmp/e
	rc=$?
	el=$(($(now_cs) - t0))
	status_is $rc 0 socketpipe "$(last_err /tmp/e)"
	want=$(sed -n 's/^big //p' /etc/sp/sums)
	[ "$(cat /tmp/big.out)" = "nas $want" ] || fail "the far side saw '$(cat /tmp/big.out)', want nas $want"
	note "100 MiB in $(secs $el) s, $(mib $(rate $n $el)) MiB/s"
}

# --- failures: right status, bounded time --------------------------------------------

# timed_sp ARGS...: one socketpipe run that is meant to fail; rc and el
# (centiseconds) set, stderr in /tmp/e.
timed_sp() {
	t0=$(now_cs)
	SPT=60 sp "$@" >/dev/null 2>/tmp/e
	rc=$?
	el=$(($(now_cs) - t0))
}

# failed_fast WHAT PATTERN: the timed_sp run ended with 121 within 15 s and
# one message on stderr matching PATTERN.
failed_fast() {
	status_is $rc 121 "$1" "$(last_err /tmp/e)"
	[ $el -le 1500 ] || fail "took $(secs $el) s"
	one_message /tmp/e "$2"
	note "121 in $(secs $el) s: $(last_err /tmp/e)"
}

# the nas's socketpipe hidden; with "noexec", nowhere there to run one
# either (/tmp and ~ noexec; the nas has no /dev/shm, no /var/tmp)
far_bare() { # [noexec]
	trap far_dressed EXIT
	trap 'exit 143' TERM
	on_nas 'mkdir -p /usr/lib && mv /usr/bin/socketpipe /usr/lib/sp-hidden' || fail "could not hide the nas socketpipe"
	[ "${1:-}" = noexec ] || return 0
	on_nas 'mount -o remount,noexec /tmp && mount -o bind /root /root && mount -o remount,bind,noexec /root' ||
		fail "could not make /tmp and /root noexec on the nas"
}
far_dressed() {
	on_nas 'test -e /usr/lib/sp-hidden && mv /usr/lib/sp-hidden /usr/bin/socketpipe
		cd / && grep -q " /root " /proc/mounts && { umount /root || umount -l /root; }
		mount -o remount,exec /tmp'
}

sc_remote_missing() {
	# A far side without socketpipe gets one through the login (ship-binary);
	# one where no file may be run either fails at once and says why
	far_bare noexec
	timed_sp -t 10 -i { spt gen m 1000 } -l { dbclient -y nas } -r { cat } -o { cat }
	far_dressed
	on_nas 'grep " /root " /proc/mounts' && fail "/root on the nas is still noexec"
	status_is $rc 121 "far socketpipe missing, nowhere to run one" "$(last_err /tmp/e)"
	[ $el -le 1500 ] || fail "took $(secs $el) s"
	grep -qx 'socketpipe: nowhere to run the far binary' /tmp/e || fail "no line 'nowhere to run the far binary': $(grep socketpipe: /tmp/e | tr '\n' '|')"
	# the far end's line, and the local end's on the login's status
	m=$(grep -c '^socketpipe: ' /tmp/e)
	[ "$m" -le 2 ] || fail "$m lines from socketpipe on stderr: $(grep socketpipe: /tmp/e | tr '\n' '|')"
	left=$(far_left)
	[ -z "$left" ] || fail "left on the nas: $(echo $left)"
	note "121 in $(secs $el) s: $(grep '^socketpipe: ' /tmp/e | tr '\n' '|')"
}

sc_login_fails() {
	timed_sp -t 10 -i { spt gen l 1000 } -l { dbclient -y nobody@nas } -r { cat } -o { cat }
	failed_fast "failing login" "login"
}

sc_remote_status_3() {
	t0=$(now_cs)
	out=$(SPT=60 sp -t 10 -i { spt gen s3 100000 } -l { dbclient -y nas } -r { spt exit3 } 2>/tmp/e)
	rc=$?
	el=$(($(now_cs) - t0))
	status_is $rc 3 "remote command exiting 3" "$(last_err /tmp/e)"
	[ $el -le 1500 ] || fail "took $(secs $el) s"
	note "3 in $(secs $el) s"
}

# --- a far side without socketpipe: the binary shipped through the login ----

# the .socketpipe.* files in every place the far end may install itself to
# ($TMPDIR is unset on the nas), one path a line
far_left() {
	on_nas 'for d in /tmp /dev/shm /var/tmp $HOME; do ls -a "$d" 2>/dev/null | sed -n "s,^\.socketpipe\..*,$d/&,p"; done'
}
# nothing of socketpipe on the nas: no file left, no process (10 s at most
# for them to go)
far_clean() { # what
	i=0
	while left=$(far_left); far=$(on_nas "ps | grep '[s]ocketpipe'")
		[ -n "$left$far" ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
	[ -z "$left" ] || fail "$1: left on the nas: $(echo $left)${far:+; running there: $(echo "$far" | tr -s ' \n' ' ')}"
	[ -z "$far" ] || fail "$1: still running on the nas 10 s later: $(echo "$far" | tr -s ' \n' ' ')"
}
# setup_times WHAT: five 1-byte transfers; their times (centiseconds) in
# runs, the median in med
setup_times() {
	runs=""
	for i in 1 2 3 4 5; do
		t0=$(now_cs)
		out=$(printf x | SPT=60 sp -l { dbclient -y nas } -r { spt sumhost } 2>/tmp/e)
		rc=$?
		el=$(($(now_cs) - t0))
		status_is $rc 0 "$1, run $i" "$(last_err /tmp/e)"
		[ "$out" = "nas $(printf x | sum)" ] || fail "$1, run $i: the far side saw '$out'"
		runs="$runs $el"
	done
	med=$(for r in $runs; do echo $r; done | sort -n | sed -n 3p)
}
sc_ship_binary() {
	n=1500000
	me=$(uname -m); fm=$(on_nas uname -m)
	[ -n "$fm" ] || fail "no uname -m from the nas"
	# the nas's socketpipe out of the way (back however the scenario ends)
	far_bare
	w=$(on_nas 'command -v socketpipe; ls /bin/socketpipe /sbin/socketpipe /usr/sbin/socketpipe 2>/dev/null')
	[ -z "$w" ] || fail "the nas still has a socketpipe: $w"
	# the check itself sees a leftover where it looks
	on_nas ': > /tmp/.socketpipe.0; : > /root/.socketpipe.0'
	left=$(far_left | tr '\n' ' ')
	on_nas 'rm -f /tmp/.socketpipe.0 /root/.socketpipe.0'
	[ "$left" = "/tmp/.socketpipe.0 /root/.socketpipe.0 " ] || fail "far_left saw '$left' of two planted files"
	far_clean "before"
	setup_times "shipped"; ship_med=$med; ship_runs=$runs
	far_clean "after five 1-byte transfers"
	# both ways, the local ends' own commands (direct) and socketpipe's
	# stdin (relay)
	out=$(SPT=60 sp -i { spt gen ship $n } -l { dbclient -y nas } -r { spt sumhost } 2>/tmp/e)
	status_is $? 0 "client->nas" "$(last_err /tmp/e)"
	[ "$out" = "nas $(spt gen ship $n | sum)" ] || fail "client->nas: the nas got '$out'"
	out=$(SPT=60 sp -l { dbclient -y nas } -r { spt gen shipd $n } -o { sha256sum } </dev/null 2>/tmp/e)
	status_is $? 0 "nas->client" "$(last_err /tmp/e)"
	[ "$(echo "$out" | cut -c1-64)" = "$(spt gen shipd $n | sum)" ] || fail "nas->client: the data differs"
	out=$(spt gen shipr $n | SPT=60 sp -l { dbclient -y nas } -r { spt sumhost } 2>/tmp/e)
	status_is $? 0 "client->nas, relay" "$(last_err /tmp/e)"
	[ "$out" = "nas $(spt gen shipr $n | sum)" ] || fail "client->nas, relay: the nas got '$out'"
	# -e: the keys go on the login's stdin after the binary
	if [ -e /proc/net/tls_stat ]; then
		out=$(SPT=60 sp -e -i { spt gen shipe $n } -l { dbclient -y nas } -r { spt sumhost } 2>/tmp/e)
		status_is $? 0 "client->nas with -e" "$(last_err /tmp/e)"
		[ "$out" = "nas $(spt gen shipe $n | sum)" ] || fail "client->nas with -e: the nas got '$out'"
		note "-e too;"
	fi
	far_clean "after the transfers"
	# a remote command that is not there: its status, and nothing left
	SPT=60 sp -t 10 -i { spt gen shipm 1000 } -l { dbclient -y nas } -r { no-such-command } >/dev/null 2>/tmp/e
	rc=$?
	[ $rc != 0 ] || fail "a missing remote command gave status 0"
	far_clean "after a missing remote command (status $rc)"
	# the local end killed, while it ships or sends (the far end must go,
	# and its file with it)
	for d in 0.5 1 2; do
		( sp -i { spt gen shipk 20000000 } -l { dbclient -y nas } -r { spt sink } >/dev/null 2>&1 ) &
		sleep $d
		kill -9 $(pidof socketpipe) 2>/dev/null
		wait
		far_clean "after the local end was killed ${d} s in"
	done
	# /tmp noexec on the nas: the far end runs from the next place it may
	on_nas 'mount -o remount,noexec /tmp' || fail "could not make the nas's /tmp noexec"
	out=$(printf x | SPT=60 sp -l { dbclient -y nas } -r { spt sumhost } 2>/tmp/e)
	rc=$?
	on_nas 'mount -o remount,exec /tmp'
	status_is $rc 0 "with /tmp noexec on the nas" "$(last_err /tmp/e)"
	[ "$out" = "nas $(printf x | sum)" ] || fail "with /tmp noexec: the far side saw '$out'"
	far_clean "with /tmp noexec"
	note "$fm binary shipped from this $me: 1.5 MB intact up, down, relay; nothing left in /tmp /dev/shm /var/tmp ~, nor with /tmp noexec, nor with the local end killed 0.5, 1, 2 s in;"
	# a far CPU the client has no binary for (the mixed rig): said so
	if [ "$me" != "$fm" ]; then
		lib=/usr/lib/socketpipe/$fm
		[ -x $lib/socketpipe ] || fail "no $lib/socketpipe on the client to ship"
		mv $lib /usr/lib/sp-away
		timed_sp -t 10 -i { spt gen shipn 1000 } -l { dbclient -y nas } -r { spt sumhost }
		mv /usr/lib/sp-away $lib
		status_is $rc 121 "no binary for $fm" "$(last_err /tmp/e)"
		one_message /tmp/e "no socketpipe for the far CPU '$fm'"
		far_clean "without a binary to ship"
		note "without $lib: 121 '$(grep '^socketpipe: ' /tmp/e | cut -c1-60)...';"
	fi
	on_nas 'mv /usr/lib/sp-hidden /usr/bin/socketpipe' || fail "could not put the nas socketpipe back"
	setup_times "installed"; inst_med=$med
	info "ship-binary set-up (1 byte, median of 5): shipped $(secs $ship_med) s, installed $(secs $inst_med) s; runs (cs): shipped$ship_runs, installed$runs"
	note "set-up median $(secs $ship_med) s shipped, $(secs $inst_med) s installed"
}

# --- the link cut mid-transfer -----------------------------------------------------------

sc_link_cut() {
	total=1073741824
	on_nas 'mt -f /dev/nst0 rewind; rm -f /tmp/cut.status' || fail "mt rewind failed"
	rm -f /tmp/cut.rc
	( SPT=150 sp -t 5 -i { spt gen cut $total } -l { dbclient -y nas } -r { spt tapewrite 32768 /tmp/cut.status } 2>/tmp/cut.err
	  echo $? > /tmp/cut.rc ) &
	sleep 2
	[ -f /tmp/cut.rc ] && fail "the transfer ended before the cut: status $(cat /tmp/cut.rc): $(last_err /tmp/cut.err)"
	echo "@@REQ off client" > /dev/console
	carrier 0 15 || fail "the host did not cut the link (carrier still up)"
	t0=$(now_cs)
	i=0
	while [ ! -s /tmp/cut.rc ] && [ $i -lt 900 ]; do sleep 0.1; i=$((i + 1)); done
	el=$(($(now_cs) - t0))
	rc=$(cat /tmp/cut.rc 2>/dev/null)
	sleep 1
	left=$(orphans)
	echo "@@REQ on client" > /dev/console
	carrier 1 15 || fail "the host did not restore the link"
	[ -n "$rc" ] || fail "socketpipe still running $(secs $el) s after the cut"
	status_is "$rc" 121 "after the cut" "$(last_err /tmp/cut.err)"
	# -t 5 bounds the wait from the nas's last sign of life, status included
	# (7-7.5 s here; a second -t for the status made it 12 s)
	[ $el -le 1500 ] || fail "the client took $(secs $el) s to give up with -t 5"
	one_message /tmp/cut.err "far end|connection|lost|timed out|peer"
	[ -z "$left" ] || fail "left behind on the client: $left"
	note "client: 121 after $(secs $el) s ($(last_err /tmp/cut.err))"
	# the far side learns of the dead peer from its own socket; give it a minute
	t0=$(now_cs)
	i=0
	while [ $i -lt 30 ]; do
		far=$(on_nas "ps | grep -e '[t]apewrite' -e '[d]d of=/dev/nst0' -e '[s]ocketpipe'")
		[ -z "$far" ] && break
		sleep 2; i=$((i + 1))
	done
	if [ -n "$far" ]; then
		on_nas "ps | grep -e '[t]apewrite' -e '[d]d of=/dev/nst0' -e '[s]ocketpipe' | while read -r p _; do kill -9 \$p; done"
		fail "still running on the nas a minute after the link came back: $(echo "$far" | tr -s ' \n' ' ')"
	fi
	farel=$(($(now_cs) - t0))
	set -- $(on_nas 'mt -f /dev/nst0 rewind && spt records 32768; echo "writer=$(cat /tmp/cut.status 2>/dev/null)"')
	[ $# -ge 4 ] || fail "could not read the tape back"
	whole=$1; short=$2; bytes=$3; sha=$4; writer=${5#writer=}
	[ "$bytes" -gt 0 ] || fail "nothing reached the tape before the cut"
	[ "$bytes" -lt $total ] || fail "the whole stream is on the tape: the cut came too late"
	# the whole records must be what was sent
	wsha=$(on_nas "mt -f /dev/nst0 rewind && dd if=/dev/nst0 bs=32768 count=$whole 2>/dev/null | sha256sum | cut -c1-64")
	[ "$wsha" = "$(spt gen cut $((whole * 32768)) | sum)" ] ||
		fail "the $whole whole records on the tape are not a prefix of what was sent"
	# A writer that sees a clean end of data writes its partial block as a
	# short record and exits 0: a truncated backup that looks complete.  The
	# far end must see the connection fail instead (a reset, a timeout).
	[ "$short" = 0 ] && [ "$writer" != 0 ] ||
		fail "client: 121 after $(secs $el) s ($(last_err /tmp/cut.err)); but the far dd ended with status ${writer:-none} after $bytes of $total bytes ($whole whole records + $short short): the cut connection ended as a clean EOF, a half backup passed off as good"
	note "nas: nothing left $(secs $farel) s after the link came back; tape: $whole whole records (an intact prefix), no short one, writer status ${writer:-killed}"
}

# --- an intruder on the listening port ----------------------------------------------------------

intruder() { # junk|silent
	if [ "$1" = junk ]; then feed="(echo intruder; sleep 6)"; else feed="sleep 6"; fi
	before=$(listening | tr '\n' ' ')
	rm -f /tmp/intr.rc /tmp/intr.out
	n=2097152
	( SPT=60 sp -t 30 -i { spt gen intr $n } -l { spt slowlogin nas } -r { spt sumhost } -o { dd of=/tmp/intr.out } 2>/tmp/intr.err
	  echo $? > /tmp/intr.rc ) &
	port=; i=0
	while [ -z "$port" ] && [ $i -lt 25 ]; do
		for p in $(listening); do
			case " $before " in *" $p "*) ;; *) port=$p ;; esac
		done
		sleep 0.1; i=$((i + 1))
	done
	[ -n "$port" ] || fail "no new listening port on the client within 2.5 s"
	# the nas is a third party here: it connects first, sends junk or
	# nothing, and keeps the connection open longer than the real far side
	# needs to arrive
	on_nas "rm -f /tmp/intr.*; $feed | timeout 10 nc 10.0.77.1 $port > /tmp/intr.got 2>/tmp/intr.nce; echo \$? > /tmp/intr.nc" &
	dbc=$!
	t0=$(now_cs)
	i=0
	while [ ! -s /tmp/intr.rc ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
	el=$(($(now_cs) - t0))
	i=0
	while kill -0 $dbc 2>/dev/null && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
	rc=$(cat /tmp/intr.rc 2>/dev/null)
	[ -n "$rc" ] || fail "the transfer did not end with an intruder on port $port"
	status_is "$rc" 0 "with an intruder" "$(last_err /tmp/intr.err)"
	[ "$(cat /tmp/intr.out)" = "nas $(spt gen intr $n | sum)" ] || fail "the data arrived damaged: '$(cat /tmp/intr.out)'"
	set -- $(on_nas 'echo "$(cat /tmp/intr.nc) $(wc -c < /tmp/intr.got)"; cat /tmp/intr.nce')
	case "$*" in *"can't connect"*) fail "the intruder could not connect to port $port: nothing was tested" ;; esac
	[ "${2:-x}" = 0 ] || fail "the intruder received ${2:-?} bytes"
	[ "${1:-}" != 143 ] || fail "the intruder's connection was still open 10 s later"
	note "intruder on port $port got 0 bytes and was disconnected (nc status $1); transfer intact in $(secs $el) s"
}

sc_intruder() { intruder junk; }
sc_intruder_silent() { intruder silent; }

# --- nesting: client -> nas -> client ----------------------------------------------------------------

sc_nesting_two_hops() {
	n=4194304
	out=$(sp -t 30 -i { spt gen nest $n } -l { dbclient -y nas } -r { socketpipe -l { dbclient -y client } -r { spt sumhost } } 2>/tmp/e)
	status_is $? 0 "two hops" "$(last_err /tmp/e)"
	[ "$out" = "client $(spt gen nest $n | sum)" ] || fail "got '$out' back, want the sum from the client"
	note "4 MiB client -> nas -> client and the sum back, intact"
}

# --- throughput ------------------------------------------------------------------------------------------

rate() { # bytes centiseconds -> KiB/s
	echo $(($1 / 1024 * 100 / ($2 > 0 ? $2 : 1)))
}
mib() { # KiB/s -> MiB/s with one decimal
	echo "$(($1 / 1024)).$(($1 * 10 / 1024 % 10))"
}
ratio() { # a b -> a/b with two decimals
	r=$(($1 * 100 / ($2 > 0 ? $2 : 1)))
	echo "$((r / 100)).$((r / 10 % 10))$((r % 10))"
}
sc_throughput() {
	n=33554432
	spt gen tp $n > /dev/null   # warm the page cache for the block
	t0=$(now_cs)
	out=$(SPT=120 sp -i { spt gen tp $n } -l { dbclient -y nas } -r { wc -c } 2>/tmp/e)
	rc=$?
	t_sp=$(($(now_cs) - t0))
	status_is $rc 0 socketpipe "$(last_err /tmp/e)"
	[ "$out" = $n ] || fail "socketpipe delivered $out bytes"
	t0=$(now_cs)
	out=$(spt gen tp $n | timeout 120 dbclient -y nas 'wc -c' 2>/tmp/e)
	t_db=$(($(now_cs) - t0))
	[ "$out" = $n ] || fail "the dbclient pipe delivered '$out' bytes: $(last_err /tmp/e)"
	# BusyBox nc half-closes when its stdin ends and the sender then stops:
	# the listener's stdin is a FIFO held open, with nothing written to it
	timeout 120 dbclient -y nas 'rm -f /tmp/hold; mkfifo /tmp/hold; sleep 130 > /tmp/hold & s=$!
		nc -l -p 5001 < /tmp/hold | wc -c; kill $s' > /tmp/nc.count 2>/dev/null </dev/null &
	i=0
	until on_nas 'netstat -ltn | grep -q ":5001 "'; do
		i=$((i + 1)); [ $i -lt 20 ] || fail "the nc listener on the nas did not start"
		sleep 0.2
	done
	t0=$(now_cs)
	spt gen tp $n | timeout 120 nc 10.0.77.2 5001
	t_nc=$(($(now_cs) - t0))
	wait
	[ "$(cat /tmp/nc.count)" = $n ] || fail "the nc pipe delivered '$(cat /tmp/nc.count)' bytes"
	r_sp=$(rate $n $t_sp); r_db=$(rate $n $t_db); r_nc=$(rate $n $t_nc)
	info "throughput 32 MiB client->nas: socketpipe $(mib $r_sp) MiB/s ($(secs $t_sp) s), dbclient pipe $(mib $r_db) MiB/s ($(secs $t_db) s), nc pipe $(mib $r_nc) MiB/s ($(secs $t_nc) s)"
	info "ratios: socketpipe/dbclient $(ratio $r_sp $r_db), socketpipe/nc $(ratio $r_sp $r_nc)"
	[ $r_sp -ge $r_db ] || fail "socketpipe ($r_sp KiB/s) slower than a dbclient pipe ($r_db KiB/s)"
	note "socketpipe/dbclient $(ratio $r_sp $r_db), socketpipe/nc $(ratio $r_sp $r_nc)"
}

# --- a rate cap (-L) ----------------------------------------------------------------------------------

# capped WHAT: spt meter's "<bytes> <bytes timed> <centiseconds>" in
# /tmp/meter, checked against n and the cap (KiB/s); the rate noted
capped() {
	set -- "$1" $(cat /tmp/meter 2>/dev/null)
	[ "${2:-}" = $n ] || fail "$1: ${2:-no} bytes arrived, want $n"
	r=$(rate $3 $4)
	note "$1 $r;"
	[ $((r * 10)) -ge $((capk * 9)) ] && [ $((r * 10)) -le $((capk * 11)) ] ||
		fail "$1: $r KiB/s ($3 bytes in $(secs $4) s) with -L $cap, want $capk KiB/s +-10%"
}
sc_rate_cap() {
	cap=2M; capk=2048; n=20971520
	# the data from a file on each side, sent by one cat: spt gen starts a
	# process for every MiB, and the gaps would count against the rate
	spt gen rc $n > /tmp/rc.data
	on_nas "spt gen rc $n > /tmp/rc.data" || fail "could not make the data on the nas"
	# uncapped first: a cap the rig could not reach anyway would prove
	# nothing.  Timed whole, set-up included: the receiver's first read
	# can take most of a fast stream at once.
	t0=$(now_cs)
	SPT=60 sp -i { cat /tmp/rc.data } -l { dbclient -y nas } -r { spt meter $n } > /tmp/meter 2>/tmp/e
	rc=$?
	el=$(($(now_cs) - t0))
	status_is $rc 0 "uncapped" "$(last_err /tmp/e)"
	set -- $(cat /tmp/meter)
	[ "${1:-}" = $n ] || fail "uncapped: ${1:-no} bytes arrived, want $n"
	r=$(rate $n $el)
	[ $((r * 2)) -ge $((capk * 3)) ] || fail "uncapped the rig moves only $r KiB/s: a $cap cap is not tested"
	note "KiB/s: uncapped $r (set-up included); -L $cap ($capk):"
	# direct: -i and -o own the socket; relay: socketpipe's stdin/stdout
	SPT=60 sp -L $cap -i { cat /tmp/rc.data } -l { dbclient -y nas } -r { spt meter $n } > /tmp/meter 2>/tmp/e
	status_is $? 0 "direct, client->nas" "$(last_err /tmp/e)"
	capped "direct client->nas"
	SPT=60 sp -L $cap -l { dbclient -y nas } -r { cat /tmp/rc.data } -o { spt meter $n } < /dev/null > /tmp/meter 2>/tmp/e
	status_is $? 0 "direct, nas->client" "$(last_err /tmp/e)"
	capped "direct nas->client"
	SPT=60 sp -L $cap -l { dbclient -y nas } -r { spt meter $n } < /tmp/rc.data > /tmp/meter 2>/tmp/e
	status_is $? 0 "relay, client->nas" "$(last_err /tmp/e)"
	capped "relay client->nas"
	{ SPT=60 sp -L $cap -l { dbclient -y nas } -r { cat /tmp/rc.data } < /dev/null 2>/tmp/e; echo $? > /tmp/rc; } | spt meter $n > /tmp/meter
	status_is "$(cat /tmp/rc)" 0 "relay, nas->client" "$(last_err /tmp/e)"
	capped "relay nas->client"
	rm -f /tmp/rc.data; on_nas rm -f /tmp/rc.data
	note "$((n / 1048576)) MiB each"
}

# --- -e: kernel TLS on the data connection -----------------------------------------------------------

# the kernel's count of TLS sockets set up (TX and RX) on this guest or the nas
tls_socks() { awk '$1 == "TlsTxSw" || $1 == "TlsRxSw" { n += $2 } END { print n + 0 }' /proc/net/tls_stat 2>/dev/null; }
nas_tls_socks() { on_nas "awk '\$1 == \"TlsTxSw\" || \$1 == \"TlsRxSw\" { n += \$2 } END { print n + 0 }' /proc/net/tls_stat"; }

# enc_way WHAT N: N bytes client->nas and nas->client with -e, checked whole
# at the far side and here, both kernels counting the TLS sockets
enc_way() {
	want=$(spt gen "e$2" "$2" | sum)
	[ "$2" = 104857600 ] && want=$(sed -n 's/^big //p' /etc/sp/sums) && set -- "$1" "$2" big
	seed=${3:-e$2}
	a=$(tls_socks); b=$(nas_tls_socks)
	out=$(SPT=200 sp -e -i { spt gen "$seed" "$2" } -l { dbclient -y nas } -r { spt sumhost } 2>/tmp/e)
	status_is $? 0 "$1 client->nas" "$(last_err /tmp/e)"
	[ "$out" = "nas $want" ] || fail "$1 client->nas: the nas got '$out', want nas $want"
	out=$(SPT=200 sp -e -l { dbclient -y nas } -r { spt gen "$seed" "$2" } -o { sha256sum } 2>/tmp/e)
	status_is $? 0 "$1 nas->client" "$(last_err /tmp/e)"
	out=$(echo "$out" | cut -c1-64)
	[ "$out" = "$want" ] || fail "$1 nas->client: got $out, want $want"
	# a TX and an RX socket on each end for each of the two transfers
	[ $(($(tls_socks) - a)) -ge 4 ] || fail "$1: the client's kernel set up $(($(tls_socks) - a)) TLS directions, want 4"
	[ $(($(nas_tls_socks) - b)) -ge 4 ] || fail "$1: the nas's kernel set up $(($(nas_tls_socks) - b)) TLS directions, want 4"
	note "$1 both ways;"
}
sc_encrypt_sizes() {
	enc_way "0 B" 0
	enc_way "1 B" 1
	t0=$(now_cs)
	enc_way "100 MiB" 104857600
	note "100 MiB each way in $(secs $(($(now_cs) - t0))) s"
	# an output command that stops early by choice: as without -e (no
	# alarm: it chose not to read the rest)
	for x in "" -e; do
		out=$(SPT=60 sp $x -l { dbclient -y nas } -r { spt gen early 100000 } -o { head -c 10 } 2>/tmp/e)
		echo "$? $out" > "/tmp/early$x"
	done
	[ "$(cat /tmp/early-e)" = "$(cat /tmp/early)" ] || fail "head -c 10 with -e: '$(cat /tmp/early-e)', without: '$(cat /tmp/early)': $(last_err /tmp/e)"
	note "; head -c 10 as without -e ($(cut -d' ' -f1 /tmp/early))"
}

sc_encrypt_tape() {
	# the seed's backup and restore, encrypted on the LAN
	on_nas mt -f /dev/nst0 rewind || fail "mt rewind on the nas failed"
	sp -e -i { tar cf - -C /tmp tree } -l { dbclient -y nas } -r { dd of=/dev/st0 bs=32k iflag=fullblock } 2>/tmp/e
	status_is $? 0 "backup with -e" "$(last_err /tmp/e)"
	set -- $(on_nas 'mt -f /dev/nst0 rewind && spt records 32768')
	[ "${4:-}" = "$(tar cf - -C /tmp tree | sum)" ] || fail "the tape holds ${3:-?} bytes that are not the tar of the tree"
	rm -rf /tmp/renc; mkdir -p /tmp/renc; cd /tmp/renc || fail "no /tmp/renc"
	on_nas mt -f /dev/nst0 rewind || fail "mt rewind on the nas failed"
	sp -e -l { dbclient -y nas } -r { dd if=/dev/st0 bs=32k } -o { tar xpf - tree/home/luser } 2>/tmp/e
	status_is $? 0 "restore with -e" "$(last_err /tmp/e)"
	same_tree /tmp/tree/home/luser /tmp/renc/tree/home/luser "restored tree"
	note "tar to tape and back with -e, $(($1 + $2)) records;"
	# a login that does not encrypt: said so, and the transfer still goes
	printf '#!/bin/sh\nexec dbclient -y "$@"\n' > /tmp/rsh; chmod 755 /tmp/rsh
	out=$(printf x | sp -e -l { /tmp/rsh nas } -r { spt sumhost } 2>/tmp/e)
	status_is $? 0 "-e through an rsh" "$(last_err /tmp/e)"
	[ "$out" = "nas $(printf x | sum)" ] || fail "through the rsh the far side saw '$out'"
	grep -q '^socketpipe: -e: rsh sends the keys in the clear' /tmp/e || fail "no warning that rsh sends the keys in the clear: $(last_err /tmp/e)"
	note "rsh: warned"
}

# The data connection through a relay on the nas that the test controls:
# the far end connects to it (-c far -h 127.0.0.1 -p PORT), and it connects
# on to the client's socketpipe on the same port.  The script runs with the far
# end's connection as stdin and stdout.  The handshake must pass at once
# (a buffering stage would hold it until the far end gives up), so the
# stages before the data copy its messages exactly: hello 45 and proof 17
# bytes from the far end, challenge 49 and "ok" 3 bytes to it.
HS_UP="dd bs=49 count=1 iflag=fullblock; dd bs=3 count=1 iflag=fullblock"
HS_DOWN="dd bs=45 count=1 iflag=fullblock; dd bs=17 count=1 iflag=fullblock"
relay_start() { # script
	printf '#!/bin/sh\n%s\n' "$1" | timeout 20 dbclient -y nas 'cat > /tmp/relay.sh; chmod 755 /tmp/relay.sh; rm -f /tmp/wire' 2>>/tmp/sp.dbclient ||
		fail "could not put the relay on the nas"
	timeout 60 dbclient -y nas "nc -l -p $RPORT -e /tmp/relay.sh" </dev/null >/dev/null 2>&1 &
	i=0
	until on_nas "netstat -ltn | grep -q ':$RPORT '"; do
		i=$((i + 1)); [ $i -lt 20 ] || fail "the relay on the nas did not start"
		sleep 0.2
	done
}
RPORT=5100
# a port of its own for each relay: nothing left of the last one in the way
# (rc: its status, once the relay is gone too)
relayed() {
	rm -f /tmp/kept
	SPT=60 sp -e -t 15 -c far -h 127.0.0.1 -p $RPORT "$@"
	rc=$?
	wait
	RPORT=$((RPORT + 1))
}
# caught WHAT WAY HOW: the relayed run ended 119, with the line
# "-e: data WAY far end HOW"
caught() {
	status_is $rc 119 "$1" "$(last_err /tmp/e)"
	grep -q "^socketpipe: -e: data $2 far end $3" /tmp/e || fail "$1: no line saying the data $2 the far end was $3: $(last_err /tmp/e)"
	info "encrypt, $2 the far end, $3: $(grep '^socketpipe' /tmp/e | tr '\n' '|')"
}
# BusyBox nc ends when the client's side ends, and would take the far end's
# side with it: where the data goes from the far end, the local input (the
# client's side) stays open until the output command is done
HOLD="spt holdtill /tmp/kept"
# what the wire carried must not hold the plaintext: spt gen starts each
# MiB with "<seed> <number>"
no_plaintext() {
	w=$(on_nas 'test -s /tmp/wire && grep -c "flip 0000000" /tmp/wire')
	[ "$w" = 0 ] || fail "the wire copy holds the plaintext (or is missing): '$w'"
}
# OUT is a prefix of WANT's data: nothing altered reached the output
prefix_of() { # file seed bytes what
	spt gen "$2" "$3" > /tmp/want.data
	got=$(wc -c < "$1")
	[ "$got" -lt "$3" ] || fail "$4: all $got bytes arrived"
	head -c "$got" /tmp/want.data | cmp -s - "$1" || fail "$4: the output differs from what was sent"
}

sc_encrypt_flip() {
	n=2097152
	# after 9 blocks of 64 KiB, one byte changed (each value to the next)
	flip="dd bs=1 count=1 | tr '\\000-\\377' '\\001-\\377\\000'"
	# client -> nas: a byte of the stream to the far end flipped
	relay_start "nc 10.0.77.1 $RPORT | { $HS_UP; dd bs=65536 count=9 iflag=fullblock | tee /tmp/wire; $flip; cat; } 2>/dev/null"
	relayed -i { spt gen flip $n } -l { dbclient -y nas } -r { dd of=/tmp/flip.out } 2>/tmp/e
	caught "a byte flipped on the way to the far end" to altered
	on_nas 'cat /tmp/flip.out' > /tmp/flip.got
	prefix_of /tmp/flip.got flip $n "client->nas"
	no_plaintext
	note "client->nas: 119, $(wc -c < /tmp/flip.got) whole bytes of $n;"
	# nas -> client
	relay_start "{ $HS_DOWN; dd bs=65536 count=9 iflag=fullblock; $flip; cat; } 2>/dev/null | nc 10.0.77.1 $RPORT"
	relayed -i { $HOLD } -l { dbclient -y nas } -r { spt gen flip $n } -o { spt keep /tmp/flip.got /tmp/kept } 2>/tmp/e
	caught "a byte flipped on the way from the far end" from altered
	prefix_of /tmp/flip.got flip $n "nas->client"
	note "nas->client: 119, $(wc -c < /tmp/flip.got) whole bytes"
}

sc_encrypt_cut() {
	# the stream from the far end ends early on the way, at a place the
	# consumer cannot tell from the end: BusyBox nc half-closes when its
	# stdin ends, so the client sees a clean FIN
	n=400000 cut=196608
	relay_start "{ $HS_DOWN; dd bs=65536 count=3 iflag=fullblock; } 2>/dev/null | nc 10.0.77.1 $RPORT"
	relayed -i { $HOLD } -l { dbclient -y nas } -r { spt gen cut $n } -o { spt keep /tmp/cut.got /tmp/kept } 2>/tmp/e
	caught "a stream cut short on the way" from "cut short"
	prefix_of /tmp/cut.got cut $n "cut"
	[ "$got" -ge 180000 ] || fail "cut: only $got bytes before the cut reached the output, want the first 12 records (196608 bytes)"
	kept=$got
	# the same relay without the cut (no count): the same run passes
	relay_start "{ $HS_DOWN; dd bs=65536; } 2>/dev/null | nc 10.0.77.1 $RPORT"
	relayed -i { $HOLD } -l { dbclient -y nas } -r { spt gen cut $n } -o { spt keep /tmp/cut.got /tmp/kept } 2>/tmp/e
	status_is $rc 0 "the same relay, nothing cut" "$(last_err /tmp/e)"
	cmp -s /tmp/cut.got /tmp/want.data || fail "through the relay uncut, the data differs"
	note "cut at $cut of $n: 119, $kept bytes kept; uncut: 0"
}

sc_encrypt_throughput() {
	# -e against plain socketpipe and a dbclient pipe (AES in user space),
	# the same producer and consumer for all three: dd in 64 KiB blocks, as
	# a backup writes (a write is a TLS record of up to 16 KiB; BusyBox
	# cat's 4 KiB writes would make four times as many)
	n=33554432
	spt gen et $n > /tmp/et.data
	on_nas "spt gen et $n > /dev/null" || fail "the nas could not warm its block"
	best() { # what command...: the best of 2 runs in b (centiseconds)
		b=""
		for r in 1 2; do
			t0=$(now_cs)
			out=$(eval "$2" 2>/tmp/e)
			el=$(($(now_cs) - t0))
			[ "$out" = $n ] || fail "$1 delivered '$out' bytes: $(last_err /tmp/e)"
			[ -z "$b" ] || [ $el -lt $b ] && b=$el
		done
	}
	best "-e" 'SPT=120 sp -e -i { dd if=/tmp/et.data bs=65536 } -l { dbclient -y nas } -r { spt sink }'; t_e=$b
	best "plain" 'SPT=120 sp -i { dd if=/tmp/et.data bs=65536 } -l { dbclient -y nas } -r { spt sink }'; t_p=$b
	best "dbclient" 'dd if=/tmp/et.data bs=65536 2>/dev/null | timeout 120 dbclient -y nas "spt sink"'; t_d=$b
	rm -f /tmp/et.data
	r_e=$(rate $n $t_e); r_p=$(rate $n $t_p); r_d=$(rate $n $t_d)
	info "encrypt-throughput 32 MiB client->nas, best of 2: -e $(mib $r_e) MiB/s, plain $(mib $r_p) MiB/s, dbclient pipe $(mib $r_d) MiB/s"
	info "ratios: -e/dbclient $(ratio $r_e $r_d) (goal 3), -e/plain $(ratio $r_e $r_p) (goal 0.75)"
	note "-e/dbclient $(ratio $r_e $r_d), -e/plain $(ratio $r_e $r_p)"
	[ $r_e -ge $r_d ] || fail "-e ($r_e KiB/s) slower than a dbclient pipe ($r_d KiB/s)"
}

# --- a firewall on the client ------------------------------------------------------------------------

# Inbound TCP that opens a connection is dropped (and counted), as by a
# desktop's default firewall; replies to the client's own connections pass.
fw_on() {
	nft -f - <<-EOF
	table inet spfw {
		chain input {
			type filter hook input priority filter; policy accept;
			iif lo accept
			ct state established,related accept
			meta l4proto tcp ct state new counter drop
		}
	}
	EOF
}
fw_off() { nft delete table inet spfw 2>/dev/null; }
fw_dropped() { # packets the drop rule has counted
	nft list chain inet spfw input | sed -n 's/.*counter packets \([0-9]*\) .*/\1/p'
}
# fw_xfer up|down WHAT: 10 MiB one way, checksum compared; el its time
fw_xfer() {
	t0=$(now_cs)
	if [ $1 = up ]; then
		out=$(SPT=60 sp -t 20 -i { spt gen fwu $n } -l { dbclient -y nas } -r { spt sumhost } 2>/tmp/e)
	else
		out=$(SPT=60 sp -t 20 -l { dbclient -y nas } -r { spt gen fwd $n } -o { spt sumhost } </dev/null 2>/tmp/e)
	fi
	rc=$?
	el=$(($(now_cs) - t0))
	status_is $rc 0 "$2" "$(last_err /tmp/e)"
	if [ $1 = up ]; then want="nas $sum_up"; else want="client $sum_down"; fi
	[ "$out" = "$want" ] || fail "$2: got '$out', want '$want'"
}
# fw_setup WHAT: the set-up time (a 1-byte transfer, the better of two) in el
fw_setup() {
	best=
	for i in 1 2; do
		t0=$(now_cs)
		out=$(printf x | SPT=60 sp -t 20 -l { dbclient -y nas } -r { spt sumhost } 2>/tmp/e)
		rc=$?
		el=$(($(now_cs) - t0))
		status_is $rc 0 "$1" "$(last_err /tmp/e)"
		[ "$out" = "nas $(printf x | sum)" ] || fail "$1: got '$out'"
		[ -z "$best" ] || [ $el -lt $best ] && best=$el
	done
	el=$best
}
sc_firewall_client() {
	n=10485760
	# the rules go with the scenario, however it ends
	trap fw_off EXIT
	trap 'exit 143' TERM
	sum_up=$(spt gen fwu $n | sum); sum_down=$(spt gen fwd $n | sum)
	fw_off
	fw_setup "set-up without the firewall"; s0=$el
	fw_on || fail "nft could not set up the firewall"
	fw_setup "set-up with the firewall on the client"; s1=$el
	# the far end cannot connect back: the data connection goes the other way
	fw_xfer up "client->nas, firewall on the client"; up=$el
	fw_xfer down "nas->client, firewall on the client"; down=$el
	d=$(fw_dropped)
	note "set-up $(secs $s0) s, $(secs $s1) s with the firewall; 10 MiB intact up in $(secs $up) s, down in $(secs $down) s ($d SYNs dropped);"
	[ $((s1 - s0)) -le 150 ] || fail "set-up took $(secs $s1) s with the firewall, $(secs $s0) s without"
	# only the far end connecting back: nothing else to try, a clear error
	timed_sp -t 5 -c far -i { spt gen fwf 1000 } -l { dbclient -y nas } -r { spt sumhost }
	status_is $rc 122 "-c far through the firewall" "$(last_err /tmp/e)"
	[ $el -le 1000 ] || fail "-c far -t 5 took $(secs $el) s to fail"
	one_message /tmp/e "no data connection"
	one_message /tmp/e "firewall"
	[ "$(fw_dropped)" -gt "$d" ] || fail "-c far failed, but the firewall dropped nothing"
	i=0
	while far=$(on_nas "ps | grep '[s]ocketpipe'"); [ -n "$far" ] && [ $i -lt 20 ]; do sleep 0.2; i=$((i + 1)); done
	[ -z "$far" ] || fail "-c far: still running on the nas 10 s after the failure: $(echo "$far" | tr -s ' \n' ' ')"
	fw_off
	nft list tables | grep -q spfw && fail "the firewall table is still there"
	info "firewall-client, -c far: $(grep '^socketpipe: ' /tmp/e)"
	note "-c far: 122 in $(secs $el) s"
}

# --- the runner ---------------------------------------------------------------------------------------------

budget_of() {
	case $1 in
	size_100mib) echo 240 ;;
	encrypt_sizes|encrypt_throughput) echo 300 ;;
	encrypt_flip|encrypt_cut) echo 150 ;;
	link_cut) echo 300 ;;
	ship_binary) echo 240 ;;
	throughput) echo 300 ;;
	rate_cap|firewall_client) echo 150 ;;
	intruder|intruder_silent|nesting_two_hops|tape_filemarks) echo 120 ;;
	*) echo 90 ;;
	esac
}

run_one() { # index function
	name=$(echo "$2" | tr _ -)
	budget=$(budget_of "$2")
	echo "@@BEGIN $1 $name $budget"
	rm -f /tmp/sp.reason /tmp/sp.detail /tmp/sp.dbclient
	ls /proc | grep '^[0-9][0-9]*$' > /tmp/pids.before
	t0=$(now_cs)
	(cd /tmp && timeout -k 5 "$budget" sh -c ". /etc/sp/suite.sh; sc_$2") > "/tmp/out.$1" 2>&1
	rc=$?
	el=$(($(now_cs) - t0))
	if [ $rc = 0 ]; then
		echo "@@PASS $1 $name $(cat /tmp/sp.detail 2>/dev/null)[$(secs $el) s]"
	else
		r=$(cat /tmp/sp.reason 2>/dev/null)
		[ -n "$r" ] || { [ $rc = 143 ] && r="no end within ${budget} s in the guest"; }
		[ -n "$r" ] || r="the scenario shell ended with status $rc"
		echo "@@FAIL $1 $name $r"
		{ tail -n 3 "/tmp/out.$1"; last_err /tmp/sp.dbclient 2>/dev/null; } | sed 's/^/@@LOG /'
	fi
	# whatever the scenario left running goes, so the next one starts clean
	for p in $(ls /proc | grep '^[0-9][0-9]*$'); do
		grep -qx "$p" /tmp/pids.before && continue
		[ -s "/proc/$p/cmdline" ] && kill -9 "$p" 2>/dev/null
	done
}

suite_main() { # first-index skip-list(comma separated)
	t0=$(now_cs)
	while ! timeout 5 dbclient -y nas 'test -c /dev/nst0' </dev/null 2>/dev/null; do
		[ $(($(now_cs) - t0)) -lt 6000 ] || { echo "@@INFO the nas is not reachable, or has no tape"; break; }
		sleep 0.5
	done
	mk_tree /tmp/tree main 1
	i=0
	for f in $(sed -n 's/^sc_\([a-z0-9_]*\)() *{.*/\1/p' /etc/sp/suite.sh); do
		if [ $i -ge "$1" ]; then
			case ",$2," in *",$i,"*) ;; *) run_one $i "$f" ;; esac
		fi
		i=$((i + 1))
	done
}

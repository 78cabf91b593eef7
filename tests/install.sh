#!/bin/sh
# tests/install.sh: installing and releasing, as a packager or an appliance
# admin meets them (issue 15).  POSIX sh (dash, BusyBox ash, bash), as root:
#     sh tests/install.sh
# Ends with one line "N passed, N failed".
#
#  - make install DESTDIR=... puts exactly bin/socketpipe (0755, the
#    binary just built), the man page (0644) and every board binary in
#    lib/socketpipe/<uname -m>/ with the other names linked; no setuid;
#    PREFIX moves all of it; make uninstall leaves no file, link or
#    socketpipe directory behind;
#  - the installed binary runs a transfer whose far side is the installed
#    binary too, and -V names the version, the CPU and the commit;
#  - make dist in two clones of the commit, at two times, under two umasks
#    and time zones: byte-identical archives, entries owned 0/0 with the
#    commit's time, the static archive's SHA256SUMS right;
#  - make deb: two packages, lintian without errors; dpkg installs them into
#    an empty root, -V and a transfer run from there, dpkg -P leaves nothing.
#
# Needs the board sysroots (make boards; tests/all runs this after the
# board suite) and git: the release targets work from a commit.
top=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$top" || exit 1

pass=0
fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
ko() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
check() { # NAME CONDITION-COMMAND... (the why comes from $why)
	n=$1
	shift
	if "$@"; then ok "$n"; else ko "$n" "${why:-failed}"; fi
	why=
}
finish() { echo "$pass passed, $fail failed"; [ $fail = 0 ]; exit $?; }

T=$(mktemp -d /tmp/sp-install.XXXXXX) || exit 1
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

V=$(sed -n 's/^VERSION *= *//p' Makefile)
BOARDS=$(sed -n 's/^BOARDS *:= *//p' board/rules.mk)
# the table of uname -m names, "board name name..." per line
NAMES=$(sed -n 's/^UNAME_\([a-z0-9_]*\) *:= *\(.*\)/\1 \2/p' board/rules.mk)
HOSTCPU=$(uname -m)
if [ "$(id -u)" != 0 ]; then ko setup "must run as root (dpkg --root, make deb)"; finish; fi
[ -n "$V" ] && [ -n "$BOARDS" ] && [ -n "$NAMES" ] || { ko setup "cannot read VERSION, BOARDS or UNAME_ from the Makefiles"; finish; }

# GNU tar and dpkg by path: BusyBox ash would run its own applets of those
# names, which lack options used here (and its tar leaves directories with
# the time of extraction)
bin_of() {
	for d in /usr/bin /bin /usr/sbin /sbin; do
		[ -x "$d/$1" ] && { echo "$d/$1"; return 0; }
	done
	echo "$1"
}
TAR=$(bin_of tar) DPKG=$(bin_of dpkg) DPKGDEB=$(bin_of dpkg-deb)

# run NAME SECS CMD...: CMD with a bound, output in $T/log; 0 when it exits 0
run() {
	r_name=$1 r_lim=$2
	shift 2
	timeout -k 5 "$r_lim" "$@" >"$T/log" 2>&1
	r_rc=$?
	[ $r_rc = 0 ] && return 0
	[ $r_rc = 124 ] || [ $r_rc = 137 ] && why="did not end within $r_lim s" ||
		why="exit $r_rc: $(tail -n 5 "$T/log" | tr '\n' ' ')"
	return 1
}

# files ROOT: every file and link under ROOT, relative, sorted; a link as
# "path -> target"
files() {
	(cd "$1" && find . ! -type d | sed 's|^\./||' | LC_ALL=C sort | while read -r f; do
		if [ -L "$f" ]; then echo "$f -> $(readlink "$f")"; else echo "$f"; fi
	done)
}

# expected PREFIX: what make install must have put under PREFIX (no slash
# at the start), all boards built
expected() {
	{
		echo "$1/bin/socketpipe"
		echo "$1/share/man/man1/socketpipe.1"
		echo "$NAMES" | while read -r b first rest; do
			echo "$1/lib/socketpipe/$first/socketpipe"
			for n in $rest; do echo "$1/lib/socketpipe/$n -> $first"; done
		done
	} | LC_ALL=C sort
}

# transfer NAME BINDIR: BINDIR/socketpipe sends 1 MiB through a stand-in
# login whose far side finds socketpipe in BINDIR first, and the remote
# command reports which program is its parent: the far end must be
# BINDIR/socketpipe as well
head -c 1048583 /dev/urandom >"$T/data"
cat >"$T/lo" <<'EOF'
#!/bin/sh
shift
SSH_CONNECTION="127.0.0.1 1 127.0.0.1 22" PATH="$FARBIN:$PATH" exec sh -c "$*"
EOF
chmod +x "$T/lo"
transfer() {
	t_bin=$2
	rm -f "$T/back" "$T/far"
	FARBIN=$t_bin timeout -k 2 30 "$t_bin/socketpipe" -t 10 -i { cat "$T/data" } -l { "$T/lo" host } \
		-r { sh -c 'readlink /proc/$PPID/exe >&2; cat' } -o { sh -c "cat >'$T/back'" } 2>"$T/far"
	t_rc=$?
	why="exit $t_rc; stderr: $(head -c 300 "$T/far" | tr '\n' ' ')"
	check "$1: 1 MiB+7 through the installed binary, both ends" \
		eval '[ $t_rc = 0 ] && cmp -s "$T/data" "$T/back"'
	why="the far end was $(head -n 1 "$T/far"), not $t_bin/socketpipe"
	check "$1: the far end is the installed binary" eval '[ "$(head -n 1 "$T/far")" = "$t_bin/socketpipe" ]'
}

# vline NAME OUTPUT CPU COMMIT: -V's line names version, CPU and commit
vline() {
	v_out=$2 v_cpu=$3 v_c=$4
	why="-V printed '$v_out'"
	check "$1: -V names version $V, CPU $v_cpu, commit $v_c" eval \
		'case "$v_out" in "socketpipe $V ($v_cpu, commit $v_c)" | "socketpipe $V ($v_cpu, commit $v_c+)") true ;; *) false ;; esac'
}

# ---------------------------------------------------------------- install
why=
check "the boards are built (make boards)" run boards 900 make -s boards
HEAD12=$(git rev-parse --short=12 HEAD)
D=$T/root
if run install 300 make -s install DESTDIR="$D"; then ok "make install DESTDIR=... (PREFIX /usr/local)"
else ko "make install DESTDIR=..." "$why"; fi
files "$D" >"$T/got"
expected usr/local >"$T/want"
why="differs from the expected list: $(diff "$T/want" "$T/got" | grep '^[<>]' | head -n 5 | tr '\n' ' ')"
check "make install puts exactly bin/socketpipe, the man page and every board under lib/socketpipe/<uname -m>" cmp -s "$T/want" "$T/got"
why="the installed binary is not ./socketpipe"
check "bin/socketpipe is the binary just built" cmp -s socketpipe "$D/usr/local/bin/socketpipe"
bad=
for b in $BOARDS; do
	first=$(echo "$NAMES" | sed -n "s/^$b \([^ ]*\).*/\1/p")
	cmp -s "build/$b/socketpipe" "$D/usr/local/lib/socketpipe/$first/socketpipe" || bad="$bad $b->$first"
done
why="not the built binary:$bad"
check "lib/socketpipe/<uname -m>/socketpipe is build/<board>/socketpipe for all $(echo $BOARDS | wc -w) boards" [ -z "$bad" ]
modes=$(cd "$D" && find . -type f | while read -r f; do echo "$(stat -c %a "$f") $f"; done | LC_ALL=C sort)
why="modes: $(echo "$modes" | tr '\n' ' ')"
check "installed modes: 0755 binaries, 0644 man page, no setuid or setgid" eval \
	'! echo "$modes" | grep -v -e "^755 .*/socketpipe\$" -e "^644 .*/socketpipe\.1\$" | grep -q .'
dmodes=$(cd "$D" && find . -type d | while read -r f; do stat -c %a "$f"; done | sort -u | tr '\n' ' ')
why="directory modes: $dmodes"
check "installed directories 0755" [ "$dmodes" = "755 " ]

vline "installed" "$("$D/usr/local/bin/socketpipe" -V 2>&1)" "$HOSTCPU" "$HEAD12"
if command -v qemu-aarch64-static >/dev/null 2>&1; then
	vline "installed aarch64 (qemu-user)" "$(timeout 20 qemu-aarch64-static "$D/usr/local/lib/socketpipe/aarch64/socketpipe" -V 2>&1)" aarch64 "$HEAD12"
else
	ko "installed aarch64 -V" "no qemu-aarch64-static (make setup-boards)"
fi
transfer "make install" "$D/usr/local/bin"

if run uninstall 60 make -s uninstall DESTDIR="$D"; then ok "make uninstall DESTDIR=..."
else ko "make uninstall DESTDIR=..." "$why"; fi
left=$(cd "$D" && { find . ! -type d; find . -name 'socketpipe*'; } | head -n 5 | tr '\n' ' ')
why="left behind: $left"
check "make uninstall leaves no file, link or socketpipe directory" [ -z "$left" ]

D2=$T/root2
run install 300 make -s install DESTDIR="$D2" PREFIX=/opt/sp
files "$D2" >"$T/got"
expected opt/sp >"$T/want"
why="differs: $(diff "$T/want" "$T/got" | grep '^[<>]' | head -n 5 | tr '\n' ' ')"
check "PREFIX=/opt/sp: everything under opt/sp, nothing elsewhere" cmp -s "$T/want" "$T/got"
run uninstall 60 make -s uninstall DESTDIR="$D2" PREFIX=/opt/sp
left=$(cd "$D2" && find . ! -type d | head -n 5 | tr '\n' ' ')
why="left behind: $left"
check "make uninstall PREFIX=/opt/sp leaves no file or link" [ -z "$left" ]

# ---------------------------------------------------------------- dist
# Two clones of this commit at different depths; the second one a few
# seconds later, under another umask and time zone.  The sysroots are
# copied in (board/export.sh), the rest is each clone's own make dist.
A=$T/a B=$T/x/y/b
mkdir -p "$T/x/y"
clone() { # DIR
	git clone -q "$top" "$1" && sh board/export.sh --sysroot "$1"
}
why="git clone or the sysroot copy failed"
check "two clones of the commit with the board sysroots (the second under umask 077)" \
	eval 'clone "$A" >"$T/log" 2>&1 && (umask 077; clone "$B") >>"$T/log" 2>&1'
C40=$(git -C "$A" rev-parse HEAD)
C12=$(git -C "$A" rev-parse --short=12 HEAD)
EPOCH=$(git -C "$A" log -1 --format=%ct)
check "make dist in the first clone" run dist 600 make -C "$A" -s dist
sleep 2
check "make dist in the second clone (umask 077, TZ=Pacific/Chatham, LC_ALL=C)" \
	run dist 600 sh -c 'umask 077; TZ=Pacific/Chatham LC_ALL=C make -C "$1" -s dist' sh "$B"
for f in socketpipe-$V.tar.gz socketpipe-$V-static.tar.gz SHA256SUMS; do
	why="$A/build/dist/$f and $B/build/dist/$f differ (or are missing)"
	check "make dist twice: $f byte-identical" cmp -s "$A/build/dist/$f" "$B/build/dist/$f"
done

X=$T/unpacked
mkdir -p "$X"
"$TAR" -xzf "$A/build/dist/socketpipe-$V.tar.gz" -C "$X" 2>"$T/log" &&
	"$TAR" -xzf "$A/build/dist/socketpipe-$V-static.tar.gz" -C "$X" 2>>"$T/log"
(cd "$X/socketpipe-$V" && find . -type f | sed 's|^\./||' | LC_ALL=C sort) >"$T/got"
git -C "$A" ls-tree -r --name-only HEAD | LC_ALL=C sort >"$T/want"
why="differs from git ls-tree: $(diff "$T/want" "$T/got" | grep '^[<>]' | head -n 5 | tr '\n' ' ')"
check "the source archive holds exactly the commit's files" cmp -s "$T/want" "$T/got"
why="board/release: $(tr '\n' ' ' <"$X/socketpipe-$V/board/release")"
check "the source archive's board/release names the commit" grep -qx "commit $C40" "$X/socketpipe-$V/board/release"
S=$X/socketpipe-$V-static
want="LICENSE README SHA256SUMS"
for b in $BOARDS; do want="$want $b/socketpipe"; done
want=$(echo $want socketpipe.1 | tr ' ' '\n' | LC_ALL=C sort | tr '\n' ' ')
got=$(cd "$S" && find . -type f | sed 's|^\./||' | LC_ALL=C sort | tr '\n' ' ')
why="holds: $got"
check "the static archive holds the $(echo $BOARDS | wc -w) binaries by board, the man page, LICENSE, README, SHA256SUMS" [ "$got" = "$want" ]
why="$(cd "$S" && sha256sum -c SHA256SUMS 2>&1 | grep -v ': OK$' | head -n 3 | tr '\n' ' ')"
check "the static archive's SHA256SUMS checks" eval '(cd "$S" && sha256sum -c SHA256SUMS >/dev/null 2>&1)'
owners=$( { "$TAR" -tvzf "$A/build/dist/socketpipe-$V.tar.gz"; "$TAR" -tvzf "$A/build/dist/socketpipe-$V-static.tar.gz"; } |
	awk '{ print $2 }' | sort -u | tr '\n' ' ')
why="owners: $owners"
check "every archive entry owned 0/0" [ "$owners" = "0/0 " ]
# GNU tar's --sort=name: the names in each directory in byte order, each
# directory's entries before the next name of its parent
unsorted() { # ARCHIVE: the first entries out of that order
	"$TAR" -tzf "$1" | LC_ALL=C awk '{ p = $0; sub(/\/$/, "", p); d = p; n = p
		if (sub(/\/[^\/]*$/, "", d)) sub(/^.*\//, "", n); else d = ""
		if ((d in last) && last[d] >= n) print p; last[d] = n }' | head -n 3 | tr '\n' ' '
}
unsorted=$(unsorted "$A/build/dist/socketpipe-$V.tar.gz")$(unsorted "$A/build/dist/socketpipe-$V-static.tar.gz")
why="out of order: $unsorted"
check "archive entries sorted by name" [ -z "$unsorted" ]
times=$(cd "$X" && find . -mindepth 1 | while read -r f; do stat -c %Y "$f"; done | sort -u | tr '\n' ' ')
why="times: $times, commit $EPOCH"
check "every archive entry has the commit's time" [ "$times" = "$EPOCH " ]
vline "dist x86_64" "$("$S/x86_64/socketpipe" -V 2>&1)" x86_64 "$C12"
why="the release binary's -V is not exactly the commit's"
check "dist: the binaries name the commit with no '+'" \
	eval '[ "$("$S/x86_64/socketpipe" -V 2>&1)" = "socketpipe $V (x86_64, commit $C12)" ]'

# ---------------------------------------------------------------- deb
check "make deb (dpkg-buildpackage -us -uc -b, then lintian)" run deb 900 make -C "$A" -s deb
DA=$("$DPKG" --print-architecture)
P1=$A/build/deb/socketpipe_${V}_$DA.deb P2=$A/build/deb/socketpipe-boards_${V}_$DA.deb
why="$(ls "$A/build/deb" 2>&1 | tr '\n' ' ')"
check "make deb: socketpipe and socketpipe-boards built" eval '[ -f "$P1" ] && [ -f "$P2" ]'
why="$(grep '^E:' "$A/build/deb/lintian.log" 2>&1 | head -n 5 | tr '\n' ' ')"
check "lintian: no errors" eval '[ -f "$A/build/deb/lintian.log" ] && ! grep -q "^E:" "$A/build/deb/lintian.log"'
c1=$("$DPKGDEB" -c "$P1" 2>&1 | awk '{ print $6 }' | grep -v '/$' | grep -v '^./usr/share/doc/\|^./usr/share/lintian/' | tr '\n' ' ')
why="holds: $c1"
check "socketpipe holds the binary and the man page" [ "$c1" = "./usr/bin/socketpipe ./usr/share/man/man1/socketpipe.1.gz " ]
c2=$("$DPKGDEB" -c "$P2" 2>&1 | awk '{ print $6 }' | sed -n 's|^\./usr/lib/socketpipe/\([^/]*\)/socketpipe$|\1|p' | LC_ALL=C sort | tr '\n' ' ')
want=$(echo "$NAMES" | while read -r b first rest; do
	case " $first $rest " in *" $HOSTCPU "*) ;; *) echo "$first" ;; esac
done | LC_ALL=C sort | tr '\n' ' ')
why="holds binaries for: $c2, want $want"
check "socketpipe-boards holds every other CPU's binary in /usr/lib/socketpipe/<uname -m>/" [ "$c2" = "$want" ]

R=$T/dpkgroot
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates"
: >"$R/var/lib/dpkg/status"
check "dpkg --root installs both into an empty root" run dpkg 120 "$DPKG" --root="$R" --log=/dev/null -i "$P1" "$P2"
vline "dpkg-installed" "$("$R/usr/bin/socketpipe" -V 2>&1)" "$HOSTCPU" "$C12"
transfer "dpkg-installed" "$R/usr/bin"
if command -v qemu-ppc-static >/dev/null 2>&1; then
	vline "dpkg-installed ppc (qemu-user)" "$(timeout 20 qemu-ppc-static "$R/usr/lib/socketpipe/ppc/socketpipe" -V 2>&1)" ppc "$C12"
else
	ko "dpkg-installed ppc -V" "no qemu-ppc-static (make setup-boards)"
fi
check "dpkg --root -P removes both" run dpkg 120 "$DPKG" --root="$R" --log=/dev/null -P socketpipe socketpipe-boards
left=$(cd "$R" && find . ! -type d ! -path './var/*' | head -n 5 | tr '\n' ' ')
why="left behind: $left"
check "nothing of the packages left after dpkg -P" [ -z "$left" ]

finish

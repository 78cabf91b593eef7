#!/bin/sh
# board/setup.sh [board...]: cross gcc, qemu-user and a musl sysroot per board.
#
# Idempotent: each step leaves a stamp and is skipped when the stamp is there,
# so `make BOARD=x` can call it every time at almost no cost.
#
# Everything comes from Debian: cross gcc and qemu-user-static with apt-get;
# musl-dev:<arch> fetched with `apt-get download` and unpacked with `dpkg -x`;
# musl built from `apt-get source musl` where Debian ships no musl-dev
# (riscv64, powerpc).  dpkg's architecture list and the system's APT sources
# are never changed: foreign package lists and deb-src entries live in a
# private APT configuration under build/apt/.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
B=$top/build
APTDIR=$B/apt
mkdir -p "$B"

# `make -j boards` may start several of us at once: one at a time, since
# they share the APT lists and the musl source tree.
if command -v flock >/dev/null 2>&1; then
	exec 9>"$B/setup-boards.lock"
	flock -w 900 9 || { echo "setup-boards: another setup still running after 900 s" >&2; exit 1; }
fi

start=$(date +%s)
say() { echo "setup-boards: $*"; }
took() { echo "$(($(date +%s) - start)) s"; }
die() { echo "setup-boards: $*" >&2; exit 1; }

# A board file is a small make fragment (`KEY = value`); read one field.
field() {
	sed -n "s/^$2[[:space:]]*=[[:space:]]*//p" "$top/board/$1.mk" | sed 's/[[:space:]]*$//'
}

all_boards() {
	for f in "$top"/board/*.mk; do
		b=${f##*/}; b=${b%.mk}
		[ "$b" = rules ] || echo "$b"
	done
}

boards=${*:-$(all_boards)}
for b in $boards; do
	[ -f "$top/board/$b.mk" ] || die "unknown board '$b' (boards: $(all_boards | tr '\n' ' '))"
done

# ---- host packages ---------------------------------------------------------
# tool:package pairs for everything the requested boards need.
wanted="dpkg-source:dpkg-dev make:make strace:strace"
for b in $boards; do
	t=$(field "$b" TRIPLE)
	q=$(field "$b" QEMU); q=${q%% *}
	wanted="$wanted $t-gcc:$(field "$b" GCCPKG) $q:qemu-user-static"
done
missing_pkgs=
for tp in $wanted; do
	command -v "${tp%%:*}" >/dev/null 2>&1 && continue
	case " $missing_pkgs " in *" ${tp#*:} "*) ;; *) missing_pkgs="$missing_pkgs ${tp#*:}";; esac
done
if [ -n "$missing_pkgs" ]; then
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
		for p in $missing_pkgs; do
			echo "setup-boards: missing package $p: apt-get install $p (as root)" >&2
		done
		exit 1
	fi
	say "installing$missing_pkgs (apt-get, about 1 minute)"
	aptq="apt-get -o DPkg::Lock::Timeout=600 -q -y --no-install-recommends"
	# shellcheck disable=SC2086
	if ! $aptq install $missing_pkgs >"$B/apt-install.log" 2>&1; then
		# A fresh machine may have no package lists yet.
		apt-get -o DPkg::Lock::Timeout=600 -q update >>"$B/apt-install.log" 2>&1 || true
		$aptq install $missing_pkgs >>"$B/apt-install.log" 2>&1 ||
			die "apt-get install$missing_pkgs failed: see $B/apt-install.log"
	fi
fi

# ---- private APT configuration ---------------------------------------------
# Only the Debian archive stanzas of the system's sources are copied (with
# deb-src added): third-party and security mirrors are not needed for musl,
# and a flaky one would only make `update` fail.
aptcfg() {
	[ -f "$APTDIR/apt.conf" ] && return 0
	mkdir -p "$APTDIR/sources.list.d" "$APTDIR/lists/partial" \
		"$APTDIR/cache/archives/partial" "$APTDIR/debs"
	: >"$APTDIR/sources.list.d/debian.sources"
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk 'BEGIN { RS = ""; ORS = "\n\n" }
		     /URIs:[^\n]*\/debian\/?(\n|$| )/ && /Types:/ {
			sub(/Types:[^\n]*/, "Types: deb deb-src"); print }' "$f" \
			>>"$APTDIR/sources.list.d/debian.sources"
	done
	: >"$APTDIR/sources.list.d/debian.list"
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk '$1 == "deb" && $0 ~ /\/debian\/? / {
			print; sub(/^deb/, "deb-src"); print }' "$f" \
			>>"$APTDIR/sources.list.d/debian.list"
	done
	[ -s "$APTDIR/sources.list.d/debian.sources" ] || [ -s "$APTDIR/sources.list.d/debian.list" ] ||
		die "no Debian archive found in /etc/apt/sources.list(.d)"
	arches=
	for b in $(all_boards); do
		m=$(field "$b" MUSL)
		case $m in musl-dev:*) arches="$arches \"${m#musl-dev:}\";";; esac
	done
	cat >"$APTDIR/apt.conf.tmp" <<EOF
// Private to socketpipe's board builds: the system's APT setup is untouched.
Dir::Etc::SourceList "/dev/null";
Dir::Etc::SourceParts "$APTDIR/sources.list.d";
Dir::State::Lists "$APTDIR/lists";
Dir::Cache "$APTDIR/cache";
APT::Architectures {$arches };
APT::Sandbox::User "root";
EOF
	mv "$APTDIR/apt.conf.tmp" "$APTDIR/apt.conf"
}

papt() { APT_CONFIG=$APTDIR/apt.conf apt-get -q -o DPkg::Lock::Timeout=600 "$@"; }

aptupdate() {
	aptcfg
	[ -f "$APTDIR/updated" ] && return 0
	say "fetching Debian package lists into build/apt (private APT config, deb-src included)"
	# update exits non-zero when any index fails; what matters is that
	# the package and source we ask for next can be found.
	papt update >"$APTDIR/update.log" 2>&1 || true
	APT_CONFIG=$APTDIR/apt.conf apt-cache show musl-dev:amd64 >/dev/null 2>&1 &&
		APT_CONFIG=$APTDIR/apt.conf apt-cache showsrc musl >/dev/null 2>&1 ||
		die "private apt-get update failed: see $APTDIR/update.log"
	: >"$APTDIR/updated"
}

# ---- sysroots --------------------------------------------------------------
# Layout of build/sysroot/<board>: include/, lib/ (crt*.o, libc.a), musl.specs.
# `ok` holds the musl version; it is written last.

sysroot_deb() { # board musl-dev:arch
	s=$B/sysroot/$1
	aptupdate
	say "[$1] apt-get download $2 + dpkg -x"
	rm -rf "$s" && mkdir -p "$s"
	(cd "$APTDIR/debs" && papt download "$2" >"$s/download.log" 2>&1) ||
		die "apt-get download $2 failed: see $s/download.log"
	deb=$(ls -t "$APTDIR/debs/musl-dev_"*"_${2#musl-dev:}.deb" | head -n 1)
	dpkg -x "$deb" "$s/deb"
	inc=$(ls -d "$s"/deb/usr/include/*-linux-musl* | head -n 1)
	lib=$(ls -d "$s"/deb/usr/lib/*-linux-musl* | head -n 1)
	[ -f "$lib/libc.a" ] || die "no libc.a in $deb"
	ln -s "${inc#"$s"/}" "$s/include"
	ln -s "${lib#"$s"/}" "$s/lib"
	deb=${deb##*/musl-dev_}
	echo "${deb%%_*}" >"$s/version"
}

musl_source() {
	[ -f "$B/musl-src/ok" ] && return 0
	aptupdate
	say "apt-get source musl (Debian's source package, patches applied)"
	rm -rf "$B/musl-src" && mkdir -p "$B/musl-src"
	(cd "$B/musl-src" && papt source musl >source.log 2>&1) ||
		die "apt-get source musl failed: see $B/musl-src/source.log"
	d=$(ls -d "$B"/musl-src/musl-*/ | head -n 1)
	ln -s "$(basename "$d")" "$B/musl-src/tree"
	: >"$B/musl-src/ok"
}

sysroot_src() { # board
	s=$B/sysroot/$1
	t=$(field "$1" TRIPLE)
	musl_source
	v=$(ls "$B"/musl-src/musl_*.dsc | head -n 1); v=${v##*/musl_}; v=${v%.dsc}
	say "[$1] building musl $v for $t from Debian's source (about 30 s on 2 cores)"
	rm -rf "$s" "$B/musl-build/$1" && mkdir -p "$s" "$B/musl-build/$1"
	# The board's CPU flags go into libc too: on powerpc musl only supports
	# a 64-bit long double, which Debian's gcc does not default to.
	(
		cd "$B/musl-build/$1" &&
		"$B/musl-src/tree/configure" --target="$t" CC="$t-gcc" \
			CFLAGS="-Os -fno-pie $(field "$1" CPUFLAGS)" \
			--prefix=/ --disable-shared &&
		make -j"$(nproc 2>/dev/null || echo 2)" &&
		make install-headers install-libs DESTDIR="$s"
	) >"$B/musl-build/$1.log" 2>&1 ||
		die "musl build for $1 failed: see build/musl-build/$1.log"
	echo "$v" >"$s/version"
}

write_specs() { # board
	s=$B/sysroot/$1
	# Ours instead of Debian's musl-gcc.specs, which hard-codes
	# /usr/lib/<triple>.  Static-only: crt1.o, never Scrt1/rcrt1.  The
	# target's own cc1 and link specs are kept and only extended, since
	# they carry ABI and emulation options for that CPU.
	cat >"$s/musl.specs" <<EOF
%rename cpp_options board_cpp_options
%rename cc1 board_cc1
%rename link board_link

*cpp_options:
-nostdinc -isystem $s/include -isystem include%s %(board_cpp_options)

*cc1:
%(board_cc1) -nostdinc -isystem $s/include -isystem include%s

*link_libgcc:
-L$s/lib -L .%s

*startfile:
$s/lib/crt1.o $s/lib/crti.o crtbeginT.o%s

*endfile:
crtend.o%s $s/lib/crtn.o

*link:
%(board_link) -nostdlib

EOF
}

# What a sysroot was made from: when a board row changes it, redo it.  CPU
# flags count only where musl itself is compiled here.
fingerprint() { # board
	m=$(field "$1" MUSL)
	echo "$(field "$1" TRIPLE) $m"
	[ "$m" != source ] || field "$1" CPUFLAGS
}

for b in $boards; do
	s=$B/sysroot/$b
	if [ -f "$s/ok" ] && [ "$(cat "$s/ok")" = "$(fingerprint "$b")" ]; then
		# The specs hold absolute paths: a moved tree needs new ones.
		grep -qF "$s/include " "$s/musl.specs" 2>/dev/null || write_specs "$b"
		continue
	fi
	m=$(field "$b" MUSL)
	case $m in
	musl-dev:*) sysroot_deb "$b" "$m" ;;
	source) sysroot_src "$b" ;;
	*) die "board/$b.mk: MUSL must be musl-dev:<debian arch> or source" ;;
	esac
	write_specs "$b"
	fingerprint "$b" >"$s/ok"
	say "[$b] sysroot ready: build/sysroot/$b (musl $(cat "$s/version"), $(took) since start)"
done

#!/bin/sh
# board/install.sh install|lib|uninstall DESTDIR PREFIX [BOARD:NAME,NAME...]...
# What `make install`, `make install-boards` and `make uninstall` run; `lib`
# installs only the board binaries (board/test-boards.sh lays out an
# installed tree with it, its own local binary in bin/).
#
#   $DESTDIR$PREFIX/bin/socketpipe                     ./socketpipe, 0755
#   $DESTDIR$PREFIX/share/man/man1/socketpipe.1        0644
#   $DESTDIR$PREFIX/lib/socketpipe/NAME/socketpipe     build/BOARD/socketpipe,
#       for each BOARD given whose binary is built; NAME is what `uname -m`
#       prints there (the table in board/rules.mk), the first NAME a
#       directory, the others symlinks to it, so the issue "Any far side"
#       finds a binary by the far side's `uname -m` alone.
#
# Modes are set, never copied: no setuid or setgid bit, whatever the build
# tree has.  With SKIP_HOST=1 the board that runs on this machine's
# `uname -m` is left out (the Debian package ships it as /usr/bin/socketpipe).
# uninstall removes every file and link install can make (for every board
# given, built or not) and the lib/socketpipe directories, and leaves the
# shared bin/ and share/man/man1/ in place.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
usage() { echo "usage: $0 install|lib|uninstall DESTDIR PREFIX [BOARD:NAME,...]..." >&2; exit 2; }
[ $# -ge 3 ] || usage
what=$1 dest=$2 prefix=$3
case $what in install|lib|uninstall) ;; *) usage ;; esac
shift 3
case $prefix in
/*) ;;
*) echo "install: PREFIX must be an absolute path, not '$prefix'" >&2; exit 2 ;;
esac
root=$dest$prefix
lib=$root/lib/socketpipe
host=$(uname -m)

# say what is done, as make would
run() { echo "$*"; "$@"; }

if [ "$what" = install ]; then
	[ -x "$top/socketpipe" ] || { echo "install: no $top/socketpipe (run make)" >&2; exit 1; }
	run install -d -m 0755 "$root/bin" "$root/share/man/man1"
	run install -m 0755 "$top/socketpipe" "$root/bin/socketpipe"
	run install -m 0644 "$top/socketpipe.1" "$root/share/man/man1/socketpipe.1"
fi
for bn in "$@"; do
	b=${bn%%:*} names=$(echo "${bn#*:}" | tr , ' ')
	set -- $names
	first=$1
	if [ "$what" = uninstall ]; then
		rm -f "$lib/$first/socketpipe"
		[ ! -d "$lib/$first" ] || rmdir "$lib/$first" 2>/dev/null ||
			echo "uninstall: $lib/$first holds files not ours: left in place"
		shift
		for n in "$@"; do [ ! -L "$lib/$n" ] || rm -f "$lib/$n"; done
		continue
	fi
	[ -f "$top/build/$b/socketpipe" ] || continue
	case " $names " in *" $host "*) [ "${SKIP_HOST:-}" != 1 ] || continue ;; esac
	run install -d -m 0755 "$lib/$first"
	run install -m 0755 "$top/build/$b/socketpipe" "$lib/$first/socketpipe"
	shift
	for n in "$@"; do run ln -sfn "$first" "$lib/$n"; done
done
if [ "$what" = uninstall ]; then
	rm -f "$root/bin/socketpipe" "$root/share/man/man1/socketpipe.1"
	[ ! -d "$lib" ] || rmdir "$lib" 2>/dev/null ||
		echo "uninstall: $lib holds files not ours: left in place"
	echo "uninstalled socketpipe from $root"
fi

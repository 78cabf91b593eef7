#!/bin/sh
# board/version.sh [-t]: the commit this tree is, for `socketpipe -V` and the
# release archives; with -t the commit's time instead (seconds since 1970),
# which make dist and make deb use as SOURCE_DATE_EPOCH.
#
#  - a git checkout of this very tree: HEAD (12 hex digits), with a "+"
#    when src/, the Makefile or board/ differ from it, since the binary is
#    then not that commit's (a "+" as the kernel's version has: one byte,
#    where the x86_64 binary has few to spare);
#  - a tree from `git archive` (make dist's source archive, a forge's
#    tarball): what git wrote into board/release (export-subst,
#    board/.gitattributes);
#  - "unknown" (time 0) otherwise.
# git status runs without optional locks: it may not take the index lock
# while someone commits in the same tree.
top=$(cd "$(dirname "$0")/.." && pwd -P)
if [ "$(git -C "$top" rev-parse --show-toplevel 2>/dev/null)" = "$top" ]; then
	if [ "$1" = -t ]; then
		git -C "$top" log -1 --format=%ct HEAD
	else
		c=$(git -C "$top" rev-parse --short=12 HEAD) || exit 1
		[ -n "$(GIT_OPTIONAL_LOCKS=0 git -C "$top" status --porcelain -- src Makefile board 2>/dev/null)" ] && c=$c+
		echo "$c"
	fi
	exit 0
fi
c=$(sed -n 's/^commit \([0-9a-f]\{12\}\)[0-9a-f]*$/\1/p' "$top/board/release" 2>/dev/null)
t=$(sed -n 's/^time \([0-9][0-9]*\)$/\1/p' "$top/board/release" 2>/dev/null)
if [ "$1" = -t ]; then echo "${t:-0}"; else echo "${c:-unknown}"; fi

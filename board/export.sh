#!/bin/sh
# board/export.sh DIR           the committed tree (HEAD) unpacked into DIR
# board/export.sh --sysroot DIR  copies of this tree's board sysroots into DIR
#
# make dist and make deb build from the commit, never from uncommitted
# edits, so a release is what its commit says.  `git archive` also fills in
# board/release (the commit and its time), which -V and SOURCE_DATE_EPOCH
# read in a tree without .git.
#
# The sysroots (build/sysroot, a few minutes and a network to make) are
# copied rather than linked: board/setup.sh rewrites a sysroot's musl.specs
# when the tree has moved, and must not point this tree's at a temporary
# one.  Run here with every fingerprint matching, it downloads nothing and
# only writes the specs for the new place.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd -P)
die() { echo "export: $*" >&2; exit 1; }

if [ "${1:-}" = --sysroot ]; then
	dir=$2
	[ -d "$top/build/sysroot" ] || die "no $top/build/sysroot (make setup-boards)"
	rm -rf "$dir/build/sysroot"
	mkdir -p "$dir/build/sysroot"
	# "/.": the contents, even where build/sysroot is itself a link
	cp -R "$top/build/sysroot/." "$dir/build/sysroot/"
	[ ! -L "$dir/build/sysroot" ] && [ "$(cd "$dir/build/sysroot" && pwd -P)" != "$(cd "$top/build/sysroot" && pwd -P)" ] ||
		die "$dir/build/sysroot is this tree's own"
	sh "$dir/board/setup.sh" >"$dir/build/setup.log" 2>&1 ||
		die "board/setup.sh in $dir failed: $(tail -n 3 "$dir/build/setup.log")"
	exit 0
fi

dir=$1
[ "$(git -C "$top" rev-parse --show-toplevel 2>/dev/null)" = "$top" ] ||
	die "$top is not a git checkout: a release is made from a commit"
if [ -n "$(GIT_OPTIONAL_LOCKS=0 git -C "$top" status --porcelain -uno 2>/dev/null)" ]; then
	echo "export: uncommitted changes are left out: this is commit $(git -C "$top" rev-parse --short=12 HEAD)" >&2
fi
rm -rf "$dir"
mkdir -p "$dir"
git -C "$top" archive --format=tar HEAD | tar -x -C "$dir"
grep -q '^commit [0-9a-f]\{40\}$' "$dir/board/release" ||
	die "git archive did not fill in board/release (is board/.gitattributes committed?)"

#!/bin/sh
# board/dist.sh VERSION BOARD:NAME,NAME...: what `make dist` runs.  Writes
#
#   build/dist/socketpipe-VERSION.tar.gz          the sources of HEAD
#   build/dist/socketpipe-VERSION-static.tar.gz   one static binary per board
#       (BOARD/socketpipe), the man page, LICENSE, a README naming the
#       `uname -m` each board's binary is for, and SHA256SUMS of them all
#   build/dist/SHA256SUMS                          of the two archives
#
# Reproducible: two runs from the same commit, in other directories, at
# other times, under another umask or time zone, give the same bytes.  The
# binaries are built from the committed tree (board/export.sh), so nothing
# uncommitted gets in; every archive entry has the commit's time, owner
# 0/0, mode 0755 or 0644, and sorted names; gzip stores no name or time.
# The compilers themselves must be the same (Debian 12's, here).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd -P)
V=$1
shift
out=$top/build/dist
stage=$out/stage
src=socketpipe-$V
bin=socketpipe-$V-static
epoch=$(sh "$top/board/version.sh" -t)
commit=$(git -C "$top" rev-parse HEAD)

# pack DIR NAME ARCHIVE: DIR/NAME as a reproducible .tar.gz
pack() {
	tar --sort=name --format=gnu --owner=0 --group=0 --numeric-owner \
		--mtime="@$epoch" --mode=u=rwX,go=rX --hard-dereference \
		-C "$1" -cf - "$2" | gzip -n -9 >"$3.tmp"
	mv -f "$3.tmp" "$3"
	echo "dist: $3 ($(wc -c <"$3") bytes)"
}

rm -rf "$stage"
mkdir -p "$stage/$bin"
sh "$top/board/export.sh" "$stage/$src"
pack "$stage" "$src" "$out/$src.tar.gz"

# the binaries, from the exported tree
sh "$top/board/export.sh" --sysroot "$stage/$src"
bins=
for bn in "$@"; do bins="$bins build/${bn%%:*}/socketpipe"; done
# shellcheck disable=SC2086
make -C "$stage/$src" -s $bins

{
	echo "socketpipe $V: static binaries built from commit $commit."
	echo
	echo "Each directory holds the binary for one CPU; copy the one for what"
	echo "\`uname -m\` prints on the far machine, and check the copy against"
	echo "SHA256SUMS (\`sha256sum socketpipe\` there, or \`sha256sum -c SHA256SUMS\`"
	echo "here).  \`socketpipe -V\` names the board and the commit."
	echo
	printf '    %-10s %s\n' "directory" "uname -m"
	for bn in "$@"; do
		printf '    %-10s %s\n' "${bn%%:*}/" "$(echo "${bn#*:}" | sed 's/,/, /g')"
	done
	echo
	echo "The man page is socketpipe.1 (man ./socketpipe.1); the sources are"
	echo "$src.tar.gz."
} >"$stage/$bin/README"
for bn in "$@"; do
	b=${bn%%:*}
	mkdir -p "$stage/$bin/$b"
	cp "$stage/$src/build/$b/socketpipe" "$stage/$bin/$b/socketpipe"
done
cp "$stage/$src/socketpipe.1" "$stage/$src/LICENSE" "$stage/$bin/"
(cd "$stage/$bin" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort |
	xargs sha256sum >SHA256SUMS)
pack "$stage" "$bin" "$out/$bin.tar.gz"
(cd "$out" && sha256sum "$src.tar.gz" "$bin.tar.gz" >SHA256SUMS)
rm -rf "$stage"
echo "dist: socketpipe $V, commit $commit; build/dist/SHA256SUMS:"
sed 's/^/    /' "$out/SHA256SUMS"

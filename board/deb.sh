#!/bin/sh
# board/deb.sh VERSION: what `make deb` runs.  Builds the Debian packages
# socketpipe (the host binary and the man page) and socketpipe-boards (the
# other CPUs' binaries in /usr/lib/socketpipe/<uname -m>/) with
# `dpkg-buildpackage -us -uc -b` on a copy of the committed tree
# (board/export.sh), then runs lintian on them.  Everything lands in
# build/deb/: the .deb files, the .changes, build.log, lintian.log.
# Fails when the build fails or lintian reports an error.
#
# The packaging is board/debian/ (copied to debian/ in the copy, so the top
# of the tree keeps its few entries); only debian/changelog is made here,
# from the Makefile's VERSION and the commit, so the version has one home.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd -P)
V=$1
out=$top/build/deb
work=$out/socketpipe-$V
die() { echo "deb: $*" >&2; exit 1; }

for t in dpkg-buildpackage:dpkg-dev dh:debhelper lintian:lintian; do
	command -v "${t%%:*}" >/dev/null 2>&1 || die "missing ${t%%:*}: apt-get install ${t#*:} (or: sh tests/deps.sh as root)"
done
rm -rf "$out"
mkdir -p "$out"
sh "$top/board/export.sh" "$work"
sh "$top/board/export.sh" --sysroot "$work"
cp -R "$work/board/debian" "$work/debian"
epoch=$(sh "$top/board/version.sh" -t)
commit=$(git -C "$top" rev-parse HEAD)
maint=$(sed -n 's/^Maintainer: //p' "$work/debian/control")
cat >"$work/debian/changelog" <<EOF
socketpipe ($V) unstable; urgency=medium

  * socketpipe $V, built from commit $commit.

 -- $maint  $(LC_ALL=C date -u -R -d "@$epoch")
EOF

echo "deb: dpkg-buildpackage -us -uc -b in $work (log: build/deb/build.log)"
if ! (cd "$work" && SOURCE_DATE_EPOCH=$epoch dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1; then
	tail -n 30 "$out/build.log" >&2
	die "dpkg-buildpackage failed: see $out/build.log"
fi
changes=$(ls "$out"/socketpipe_"$V"_*.changes)
ls -l "$out"/*.deb | sed 's/^/    /'
echo "deb: lintian $(basename "$changes")"
rc=0
lintian --fail-on error "$changes" >"$out/lintian.log" 2>&1 || rc=$?
sed 's/^/    /' "$out/lintian.log"
[ $rc = 0 ] || die "lintian reports errors (exit $rc)"
echo "deb: lintian: $(grep -c '^E:' "$out/lintian.log") errors, $(grep -c '^W:' "$out/lintian.log") warnings"

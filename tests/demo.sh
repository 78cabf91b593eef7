#!/bin/sh
# tests/demo.sh: socketpipe's main job on one machine, what `make demo` runs.
# Starts a private sshd on 127.0.0.1, backs up DIR (default: a sample tree
# of /usr/share/common-licenses and 64 MiB of random data) with tar through
# socketpipe into a file standing in for the far tape, restores it, and
# compares.  Needs root (the sshd runs in private namespaces).
#     sh tests/demo.sh [DIR]
top=$(cd "$(dirname "$0")/.." && pwd)
src=$1
. "$top/tests/logins.sh"
T=$(mktemp -d /tmp/sp-demo.XXXXXX) || exit 1
trap 'logins_stop >/dev/null 2>&1; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$T/bin" "$T/d" "$T/restore"
ln -s "$top/socketpipe" "$T/bin/socketpipe"
if [ -z "$src" ]; then
	src=$T/sample
	mkdir -p "$src" && cp -r /usr/share/common-licenses "$src/" && head -c 67108864 /dev/urandom >"$src/blob"
fi
logins_start "$T/d" "$T/bin" || exit 1
ssh="$T/d/ssh v4"
set -x
"$top/socketpipe" -v -i { tar cf - -b 64 -C "$src" . } -l { $ssh } -r { dd of="$T/tape" bs=32k iflag=fullblock status=none } || exit
"$top/socketpipe" -v -l { $ssh } -r { dd if="$T/tape" bs=32k status=none } -o { tar xf - -C "$T/restore" } </dev/null || exit
diff -r --no-dereference "$src" "$T/restore" >/dev/null && set +x && echo "demo: $(wc -c <"$T/tape") bytes to the far 'tape' and back; the restored tree equals $src"

#!/bin/sh
# tests/demo.sh: socketpipe's main job on one machine, what `make demo` runs.
# Starts a private sshd on 127.0.0.1, backs up DIR (default: a sample tree
# of /usr/share/common-licenses and 64 MiB of random data) with tar through
# socketpipe into a file standing in for the far tape, restores it, and
# compares.  Needs root (the sshd runs in private namespaces, so nothing of
# this machine's own ssh setup is read or changed).
#     sh tests/demo.sh [DIR]
# Each command is printed as a user would type it, with plain `ssh`: the
# only unusual word is -F, the private sshd's client settings (its port,
# the demo's key, no host-key question: the login must never prompt).
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
# the far side (sshd's sessions) finds socketpipe in $T/bin; so do we
PATH=$T/bin:$PATH
cfg=$LOGIN_SSH_CONFIG

# say WORDS...: prints a command line as typed at a shell prompt
say() { printf '\n$ %s\n' "$*"; }

cat <<EOF
demo: a private sshd listens on 127.0.0.1 port $LOGIN_SSH_PORT; $cfg
      tells ssh that port and the demo's key.  On a real network the login is
      just { ssh nas }, with a key the far side accepts without a prompt.
demo: socketpipe on both sides is $top/socketpipe; the far "tape" is a file.
EOF

say socketpipe -v -i { tar cf - -b 64 -C "$src" . } -l { ssh -F "$cfg" 127.0.0.1 } \
	-r { dd of="$T/tape" bs=32k iflag=fullblock status=none }
socketpipe -v -i { tar cf - -b 64 -C "$src" . } -l { ssh -F "$cfg" 127.0.0.1 } \
	-r { dd of="$T/tape" bs=32k iflag=fullblock status=none } || exit

say socketpipe -v -l { ssh -F "$cfg" 127.0.0.1 } -r { dd if="$T/tape" bs=32k status=none } \
	-o { tar xf - -C "$T/restore" }
socketpipe -v -l { ssh -F "$cfg" 127.0.0.1 } -r { dd if="$T/tape" bs=32k status=none } \
	-o { tar xf - -C "$T/restore" } </dev/null || exit

say diff -r "$src" "$T/restore"
diff -r --no-dereference "$src" "$T/restore" >/dev/null &&
	echo "demo: $(wc -c <"$T/tape") bytes to the far 'tape' and back; the restored tree equals $src"

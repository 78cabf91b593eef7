#!/bin/sh
# tests/deps.sh: makes sure what the suites need is installed (a "command:package"
# pair, or "/path/glob:package" for a file such as a library).
# As root it installs what is missing with apt-get; otherwise it names each missing
# program with its Debian package and fails.
#     sh tests/deps.sh [extra "command:package" pairs...]
#     sh tests/deps.sh --demo     only what `make demo` needs: the build and the
#                                 login servers (tests/logins.sh starts both sshd
#                                 and dropbear), not the analyzers, fuzzers, tracers
#                                 and packaging tools of the whole suite
# The far shells (issue 12: the far command line must parse the same in each):
# tcsh, fish, zsh, mksh, and BSD csh, which is Debian's separate package csh
# (/bin/bsd-csh; tcsh only provides a "csh" alternative, so `csh` alone could
# be either: the tests run bsd-csh by that name).

demo="musl-gcc:musl-tools gcc:gcc make:make sshd:openssh-server
ssh:openssh-client ssh-keygen:openssh-client dropbear:dropbear-bin
dbclient:dropbear-bin dropbearkey:dropbear-bin dropbearconvert:dropbear-bin
unshare:util-linux timeout:coreutils tar:tar"
if [ "$1" = --demo ]; then
	need=$demo
else
	need="$demo cc:gcc
nc:netcat-openbsd socat:socat busybox:busybox-static dash:dash ip:iproute2 nft:nftables
gzip:gzip strace:strace
script:bsdutils ss:iproute2 clang:clang scan-build:clang-tools
setpriv:util-linux bash:bash git:git dpkg-buildpackage:dpkg-dev dh:debhelper
lintian:lintian
tcsh:tcsh fish:fish zsh:zsh mksh:mksh bsd-csh:csh ps:procps od:coreutils
/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a:libclang-rt-14-dev $*"
fi

missing=
for p in $need; do
	c=${p%%:*}
	case $c in
	/*) ls $c >/dev/null 2>&1 || missing="$missing ${p#*:}" ;;	# a file (glob)
	*) command -v "$c" >/dev/null 2>&1 || [ -x "/usr/sbin/$c" ] || missing="$missing ${p#*:}" ;;
	esac
done
[ -z "$missing" ] && exit 0
pkgs=$(printf '%s\n' $missing | sort -u | tr '\n' ' ')
if [ "$(id -u)" != 0 ]; then
	for p in $pkgs; do echo "missing: apt-get install $p"; done
	exit 1
fi
echo "installing: $pkgs"
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null &&
	apt-get -o DPkg::Lock::Timeout=600 install -y -qq $pkgs >/dev/null || {
	echo "apt-get could not install: $pkgs"
	exit 1
}

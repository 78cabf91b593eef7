#!/bin/sh
# fuzz/seeds.sh: writes the seed corpora fuzz/corpus/TARGET/seed* from the
# cases the suite and the protocol name (re-run after changing it; the files
# are committed so a fuzz run starts from the same point every time).  The
# min-* files beside them are a long run's corpus, minimised with
# libFuzzer's -merge=1, kept so the next run starts where it ended.
top=$(cd "$(dirname "$0")/.." && pwd)
c=$top/fuzz/corpus
rm -f "$c"/*/seed*
mkdir -p "$c/args" "$c/hello" "$c/record" "$c/addr" "$c/hosts" "$c/quote"
n=0
# seed DIR FORMAT ARGS...: one file made by printf
seed() { d=$1; shift; n=$((n + 1)); printf "$@" >"$c/$d/seed$n"; }

# args: words separated by NUL
seed args '%s\0' -l { ssh nas } -r { dd of=/dev/st0 bs=32k }
seed args '%s\0' -i { tar cf - / } -l { ssh nas } -r { dd of=/dev/st0 bs=32k } -o { cat }
seed args '%s\0' -v -b -h 127.0.0.1 -t 30 -l { ssh -p 22 nas } -r { socketpipe -l { ssh b } -r { tr a-z A-Z } }
seed args '%s\0' -l { a } -r { b { c }
seed args '%s\0' -l { } -r { b }
seed args '%s\0' -t 86401 -l { a } -r { b }
seed args '%s\0' -h '' -l { a } -r { b } stray
seed args '%s\0' --help
seed args '%s\0' -V
seed args '%s' ''

# hello: a mode byte, the stream
seed hello "\\000socketpipe3 0123456789abcdef0123456789abcdef\\n"
seed hello "\\001"
seed hello "\\002x"
seed hello "\\000GET / HTTP/1.0\\r\\n\\r\\n"
seed hello "\\000socketpipe2 0123456789abcdef0123456789abcdef\\n"
seed hello "\\000socketpipe3 0123456789ABCDEF"

# record: a mode byte, then (even) a line without its newline, or (odd) a
# kind, a space and a payload for put_record.  The tags are made with the
# harness's key, 00..0f (a tag covers the kind's first letter and the
# payload: "status" and "s" sign alike)
S0=fc8a545eefd2ca5e	# status 0
for s in "$S0 socketpipe-status 0" "cc1a8db3ae416b60 socketpipe-status 255" \
	"e67d6b2807567ab6 socketpipe-port 4711 127.0.0.1,::1,fe80::1%%2" \
	"c98a3749da50e2c6 socketpipe-tried 10.0.0.1 port 4711: connection refused; ::1 port 4711: timed out" \
	"$S0 socketpipe-sXYZ 0" "FC8A545EEFD2CA5E socketpipe-status 0" "$S0 socketpipe-status 1" \
	"$S0 socketpipe-port 0" "$S0 socketpipe-status 0 " "$S0 socketpipe-status" \
	"0000000000000000 socketpipe-status 0" 'Last login: today'; do
	seed record "\\000$s"
done
seed record '\001status 0'
seed record '\003port 4711 127.0.0.1,::1'
seed record '\005tried 127.0.0.1 port 4711: connection refused'
seed record '\007'
seed record '\011tried %0500d' 0
seed record '\013s\000t 255'

# addr: SSH_CONNECTION / SSH_CLIENT / candidate lists and single words
for a in '127.0.0.1 54321 127.0.0.1 22' '::1 54321 ::1 22' '10.0.0.1 1 10.0.0.2 22' \
	'192.168.1.2,fe80::1%2,127.0.0.1' '127.1' '0x7f.1' '017700000001' '4294967295' \
	'1.2.3' '::ffff:1.2.3.4' '1:2:3:4:5:6:7:8' '1::' '::' 'fe80::1%4294967295' \
	'::1.2.3.4' '1:2:3:4:5:6:1.2.3.4' '0x' '1.2.3.4.5' '256.1.1.1' '12345::1'; do
	seed addr '%s' "$a"
done

# hosts: mode byte, name length, name, the file's text
seed hosts '\017\003nas127.0.0.1 localhost\n10.0.0.9 nas nas.lan # the box\n::1 ip6-localhost\n'
seed hosts '\001\011localhost127.0.0.1\tlocalhost\n::1 localhost ip6-localhost'
seed hosts '\003\003NAS# comment\n\n   fe80::1%%2 nas\n'

# quote: two bytes of buffer size, then words separated by NUL
seed quote '\377\377%s\0' -S 40000 30 '' 127.0.0.1 sh -c "it's" '' 'a b' '$HOME' '\'
seed quote '\000\040%s\0' "''''" x
seed quote '\001\000%s' "'"
echo "fuzz: $n seeds in $c"

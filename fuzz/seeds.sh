#!/bin/sh
# fuzz/seeds.sh: writes the seed corpora fuzz/corpus/TARGET/seed* from the
# cases the suite and the protocol name (re-run after changing it; the files
# are committed so a fuzz run starts from the same point every time).  The
# min-* files beside them are a long run's corpus, minimised with
# libFuzzer's -merge=1, kept so the next run starts where it ended.
top=$(cd "$(dirname "$0")/.." && pwd)
c=$top/fuzz/corpus
rm -f "$c"/*/seed*
mkdir -p "$c/args" "$c/hello" "$c/status" "$c/addr" "$c/dns" "$c/hosts" "$c/resolv" "$c/quote"
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

# status: a line without its newline
for s in 'socketpipe-status 0' 'socketpipe-status 255' 'socketpipe-status 256' \
	'socketpipe-status 007' 'socketpipe-status ' 'socketpipe-status 1000' 'Last login: today'; do
	seed status '%s' "$s"
done

# addr: SSH_CONNECTION / SSH_CLIENT / candidate lists and single words
for a in '127.0.0.1 54321 127.0.0.1 22' '::1 54321 ::1 22' '10.0.0.1 1 10.0.0.2 22' \
	'192.168.1.2,fe80::1%2,127.0.0.1' '127.1' '0x7f.1' '017700000001' '4294967295' \
	'1.2.3' '::ffff:1.2.3.4' '1:2:3:4:5:6:7:8' '1::' '::' 'fe80::1%4294967295' \
	'::1.2.3.4' '1:2:3:4:5:6:1.2.3.4' '0x' '1.2.3.4.5' '256.1.1.1' '12345::1'; do
	seed addr '%s' "$a"
done

# dns: mode byte (bit 0: match the id), then a message.  An answer with a
# compressed name, one A and one AAAA, to the query for "nas."
hdr='\022\064\201\200\000\001\000\002\000\000\000\000'
q='\003nas\000\000\001\000\001'
rrA='\300\014\000\001\000\001\000\000\000\074\000\004\012\000\000\001'
rr6='\300\014\000\034\000\001\000\000\000\074\000\020\376\200\000\000\000\000\000\000\000\000\000\000\000\000\000\001'
seed dns "\\001$hdr$q$rrA$rr6"
seed dns "\\037$hdr$q$rrA$rr6"
seed dns "\\001\\022\\064\\201\\203\\000\\001\\000\\000\\000\\000\\000\\000$q"
seed dns "\\001$hdr$q"
seed dns "\\001\\022\\064\\201\\200\\000\\001\\000\\001\\000\\000\\000\\000\\300\\014$rrA"

# hosts: mode byte, name length, name, the file's text
seed hosts '\017\003nas127.0.0.1 localhost\n10.0.0.9 nas nas.lan # the box\n::1 ip6-localhost\n'
seed hosts '\001\011localhost127.0.0.1\tlocalhost\n::1 localhost ip6-localhost'
seed hosts '\003\003NAS# comment\n\n   fe80::1%%2 nas\n'

# resolv: the file's text
seed resolv 'nameserver 127.0.53.53\nsearch test.lan\n'
seed resolv '# by hand\nnameserver\n\n  nameserver\t127.0.53.53  # the fake one\r\ndomain other.lan\nsearch test.lan\n'
seed resolv 'nameserver ::1\nnameserver fe80::1%%2\nnameserver 10.0.0.1\nnameserver 10.0.0.2\noptions ndots:2\nsearch a b c d e f g h\n'
seed resolv 'search\ndomain x.lan'

# quote: two bytes of buffer size, then words separated by NUL
seed quote '\377\377%s\0' -S 40000 30 '' 127.0.0.1 sh -c "it's" '' 'a b' '$HOME' '\'
seed quote '\000\040%s\0' "''''" x
seed quote '\001\000%s' "'"
echo "fuzz: $n seeds in $c"

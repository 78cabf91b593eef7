#!/bin/sh
# tests/cli.sh: the user's command line alone.  Runs under dash, BusyBox ash
# and bash; needs no login server (a transfer goes through a stand-in login
# that runs the far command on this machine):
#     sh tests/cli.sh [SOCKETPIPE]        default: ./socketpipe
# Prints PASS/FAIL per check and ends with one line "N passed, N failed".
# The checks named "trust N" are the cases of issue 11 ("Trust").

top=$(cd "$(dirname "$0")/.." && pwd)
SP=${1:-./socketpipe}
SP=$(cd "$(dirname "$SP")" && pwd)/$(basename "$SP")

. "$top/tests/harness.sh"

T=$(mktemp -d /tmp/sp-cli.XXXXXX) || exit 1
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

[ -x "$SP" ] || { ko setup "no executable $SP (run make)"; echo "$pass passed, $fail failed"; exit 1; }
mkdir -p "$T/bin"
ln -s "$SP" "$T/bin/socketpipe"
standin "$T/lo" "$T/bin"
LO=$T/lo
echo "a line through the far end" >"$T/msg"

# t LIMIT ARGS...: runs ARGS for at most LIMIT seconds, stdin from $T/msg;
# sets rc and secs, leaves stdout and stderr in $T/out and $T/err.
t() {
	lim=$1
	shift
	s0=$(date +%s)
	timeout -k 2 "$lim" "$@" <"$T/msg" >"$T/out" 2>"$T/err"
	rc=$?
	secs=$(($(date +%s) - s0))
}
# one_line TEXT: true when stderr is exactly one line and holds TEXT.
one_line() {
	[ "$(wc -l <"$T/err")" -eq 1 ] && grep -q -- "$1" "$T/err"
}
why() { echo "exit $rc in $secs s; stdout: $(head -c 200 "$T/out" | tr '\n' '|'); stderr: $(head -c 300 "$T/err" | tr '\n' '|')"; }

# --- the option table, as --help shows it
t 5 "$SP" --help
cp "$T/out" "$T/help"
synopsis=$(head -n 1 "$T/help")
# one row per option: two blanks, the head ("[-h host]", "-l { login }"), a tab
rows=$(sed -n '2,$p' "$T/help")
letters=$(echo "$rows" | sed -n 's/^  \[*-\([A-Za-z]\).*/\1/p' | tr -d '\n')
longs=$(grep -o -- '--[a-z][a-z-]*' "$T/help" | sort -u | tr '\n' ' ')
if [ $rc = 0 ] && [ ! -s "$T/err" ] && [ "${synopsis#usage: socketpipe }" != "$synopsis" ] &&
   [ ${#letters} -ge 8 ] && [ "$(echo "$rows" | wc -l)" = ${#letters} ]; then
	ok "--help: a synopsis, then one row per option ($letters; $longs)"
else
	ko "--help" "$(why)"
fi
# The synopsis is made of the rows' heads, in their order.
want="usage: socketpipe"
heads=$(echo "$rows" | sed 's/^  //; s/	.*//')
while IFS= read -r h; do want="$want $h"; done <<EOF
$heads
EOF
[ "$synopsis" = "$want" ] && ok "trust 13: the synopsis is the table's heads" || ko "trust 13: synopsis" "'$synopsis' is not '$want'"
# Every letter of the table is an option the parser knows, and no other
# letter is (S and s are the far end's private words, not options).
unknown_ok=1 known_ok=1 bad_known= bad_unknown=
for x in a b c d e f g h i j k l m n o p q r t u v w x y z A B C D E F G H I J K L M N O P Q R T U V W X Y Z; do
	t 5 "$SP" "-$x"
	if grep -q "unknown option '-$x'" "$T/err"; then
		case $letters in *$x*) known_ok=0 bad_known="$bad_known -$x";; esac
	else
		case $letters in *$x*) ;; *) unknown_ok=0 bad_unknown="$bad_unknown -$x";; esac
	fi
done
[ $known_ok = 1 ] && ok "trust 13: every option of --help is one the parser knows" || ko "trust 13: parser" "refuses$bad_known"
[ $unknown_ok = 1 ] && ok "trust 13: the parser knows no option that --help leaves out" || ko "trust 13: parser" "accepts$bad_unknown, not in --help"

# --- the documents list the options of the table, and no others
# man_opts: the options the man page's OPTIONS section defines (its .TP
# tags), one a line, as -X or --word.
man_opts() {
	awk '/^\.SH /{ s = ($2 == "OPTIONS") } s && tag { print } { tag = s && /^\.TP/ }' "$top/socketpipe.1" |
		sed 's/\\-/-/g' | grep -o -- '--*[A-Za-z][a-z-]*' | sort -u
}
# readme_opts: the same for the README's "Options" section: the heads of
# its indented rows (up to two blanks).
readme_opts() {
	awk '/^Options$/{ s = 1; next } s && /^[A-Z]/ { s = 0 } s && /^    -/' "$top/README" |
		sed 's/^    //; s/  .*//' | grep -o -- '--*[A-Za-z][a-z-]*' | sort -u
}
table_opts() {
	for x in $(echo "$letters" | sed 's/./& /g') $longs; do
		case $x in -*) echo "$x";; *) echo "-$x";; esac
	done
}
table_opts | sort -u >"$T/table.opts"
man_opts >"$T/man.opts"
readme_opts >"$T/readme.opts"
synopsis_man=$(awk '/^\.SH /{ s = ($2 == "SYNOPSIS") } s' "$top/socketpipe.1" | sed 's/\\-/-/g')
for doc in man readme; do
	missing=$(grep -vxF -f "$T/$doc.opts" "$T/table.opts" | tr '\n' ' ')
	extra=$(grep -vxF -f "$T/table.opts" "$T/$doc.opts" | tr '\n' ' ')
	[ -z "$missing" ] && ok "trust 13: $doc lists every option of --help" || ko "trust 13: $doc lists every option of --help" "missing: $missing"
	[ -z "$extra" ] && ok "trust 13: $doc lists no option that --help leaves out" || ko "trust 13: $doc lists no option that --help leaves out" "extra: $extra"
done
missing=
for x in $(echo "$letters" | sed 's/./& /g'); do
	echo "$synopsis_man" | grep -q -- "-$x\([] ]\|\$\)" || missing="$missing -$x"
done
[ -z "$missing" ] && ok "trust 13: the man page's SYNOPSIS shows every option" || ko "trust 13: man SYNOPSIS" "missing:$missing"

# --- trust 13: flags combine; a value or a block may end a group
t 20 "$SP" -bv -l { "$LO" x } -r { cat }
[ $rc = 0 ] && cmp -s "$T/msg" "$T/out" && grep -q "bytes sent" "$T/err" && ok "trust 13: -bv is -b -v (the transfer runs, -v reports)" || ko "trust 13: -bv" "$(why)"
t 20 "$SP" -vb -l { "$LO" x } -r { cat }
[ $rc = 0 ] && cmp -s "$T/msg" "$T/out" && grep -q "bytes sent" "$T/err" && ok "trust 13: -vb is -v -b" || ko "trust 13: -vb" "$(why)"
t 20 "$SP" -bvl { "$LO" x } -r { cat }
[ $rc = 0 ] && cmp -s "$T/msg" "$T/out" && grep -q "bytes sent" "$T/err" && ok "trust 13: -bvl { login }: a block ends a group" || ko "trust 13: -bvl" "$(why)"
# A login that never starts the far end: only -t ends the wait (default 30 s).
for form in "-vt 1" "-vt1" "-bt1"; do
	t 20 "$SP" $form -l { sh -c 'exec sleep 8' login } -r { cat }
	[ $rc = 122 ] && [ $secs -lt 8 ] && ok "trust 13: $form: -t ends the group and takes 1 s (exit 122 after $secs s)" || ko "trust 13: $form" "$(why)"
done
t 20 "$SP" -bvh 127.0.0.1 -l { "$LO" x } -r { cat }
[ $rc = 0 ] && cmp -s "$T/msg" "$T/out" && ok "trust 13: -bvh host: -h ends the group" || ko "trust 13: -bvh" "$(why)"

# --- trust 16: braces are separate words; --version is accepted
t 5 "$SP" -l "{sh" "-c}" -r { cat }
[ $rc = 2 ] && one_line "braces\|separate" && one_line "'{sh'" && ok "trust 16: -l {sh -c}: exit 2, one line that says braces are separate words and names '{sh'" || ko "trust 16: -l {sh -c}" "$(why)"
t 5 "$SP" -l { sh -c} -r { cat }
[ $rc = 2 ] && one_line "missing '}'" && ok "trust 16: -l { sh -c}: exit 2, one line: missing '}'" || ko "trust 16: -l { sh -c}" "$(why)"
t 5 "$SP" --version
v=$(cat "$T/out")
[ $rc = 0 ] && [ ! -s "$T/err" ] && [ "${v#socketpipe [0-9]}" != "$v" ] && ok "trust 16: --version prints the version ($v), exit 0" || ko "trust 16: --version" "$(why)"
t 5 "$SP" -V
[ $rc = 0 ] && [ "$(cat "$T/out")" = "$v" ] && ok "trust 16: -V prints what --version prints" || ko "trust 16: -V" "$(why)"
for h in --help '-?'; do
	t 5 "$SP" "$h"
	[ $rc = 0 ] && [ ! -s "$T/err" ] && cmp -s "$T/out" "$T/help" && ok "$h prints the usage, exit 0" || ko "$h" "$(why)"
done

# --- every bad command line: exit 2, nothing on stdout, one line on stderr
# that names the bad value
long=$(printf '%0256d' 0)
bad() { # NAME WANT-IN-MESSAGE ARGS...
	n=$1 w=$2
	shift 2
	t 5 "$SP" "$@"
	[ $rc = 2 ] && [ ! -s "$T/out" ] && one_line "$w" && ok "bad command line: $n" || ko "bad command line: $n" "$(why)"
}
bad "nothing at all" "missing option '-l'"
bad "no -l" "missing option '-l'" -r { b }
bad "no -r" "missing option '-r'" -l { a }
bad "unknown option" "'-x'" -x -l { a } -r { b }
bad "unknown option in a group" "'-x'" -bxv -l { a } -r { b }
bad "unknown long option" "'--verbose'" --verbose -l { a } -r { b }
bad "-- alone" "'--'" -- -l { a } -r { b }
bad "- alone" "'-'" - -l { a } -r { b }
bad "-h with a blank (it would cut the far end's line)" "bad -h value 'a b'" -h "a b" -l { a } -r { b }
bad "stray word" "'stray'" -l { a } -r { b } stray
bad "stray closing brace" "'}'" -l { a } -r { b } }
bad "-t as the last word" "'-t'" -l { a } -r { b } -t
bad "-t ending a group as the last word" "'-t'" -l { a } -r { b } -vt
bad "-t 0" "'0'" -t 0 -l { a } -r { b }
bad "-t abc" "'abc'" -t abc -l { a } -r { b }
bad "-t 86401" "'86401'" -t 86401 -l { a } -r { b }
bad "-t -5" "'-5'" -t -5 -l { a } -r { b }
bad "-t empty" "''" -t "" -l { a } -r { b }
bad "-t5x attached" "'5x'" -t5x -l { a } -r { b }
bad "-tv (the rest of the word is the value)" "'v'" -tv -l { a } -r { b }
bad "-h empty" "bad -h value ''" -h "" -l { a } -r { b }
bad "-h 256 bytes" "'$long'" -h "$long" -l { a } -r { b }
bad "-h as the last word" "'-h'" -l { a } -r { b } -h
bad "-l as the last word" "'-l'" -r { b } -l
bad "-i without braces" "'cat'" -i cat -l { a } -r { b }
bad "-l {sh (glued brace)" "'{sh'" -l "{sh" "-c}" -r { b }
bad "-l{ (brace glued to the option)" "'-l{'" "-l{" a } -r { b }
bad "-vl{sh" "'-vl{sh'" "-vl{sh" a } -r { b }
bad "unbalanced" "missing '}'" -l { a } -r { b { c }
bad "empty block" "empty command" -l { } -r { b }
bad "-r twice" "'-r'" -l { a } -r { b } -r { c }
bad "-r twice in a group" "'-r'" -l { a } -r { b } -vr { c }

echo "$pass passed, $fail failed"
[ $fail = 0 ]

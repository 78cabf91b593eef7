#!/bin/sh
# board/check-elf.sh BOARD FILE: is FILE a static executable for BOARD's CPU?
# Checked after every board build, so a wrong specs file or a gcc that
# silently fell back to a dynamic link fails the build there and then.
set -eu
b=$1 f=$2
row=board/$b.mk
get() { sed -n "s/^$1[[:space:]]*=[[:space:]]*//p" "$row"; }
set -- $(get ELF)
class=$1 data=$2 machine=$3
budget=$(get BUDGET)

command -v readelf >/dev/null || { echo "missing readelf: apt-get install binutils"; exit 1; }
h=$(LC_ALL=C readelf -h "$f")
l=$(LC_ALL=C readelf -lW "$f")
err=
echo "$h" | grep -q "Class:[[:space:]]*$class\$" || err="$err class is not $class;"
echo "$h" | grep -q "Data:.*$data endian" || err="$err not $data-endian;"
echo "$h" | grep -q "Machine:.*$machine" || err="$err machine is not $machine;"
echo "$h" | grep -q "Type:[[:space:]]*EXEC" || err="$err not a fixed-address executable;"
echo "$l" | grep -q INTERP && err="$err has an INTERP (dynamic);"
echo "$l" | grep -q DYNAMIC && err="$err has a DYNAMIC segment;"
LC_ALL=C readelf -SW "$f" | grep -q '\.symtab' && err="$err not stripped;"
if [ -n "$err" ]; then
	echo "check-elf: $f:$err" >&2
	exit 1
fi
size=$(wc -c <"$f" | tr -d ' ')
over=
[ "$size" -le "$budget" ] || over=" OVER BUDGET"
echo "$f: $class $data-endian $machine, static, stripped, $size bytes (budget $budget)$over"

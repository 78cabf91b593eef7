#!/bin/sh
# board/size-detail.sh MAP [N]: where the bytes of a board binary come from,
# read from the linker map of an unstripped build (make size-detail BOARD=x).
# Prints totals for the program, musl and libgcc, then the N largest pieces:
# program functions and data by section name, musl and libgcc by member.
set -eu
map=$1 n=${2:-30}
awk -v n="$n" '
function hex(s,   i, c, v) {
	s = tolower(s); sub(/^0x/, "", s); v = 0
	for (i = 1; i <= length(s); i++) {
		c = index("0123456789abcdef", substr(s, i, 1)) - 1
		v = v * 16 + c
	}
	return v
}
function add(sec, size, file,   key, who) {
	if (size == 0 || sec ~ /^\.(bss|sbss|tbss|comment|note|debug|gnu\.attributes|MIPS\.abiflags|reginfo|pdr)/ || sec == "COMMON")
		return
	if (file ~ /libc\.a\(/) {
		who = "musl"; key = file; sub(/.*\(/, "", key); sub(/\.l?o\)$/, "", key)
	} else if (file ~ /libgcc/) {
		who = "libgcc"; key = file; sub(/.*\(/, "", key); sub(/\.o\)$/, "", key)
	} else if (file ~ /crt[^\/]*\.o$/) {
		who = "crt"; key = file; sub(/.*\//, "", key)
	} else {
		who = "prog"; key = sec; sub(/^\.(text|rodata|data|data\.rel\.ro|sdata|srodata)\./, "", key)
		if (key == sec) key = sec " (unnamed)"
	}
	total[who] += size; piece[who ":" key] += size
}
/^Linker script and memory map/ { on = 1; next }
!on { next }
# alignment padding between input sections (only inside loaded output ones)
$1 == "*fill*" && out !~ /^\.(bss|tbss|sbss|comment)/ { total["fill"] += hex($3); next }
/^\.[^ ]/ { out = $1 }
# input section on one line: " .text.x  0xADDR  0xSIZE file"
/^ \.[^ ]+[ \t]+0x[0-9a-f]+[ \t]+0x[0-9a-f]+[ \t]+[^ ]/ { add($1, hex($3), $4); pending = ""; next }
# long names wrap: the section alone, then address, size and file
/^ \.[^ ]+[ \t]*$/ { pending = $1; next }
pending != "" && /^[ \t]+0x[0-9a-f]+[ \t]+0x[0-9a-f]+[ \t]+[^ ]/ { add(pending, hex($2), $3); pending = ""; next }
{ pending = "" }
END {
	printf "program %d, musl %d, libgcc %d, crt %d, alignment fill %d bytes\n", total["prog"], total["musl"], total["libgcc"], total["crt"], total["fill"]
	for (k in piece) print piece[k], k | "sort -rn | head -n " n
}' "$map"

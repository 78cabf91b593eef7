#!/bin/sh
# board/size-report.sh BOARD...: bytes of each board's socketpipe against its
# budget, printed and written to board/sizes.txt.  sizes.txt is tracked in
# git on purpose: a change that grows a binary shows up in the diff under
# review, next to the code that grew it.  What follows the table after a
# blank line (where the bytes went, and why) is kept as it is.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/board/sizes.txt
new=$(mktemp)
trap 'rm -f "$new"' EXIT
over=0
{
	echo "# make size-report: stripped static build/<board>/socketpipe, all features in"
	echo "# (Debian 12 cross gcc $(gcc -dumpversion), musl from Debian; budgets in board/<board>.mk)"
	printf '%-8s %7s %7s %5s\n' board bytes budget use
	for b in "$@"; do
		f=$top/build/$b/socketpipe
		budget=$(sed -n 's/^BUDGET[[:space:]]*=[[:space:]]*//p' "$top/board/$b.mk")
		size=$(wc -c <"$f" | tr -d ' ')
		flag=
		[ "$size" -le "$budget" ] || { flag=" OVER"; over=1; }
		printf '%-8s %7s %7s %4s%%%s\n' "$b" "$size" "$budget" $((size * 100 / budget)) "$flag"
	done
} >"$new"
cat "$new"
[ -f "$out" ] && sed -n '/^$/,$p' "$out" >>"$new"
if [ -f "$out" ] && cmp -s "$new" "$out"; then
	echo "(board/sizes.txt unchanged)"
else
	cp "$new" "$out"
	echo "(board/sizes.txt updated: commit it with the change that moved the sizes)"
fi
[ "$over" -eq 0 ] || echo "(a board is over its budget: make size-detail BOARD=<board> shows where the bytes go)"

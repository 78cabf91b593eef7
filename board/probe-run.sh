#!/bin/sh
# board/probe-run.sh BOARD...: run each board's probe under its qemu-user.
set -u
pass=0 fail=0
for b in "$@"; do
	q=$(sed -n 's/^QEMU[[:space:]]*=[[:space:]]*//p' "board/$b.mk")
	# shellcheck disable=SC2086
	if out=$(timeout 30 $q "build/$b/probe" 2>&1); then
		echo "PASS probe $b: $out"; pass=$((pass + 1))
	else
		echo "FAIL probe $b: $(echo "$out" | tr '\n' ' ')"; fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

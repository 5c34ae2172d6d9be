#!/bin/sh
# Run every examples/NN-*.sh and compare its stdout with NN-*.out, so the
# examples in the README and the man pages cannot rot.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
: "${RTA_BIN:?set RTA_BIN}"
RTA_BIN=$(cd "$RTA_BIN" && pwd)
export RTA_BIN LC_ALL=C TZ=UTC
pass=0
fail=0
for ex in "$here"/examples/[0-9][0-9]-*.sh; do
	[ -e "$ex" ] || continue
	want=${ex%.sh}.out
	got=$(mktemp "${TMPDIR:-/tmp}/rta-example.XXXXXX")
	if sh "$ex" >"$got" 2>"$got.err" && cmp -s "$want" "$got"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL examples/$(basename "$ex")"
		diff -u "$want" "$got" | head -30
		head -c 2000 "$got.err"
	fi
	rm -f "$got" "$got.err"
done
echo "examples: $pass passed, $fail failed"
[ $fail = 0 ]

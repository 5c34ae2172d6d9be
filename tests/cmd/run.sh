#!/bin/sh
# Command tests: each tests/cmd/<tool>/<case>.sh runs in a fresh temporary
# directory with LC_ALL=C, TZ=UTC and the programs under test first in
# PATH.  Its stdout, stderr and exit status are compared byte for byte with
# <case>.stdout, <case>.stderr and <case>.exit beside it (a missing file
# means empty output or status 0).
#
#   RTA_BIN=build sh tests/cmd/run.sh [tool/case ...]
#   KEEP=1     keep each case's directory and print its path
#   UPDATE=1   rewrite the expected files from this run
#
# A case script sees $TESTS (tests/) and $DATA (tests/cmd/data).
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${RTA_BIN:?set RTA_BIN to the directory holding the programs}"
RTA_BIN=$(cd "$RTA_BIN" && pwd)
TESTS=$(cd "$here/.." && pwd)
DATA=$here/data
export TESTS DATA RTA_BIN
export LC_ALL=C TZ=UTC
PATH=$RTA_BIN:$RTA_BIN/tests:$PATH
export PATH
# Fixed clock and hash seed: messages and dead letters are reproducible.
export RTA_NOW=2026-11-26T10:00:00Z RTA_HASH_SEED=1
unset RTA_FAULT

pass=0
fail=0
failed=
if [ $# -gt 0 ]; then
	cases=$(for c in "$@"; do echo "$here/${c%.sh}.sh"; done)
else
	cases=$(find "$here" -mindepth 2 -maxdepth 2 -name '*.sh' | sort)
fi

for t in $cases; do
	name=${t#"$here"/}
	name=${name%.sh}
	base=${t%.sh}
	# never run a case anywhere but in its own new directory
	work=$(mktemp -d "${TMPDIR:-/tmp}/rta-test.XXXXXX") && [ -d "$work" ] ||
	    { echo "run.sh: no directory for $name (disk full?)" >&2; exit 1; }
	(cd "$work" && timeout 300 sh "$t" >"$work/.stdout" 2>"$work/.stderr")
	echo $? >"$work/.exit"
	ok=1
	for s in stdout stderr exit; do
		want=$base.$s
		if [ "${UPDATE:-0}" = 1 ]; then
			if [ -s "$work/.$s" ] && ! { [ $s = exit ] &&
			    [ "$(cat "$work/.$s")" = 0 ]; }; then
				cp "$work/.$s" "$want"
			else
				rm -f "$want"
			fi
			continue
		fi
		if [ -f "$want" ]; then
			cmp -s "$want" "$work/.$s" || ok=0
		elif [ $s = exit ]; then
			[ "$(cat "$work/.exit")" = 0 ] || ok=0
		else
			[ -s "$work/.$s" ] && ok=0
		fi
		if [ $ok = 0 ] && [ -z "${shown:-}" ]; then
			shown=1
			echo "FAIL $name: $s differs"
			if [ -f "$want" ]; then
				if grep -q . "$want" 2>/dev/null &&
				    ! LC_ALL=C grep -q "$(printf '[\001-\010]')" \
				    "$want" "$work/.$s" 2>/dev/null; then
					diff -u "$want" "$work/.$s" | head -40
				else
					od -c "$want" | head -10
					echo ---
					od -c "$work/.$s" | head -10
				fi
			else
				head -c 2000 "$work/.$s"
				echo
			fi
		fi
	done
	shown=
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		failed="$failed $name"
	fi
	if [ "${KEEP:-0}" = 1 ]; then
		echo "kept $name in $work"
	else
		rm -rf "$work"
	fi
done
echo "$pass passed, $fail failed"
[ $fail = 0 ] || { echo "failed:$failed"; exit 1; }

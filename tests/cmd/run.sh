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
#   JOBS=N     run N cases at a time (default: the number of cores)
#
# Cases run in their own directories on free ports, so they can run side
# by side; each case's report is printed in the order of the list.
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

if [ $# -gt 0 ]; then
	cases=$(for c in "$@"; do echo "$here/${c%.sh}.sh"; done)
else
	cases=$(find "$here" -mindepth 2 -maxdepth 2 -name '*.sh' | sort)
fi

# run_case SCRIPT: run one case and compare its output; prints what
# failed, and returns 1 if anything did.
run_case() {
	t=$1
	name=${t#"$here"/}
	name=${name%.sh}
	base=${t%.sh}
	# never run a case anywhere but in its own new directory
	work=$(mktemp -d "${TMPDIR:-/tmp}/rta-test.XXXXXX") && [ -d "$work" ] ||
	    { echo "run.sh: no directory for $name (disk full?)"; return 2; }
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
	if [ "${KEEP:-0}" = 1 ]; then
		echo "kept $name in $work"
	else
		rm -rf "$work"
	fi
	[ $ok = 1 ]
}

# Workers take the cases in list order, each claiming the next one not
# yet taken (mkdir is atomic), and leave each case's report and status
# in the results directory.
res=$(mktemp -d "${TMPDIR:-/tmp}/rta-tests.XXXXXX") && [ -d "$res" ] ||
    { echo "run.sh: no directory for the results (disk full?)" >&2; exit 1; }
trap 'rm -rf "$res"' EXIT
trap 'exit 130' INT TERM HUP
worker() {
	i=0
	for t in $cases; do
		i=$((i + 1))
		mkdir "$res/$i.claim" 2>/dev/null || continue
		run_case "$t" >"$res/$i.out" 2>&1
		echo $? >"$res/$i.st"
		mv "$res/$i.st" "$res/$i.status"	# whole when seen
	done
}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 1)}
case $jobs in
''|*[!0-9]*|0) jobs=1 ;;
esac
pids=
w=0
while [ $w -lt "$jobs" ]; do
	worker &
	pids="$pids $!"
	w=$((w + 1))
done

# Each case's report as soon as it and those before it are done.
alive() {
	for p in $pids; do
		kill -0 "$p" 2>/dev/null && return 0
	done
	return 1
}
pass=0
fail=0
failed=
i=0
for t in $cases; do
	i=$((i + 1))
	name=${t#"$here"/}
	name=${name%.sh}
	while [ ! -f "$res/$i.status" ] && alive; do
		sleep 0.2
	done
	cat "$res/$i.out" 2>/dev/null
	case $(cat "$res/$i.status" 2>/dev/null) in
	0)	pass=$((pass + 1)) ;;
	2)	echo "run.sh: stopped at $name" >&2
		exit 1 ;;
	*)	fail=$((fail + 1))
		failed="$failed $name" ;;
	esac
done
wait
echo "$pass passed, $fail failed"
[ $fail = 0 ] || { echo "failed:$failed"; exit 1; }

#!/bin/sh
# tests/bench/run.sh: measure rta-cat against jq, a jansson parse+dump loop,
# Miller and plain C baselines, in one run on one machine, and write
# tests/bench/RESULTS.md.  `make bench` runs it with RTA_BIN set.
#
# Environment:
#   RTA_BIN            directory holding rta-cat and rta-gen (default build/)
#   BENCH_SIZES        event counts to generate (default "1000000 10000000")
#   BENCH_RUNS         runs per case (default 5 for sets up to 1M, else 3);
#                      the fastest is reported (other work on a shared
#                      machine only ever adds time)
#   BENCH_ANCHOR_RUNS  runs of the slow anchors (jq, jansson) on sets above
#                      1M events (default 1: one jq run on 10M events takes
#                      about two minutes)
#   BENCH_SEED         rta-gen seed (default 1)
#
# Data is kept in tests/bench/work/ (git-ignored) and regenerated when
# rta-gen or the parameters change.  Single-threaded programs run on one
# core (taskset -c 0); Miller, which is multi-threaded, is not pinned, nor
# are rta -> rta and rta -> NDJSON, whose targets are for the machine (rta
# reads ahead in a second thread); NDJSON -> rta's target is for one core.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
RTA_BIN=$(cd "${RTA_BIN:-$root/build}" && pwd)
export LC_ALL=C TZ=UTC
sizes=${BENCH_SIZES:-1000000 10000000}
seed=${BENCH_SEED:-1}
work=$here/work
results=$here/RESULTS.md
tsv=$work/results.tsv
notes=$work/notes.txt
one="taskset -c 0"

die() {
	echo "bench: $*" >&2
	exit 1
}

for p in rta-cat rta-gen; do
	[ -x "$RTA_BIN/$p" ] || die "$RTA_BIN/$p not found (run make first)"
done
[ -x /usr/bin/time ] || die "/usr/bin/time not found (apt-get install time)"
command -v taskset >/dev/null 2>&1 || one=
case ${BENCH_RUNS:-5} in
''|*[!0-9]*|0) die "bad BENCH_RUNS '${BENCH_RUNS:-}'" ;;
esac
case ${BENCH_ANCHOR_RUNS:-1} in
''|*[!0-9]*|0) die "bad BENCH_ANCHOR_RUNS '${BENCH_ANCHOR_RUNS:-}'" ;;
esac
for n in $sizes; do
	case $n in
	''|*[!0-9]*|0) die "bad size '$n' in BENCH_SIZES" ;;
	esac
done

# Measure copies, so that a rebuild during the run cannot mix two builds.
mkdir -p "$work/bin"
cp "$RTA_BIN/rta-cat" "$RTA_BIN/rta-gen" "$work/bin/"
cat=$work/bin/rta-cat
gen=$work/bin/rta-gen
ver_rta="$("$cat" --version | head -1), rta-cat cksum $(cksum <"$cat" |
    cut -d' ' -f1)"
if rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null); then
	git -C "$root" diff --quiet HEAD -- lib cmd 2>/dev/null ||
	    rev="$rev with local changes to lib/ or cmd/"
	ver_rta="$ver_rta, git $rev"
fi
: >"$tsv"
: >"$notes"
start=$(date +%s)
load0=$(cut -d' ' -f1 /proc/loadavg)

note() {
	echo "note: $*"
	echo "$*" >>"$notes"
}

# ---- tools ----------------------------------------------------------------

ccflags="-O2 -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra"
cc=${CC:-cc}
# shellcheck disable=SC2086
$cc $ccflags -o "$work/baseline" "$here/baseline.c" ||
    die "cannot build tests/bench/baseline.c"
jansson=
if pkg-config --exists jansson 2>/dev/null; then
	# shellcheck disable=SC2046,SC2086
	if $cc $ccflags -o "$work/jansson_loop" "$here/jansson_loop.c" \
	    $(pkg-config --cflags --libs jansson); then
		jansson=$work/jansson_loop
	else
		note "jansson loop did not build: skipped"
	fi
else
	note "jansson (libjansson-dev) not installed: jansson anchor skipped"
fi
jq=$(command -v jq || true)
[ -n "$jq" ] || note "jq not installed: jq anchor skipped"
mlr=$(command -v mlr || true)
[ -n "$mlr" ] || note "Miller (mlr) not installed: Miller anchor skipped"

# ---- data -----------------------------------------------------------------

# Generate ev-N.ndjson and ev-N.rta unless the stamp says they are current.
gendata() {
	n=$1
	stamp="seed=$seed $(cksum <"$gen")"
	if [ -f "$work/ev-$n.stamp" ] &&
	    [ "$(cat "$work/ev-$n.stamp")" = "$stamp" ] &&
	    [ -f "$work/ev-$n.ndjson" ] && [ -f "$work/ev-$n.rta" ]; then
		return 0
	fi
	echo "generating $n events (seed $seed)"
	rm -f "$work/ev-$n.stamp"
	"$gen" -s "$seed" -c "$n" -o ndjson >"$work/ev-$n.ndjson"
	"$gen" -s "$seed" -c "$n" -o rta >"$work/ev-$n.rta"
	echo "$stamp" >"$work/ev-$n.stamp"
}

# ---- measuring ------------------------------------------------------------

# measure SIZE NAME INPUT PIN RUNS command...: run the command RUNS times
# with stdin from INPUT and stdout to /dev/null; append to the TSV
# size, name, runs, best wall seconds, input bytes, peak RSS (KiB, the
# largest of the runs), best CPU seconds (user + system).  PIN is "pin" to
# run on one core.
measure() {
	m_n=$1 m_name=$2 m_in=$3 m_pin=$4 m_runs=$5
	shift 5
	m_times=
	m_cpus=
	m_rss=0
	m_i=0
	m_pre=
	[ "$m_pin" = pin ] && m_pre=$one
	while [ "$m_i" -lt "$m_runs" ]; do
		m_i=$((m_i + 1))
		m_t0=$(date +%s%N)
		# shellcheck disable=SC2086
		if ! $m_pre /usr/bin/time -f '%e %M %U %S' -o "$work/time.out" \
		    "$@" <"$m_in" >/dev/null 2>"$work/stderr.out"; then
			note "$m_name on $m_n events failed: $(head -c 300 \
			    "$work/stderr.out")"
			return 0
		fi
		m_t1=$(date +%s%N)
		m_times="$m_times $((m_t1 - m_t0))"
		m_r=$(awk 'END { print $2 }' "$work/time.out")
		m_cpus="$m_cpus $(awk 'END { print $3 + $4 }' "$work/time.out")"
		if [ "$m_r" -gt "$m_rss" ]; then
			m_rss=$m_r
		fi
	done
	# shellcheck disable=SC2086
	m_med=$(printf '%s\n' $m_times | sort -n | awk 'NR == 1 {
	    printf "%.4f", $1 / 1e9 }')
	# shellcheck disable=SC2086
	m_cpu=$(printf '%s\n' $m_cpus | sort -n | awk 'NR == 1 {
	    printf "%.2f", $1 }')
	m_bytes=$(wc -c <"$m_in")
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$m_n" "$m_name" "$m_runs" \
	    "$m_med" "$m_bytes" "$m_rss" "$m_cpu" >>"$tsv"
	awk -v n="$m_n" -v name="$m_name" -v runs="$m_runs" -v t="$m_med" \
	    -v b="$m_bytes" -v rss="$m_rss" -v cpu="$m_cpu" 'BEGIN {
		printf "  %-16s %d runs %8.3f s %10.0f ev/s %7.1f MB/s" \
		    " %5.1f MiB  cpu %.2f s\n", name, runs, t, n / t,
		    b / t / 1e6, rss / 1024, cpu }'
}

# ---- run ------------------------------------------------------------------

for n in $sizes; do
	gendata "$n"
done

first=1
for n in $sizes; do
	nd=$work/ev-$n.ndjson
	fr=$work/ev-$n.rta
	if [ "$n" -le 1000000 ]; then
		runs=${BENCH_RUNS:-5}
		aruns=$runs
	else
		runs=${BENCH_RUNS:-3}
		aruns=${BENCH_ANCHOR_RUNS:-1}
	fi
	echo "$n events: $(wc -c <"$nd") bytes NDJSON," \
	    "$(wc -c <"$fr") bytes rta"

	# The inputs must be what they claim before they are timed.
	lines=$("$work/baseline" <"$nd")
	[ "$lines" = "$n" ] || die "ev-$n.ndjson has $lines lines, not $n"
	if [ $first = 1 ]; then
		first=0
		if "$cat" -o ndjson <"$fr" | cmp -s - "$nd"; then
			echo "  check: rta -> NDJSON reproduces the NDJSON file"
		else
			note "rta-cat -o ndjson < ev-$n.rta differs from" \
			    "ev-$n.ndjson"
		fi
		# shellcheck disable=SC2094
		if "$cat" -o rta <"$nd" | "$cat" -o ndjson |
		    cmp -s - "$nd"; then
			echo "  check: NDJSON -> rta -> NDJSON is the identity"
		else
			note "NDJSON -> rta -> NDJSON is not the identity on" \
			    "$n events"
		fi
	fi

	measure "$n" "cat" "$nd" pin "$runs" cat
	measure "$n" "baseline" "$nd" pin "$runs" "$work/baseline"
	# rta's own cases are short: three times the runs, taken in turn,
	# so that a slow spell of the shared machine hits all of them alike
	# and the best of each is more likely a quiet moment.
	r=0
	while [ $r -lt 3 ]; do
		r=$((r + 1))
		# NDJSON -> rta has a one-core target: pinned, so its
		# read-ahead thread shares the core.  The others may use the
		# second core for reading ahead, as in a pipeline.
		measure "$n" "rta ndjson->rta" "$nd" pin "$runs" "$cat" -o rta
		measure "$n" "rta rta->rta" "$fr" nopin "$runs" "$cat" -o rta
		measure "$n" "rta rta->ndjson" "$fr" nopin "$runs" "$cat" \
		    -o ndjson
	done
	if [ -n "$jansson" ]; then
		measure "$n" "jansson loop" "$nd" pin "$aruns" "$jansson"
	fi
	if [ -n "$jq" ]; then
		measure "$n" "jq -c ." "$nd" pin "$aruns" "$jq" -c .
	fi
	if [ -n "$mlr" ] && [ "$n" -le 1000000 ]; then
		measure "$n" "mlr cat" "$nd" nopin "$aruns" "$mlr" --ijsonl \
		    --ojsonl cat
	fi
done
elapsed=$(($(date +%s) - start))
load1=$(cut -d' ' -f1 /proc/loadavg)

# ---- report ---------------------------------------------------------------

cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)
[ -n "$cpu" ] ||
    cpu=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
ver_jq=$([ -n "$jq" ] && "$jq" --version 2>&1 || echo "not installed")
ver_jansson=$(pkg-config --modversion jansson 2>/dev/null ||
    echo "not installed")
ver_mlr=$([ -n "$mlr" ] && "$mlr" --version 2>&1 || echo "not installed")
ver_cc=$($cc --version 2>/dev/null | head -1)

awk -F '\t' \
    -v date="$(date -u)" -v nproc="$(nproc)" -v cpu="$cpu" \
    -v kernel="$(uname -sr)" -v mem="$mem" -v rta="$ver_rta" \
    -v jq="$ver_jq" -v jansson="$ver_jansson" -v mlr="$ver_mlr" \
    -v cc="$ver_cc" -v elapsed="$elapsed" -v notes="$notes" \
    -v pinned="${one:-no}" \
    -v load="$load0 at the start, $load1 at the end" \
    -f "$here/report.awk" "$tsv" >"$results.tmp"
# what profiling found, kept by hand beside the script
cat "$here/profile.md" >>"$results.tmp"
mv "$results.tmp" "$results"
echo
sed -n '/^## Targets/,$p' "$results"
echo
echo "wrote $results (${elapsed}s)"

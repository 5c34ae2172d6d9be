#!/bin/sh
# tests/bench/run.sh: measure rta-cat against jq, a jansson parse+dump loop,
# Miller and plain C baselines, rta-validate against a jansson document
# walk of the same checks, rta-dedup against awk and sort on the same
# keys, rta-enrich joining a million-row table, rta-window against
# DuckDB and Miller, rta-store's ingest, reads and sizes (against
# DuckDB's Parquet), rta-store export against DuckDB's COPY to
# Parquet, and rta-query's answers from the command line and over HTTP
# (against DuckDB on the store's Parquet), and the whole pipeline from
# NDJSON to the store (against DuckDB doing the same in SQL) and the
# freshness of a live run, in one run on one machine, and write
# tests/bench/RESULTS.md.  `make bench` runs it with RTA_BIN set.
#
# Environment:
#   RTA_BIN            directory holding the programs (default build/)
#   BENCH_SECTIONS     which sections to run (default "cat validate dedup
#                      enrich window store export query rollup pipeline"); a
#                      run of fewer writes work/RESULTS.md instead, so that
#                      tests/bench/RESULTS.md always holds a whole run
#   BENCH_SIZES        event counts to generate (default "1000000 10000000")
#   BENCH_RUNS         runs per case (default 5 for sets up to 1M, else 3);
#                      the fastest is reported (other work on a shared
#                      machine only ever adds time)
#   BENCH_ANCHOR_RUNS  runs of the slow anchors (jq, jansson) on sets above
#                      1M events (default 1: one jq run on 10M events takes
#                      about two minutes)
#   BENCH_SEED         rta-gen seed (default 1)
#   BENCH_STORE_TENANTS  tenants of the store section's 14-day store
#                      (default 1000: 100,800,000 records), which the
#                      query section reads too
#   BENCH_QUERY_RUNS   queries a pass of the query section's CLI and
#                      DuckDB cases (default 500)
#   BENCH_LIVE_SECONDS  seconds of the pipeline section's live run at
#                      100,000 events/s (default 20)
#
# Data is kept in tests/bench/work/ (git-ignored) and regenerated when
# rta-gen or the parameters change.  Single-threaded programs run on one
# core (taskset -c 0); Miller, which is multi-threaded, is not pinned, nor
# are rta -> rta and rta -> NDJSON, whose targets are for the machine (rta
# reads ahead in a second thread); NDJSON -> rta's target is for one core.
#
# The validate section checks page_view events (rta-gen --types page_view,
# their payload widened to ten members with one nested object by
# tests/bench/widen.c) against the schema directory
# tests/bench/data/validate/ with rta-validate, on rta frames and on
# NDJSON, and with tests/bench/jansson_validate.c on NDJSON; all on one
# core, as the targets of issue 3 are.  Its events are kept in work/pv-N.*.
#
# The dedup section runs rta-dedup on the frames of work/ev-N.rta (every
# event_id distinct) and, on those event_ids one per line
# (work/keys-N.txt), awk '!seen[$0]++' and sort: sort-first.sh keeps the
# first of each key in input order as rta-dedup and awk do (the anchor of
# the target), plain sort -u only sorts them; then rta-dedup again with
# --max-mem 64M, for its peak RSS.  The enrich section joins work/en-N.rta (rta-gen with a
# million users) with work/users.csv, a table of 1,000,000 users, on
# payload.user_id; "enrich load" is the same command on empty input, the
# time to load the table.  The window section runs rta-window on
# work/wn-N.* (1,000 tenants) and DuckDB (npm ci in tests/bench, from
# package.json and package-lock.json; skipped with a note without node)
# and Miller on the same NDJSON.
#
# The store section times `rta-store ingest` into a fresh store each
# run: the aggregates rta-window makes of work/wn-N.rta (work/agg-N.rta,
# grouped by tenant, type and country) and the raw events of
# work/ev-N.rta.  Then it reads a store of 14 days of one-minute
# aggregates (tests/bench/store_fill.c through rta-cat into rta-store
# ingest, compacted two days at a time; kept in work/store/ and rebuilt
# only when store_fill.c, rta-cat or rta-store change) with
# tests/bench/store_read.c, linked with librta.a: one tenant's day at a
# time, and whole days, as records and as columns; and it sets the bytes
# of one day's segment against the same records as NDJSON and as
# DuckDB's zstd Parquet (tests/bench/store_parquet.mjs).
#
# The export section puts the events of work/ev-N.rta in a store,
# work/xst-N (`rta-store ingest --close-after 0`, then `rta-store
# compact`; kept while ev-N and rta-store are unchanged), and times
# `rta-store export` of it into a fresh cold directory, work/cold-N,
# against DuckDB (tests/bench/export_duckdb.mjs) copying the same rows
# from a table of its own database file (work/ev-N.duckdb, loaded from
# the NDJSON with the columns rta's files have) to zstd Parquet in the
# same partitions, work/duck-N, with two threads and with one, runs
# taken in turn; the bytes of both; DuckDB's check that the two hold
# the same rows; and the reader: tests/bench/pq_scan.c, linked with
# librta.a, summing a timestamp and a double column of rta's files on
# one core, against DuckDB summing the same with one thread.
#
# The query section reads the store section's store (work/store, built
# when either section runs) with rta-query: one tenant's 24 hours (12:00
# to 12:00, two day segments) at 5-minute buckets, count and
# sum:payload.value rolled up from the one-minute aggregates, the
# tenant and day changing from query to query.  tests/bench/query_lat.c
# runs the program BENCH_QUERY_RUNS times on one core and times each
# run, process start included, twice (the first pass reads what the
# page cache holds).  DuckDB (tests/bench/query_duckdb.mjs, one thread,
# one core, inside one node process, warm) answers the same queries
# over the store's Parquet export (work/qcold, `rta-store export`,
# kept while the store is unchanged): through a glob of every file
# with the tenant and the days in WHERE, and with the tenant's folder
# named; its first answer must equal rta-query's.  Over HTTP:
# `rta-query --http` behind socat on a free loopback port (killed on
# exit), driven by wrk with keep-alive, the same query on every request
# (answered from the connection's near-cache after the first) and, with
# tests/bench/query_wrk.lua, another tenant and day on every request.
#
# The rollup section (tests/bench/rollup.sh, sourced) times a rollup
# refresh of one hour of one-minute aggregates of 10,000 tenants, an
# hourly dashboard query of 30 days answered from a rollup, and a weekly
# cohort matrix answered from a cohort dataset, against DuckDB computing
# it from the events' Parquet export (tests/bench/cohort_duckdb.mjs).
#
# The pipeline section runs tests/bench/pipeline_run.sh (rta-cat |
# rta-validate | rta-dedup | rta-enrich | tee to the raw dataset |
# rta-window --tumbling 1m | rta-store ingest: examples/pipeline.sh's
# stages and options, without its watch) on work/pl-N.ndjson (rta-gen,
# 1,000 tenants, a million users, with late, duplicate and malformed
# events), checking events against tests/bench/data/pipeline/ and
# joining work/users.csv, into a fresh store each run (made and synced
# untimed): the wall time from the first byte read to the exit of the
# last rta-store ingest, after its last commit.  The stages' --metrics
# files must balance (in = out + rejected + dropped, each stage's out
# the next one's in) and the raw dataset hold what rta-dedup passed.
# DuckDB (tests/bench/pipeline_duckdb.mjs, two threads) does the same
# validation, dedup, join and one-minute counts and sums in SQL over the
# same NDJSON file into a database file of its own; runs taken in turn.
# Then a live run: rta-gen --start (the wall clock) --rate 100000 for
# BENCH_LIVE_SECONDS (default 20) through the same pipeline with
# rta-window --emit-every 1s into a fresh store, while
# tests/bench/pipeline_fresh.mjs asks `rta-query --http` (behind socat,
# as in the query section) for one tenant's one-minute counts every
# 50 ms; each event's freshness is the time the first answer counting it
# arrived less its event time (its time of sending), for the tenant's
# events after a 5 s warm-up (rta-gen regenerates the same events, for
# their times; the last answer must count them all).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
RTA_BIN=$(cd "${RTA_BIN:-$root/build}" && pwd)
export LC_ALL=C TZ=UTC
sizes=${BENCH_SIZES:-1000000 10000000}
seed=${BENCH_SEED:-1}
dsections="cat validate dedup enrich window store export query rollup"
dsections="$dsections pipeline"
sections=${BENCH_SECTIONS:-$dsections}
schemas=$here/data/validate
work=$here/work
results=$here/RESULTS.md
tsv=$work/results.tsv
notes=$work/notes.txt
one="taskset -c 0"

die() {
	echo "bench: $*" >&2
	exit 1
}

# want SECTION: true if BENCH_SECTIONS names it
want() {
	case " $sections " in
	*" $1 "*) return 0 ;;
	esac
	return 1
}

for s in $sections; do
	case $s in
	cat|validate|dedup|enrich|window|store|export|query|rollup|pipeline) ;;
	*) die "unknown section '$s' in BENCH_SECTIONS (cat, validate," \
	    "dedup, enrich, window, store, export, query, rollup," \
	    "pipeline)" ;;
	esac
done
want cat && want validate && want dedup && want enrich && want window &&
    want store && want export && want query && want rollup &&
    want pipeline ||
    results=$work/RESULTS.md
progs="rta-cat rta-gen"
want validate && progs="$progs rta-validate"
want dedup && progs="$progs rta-dedup"
want enrich && progs="$progs rta-enrich"
want window && progs="$progs rta-window"
if want store; then
	want window || progs="$progs rta-window"
	progs="$progs rta-store"
fi
want export && ! want store && progs="$progs rta-store"
if want query; then
	want store || want export || progs="$progs rta-store"
	progs="$progs rta-query"
fi
if want rollup; then
	for p in rta-store rta-query; do
		case " $progs " in
		*" $p "*) ;;
		*) progs="$progs $p" ;;
		esac
	done
fi
if want pipeline; then
	for p in rta-validate rta-dedup rta-enrich rta-window rta-store \
	    rta-query; do
		case " $progs " in
		*" $p "*) ;;
		*) progs="$progs $p" ;;
		esac
	done
fi
for p in $progs; do
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
qruns=${BENCH_QUERY_RUNS:-500}
case $qruns in
''|*[!0-9]*|0) die "bad BENCH_QUERY_RUNS '$qruns'" ;;
esac
for n in $sizes; do
	case $n in
	''|*[!0-9]*|0) die "bad size '$n' in BENCH_SIZES" ;;
	esac
done

# Measure copies, so that a rebuild during the run cannot mix two builds.
mkdir -p "$work/bin"
for p in $progs; do
	cp "$RTA_BIN/$p" "$work/bin/"
done
if want store || want export; then
	[ -f "$RTA_BIN/librta.a" ] ||
	    die "$RTA_BIN/librta.a not found (run make first)"
	cp "$RTA_BIN/librta.a" "$work/bin/"
fi
cat=$work/bin/rta-cat
gen=$work/bin/rta-gen
validate=$work/bin/rta-validate
dedup=$work/bin/rta-dedup
enrich=$work/bin/rta-enrich
window=$work/bin/rta-window
store=$work/bin/rta-store
query=$work/bin/rta-query
ver_rta="$("$cat" --version | head -1)"
for p in $progs; do
	[ "$p" = rta-gen ] ||
	    ver_rta="$ver_rta, $p cksum $(cksum <"$work/bin/$p" | cut -d' ' -f1)"
done
if rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null); then
	# An untracked file (a new program) is a local change too.
	if ! git -C "$root" diff --quiet HEAD -- lib cmd 2>/dev/null ||
	    [ -n "$(git -C "$root" status --porcelain -- lib cmd \
	    2>/dev/null)" ]; then
		rev="$rev with local changes to lib/ or cmd/"
	fi
	ver_rta="$ver_rta, git $rev"
fi
vcounts=$work/validate-counts.tsv
stsv=$work/store.tsv
xtsv=$work/export.tsv
qtsv=$work/query.tsv
ptsv=$work/pipeline.tsv
: >"$tsv"
: >"$notes"
: >"$vcounts"
: >"$stsv"
: >"$xtsv"
: >"$qtsv"
: >"$ptsv"
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
widen=
if want validate; then
	# shellcheck disable=SC2086
	$cc $ccflags -o "$work/widen" "$here/widen.c" ||
	    die "cannot build tests/bench/widen.c"
	widen=$work/widen
fi
jvalidate=
if [ -n "$jansson" ] && want validate; then
	# shellcheck disable=SC2046,SC2086
	if $cc $ccflags -o "$work/jansson_validate" "$here/jansson_validate.c" \
	    $(pkg-config --cflags --libs jansson); then
		jvalidate=$work/jansson_validate
	else
		note "jansson_validate did not build: skipped"
	fi
fi
fill=
if want store || want query; then
	# shellcheck disable=SC2086
	$cc $ccflags -o "$work/store_fill" "$here/store_fill.c" ||
	    die "cannot build tests/bench/store_fill.c"
	fill=$work/store_fill
fi
sread=
if want store; then
	# librta is built with link-time optimisation under GCC: link the
	# reader the same way, so that its read path is the programs'.
	ldlto=
	$cc -v 2>&1 | grep -q '^gcc version' && ldlto=-flto=auto
	# shellcheck disable=SC2046,SC2086
	$cc $ccflags -I"$root/lib" -c -o "$work/store_read.o" \
	    "$here/store_read.c" &&
	    $cc -O2 $ldlto -o "$work/store_read" "$work/store_read.o" \
	    "$work/bin/librta.a" $(pkg-config --libs libarchive libzstd \
	    nettle) -lcsv -lm -lpthread ||
	    die "cannot build tests/bench/store_read.c"
	sread=$work/store_read
fi
pqscan=
if want export; then
	# librta's LTO, as for store_read above
	ldlto=
	$cc -v 2>&1 | grep -q '^gcc version' && ldlto=-flto=auto
	# shellcheck disable=SC2046,SC2086
	$cc $ccflags -I"$root/lib" -c -o "$work/pq_scan.o" \
	    "$here/pq_scan.c" &&
	    $cc -O2 $ldlto -o "$work/pq_scan" "$work/pq_scan.o" \
	    "$work/bin/librta.a" $(pkg-config --libs libarchive libzstd \
	    nettle) -lcsv -lm -lpthread ||
	    die "cannot build tests/bench/pq_scan.c"
	pqscan=$work/pq_scan
fi
qlat=
if want query; then
	# shellcheck disable=SC2086
	$cc $ccflags -o "$work/query_lat" "$here/query_lat.c" ||
	    die "cannot build tests/bench/query_lat.c"
	qlat=$work/query_lat
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

# The same for the validate section: pv-N.ndjson and pv-N.rta, page views
# only, so that every event is checked against the one schema.  widen
# adds the payload members the ten-field schema asks for (values drawn
# from the event_id, so the same seed makes the same events), and rta-cat
# makes the frames from that NDJSON.
gendata_pv() {
	n=$1
	stamp="seed=$seed types=page_view $(cksum <"$gen") $(cksum <"$cat")"
	stamp="$stamp widen $(cksum <"$here/widen.c")"
	if [ -f "$work/pv-$n.stamp" ] &&
	    [ "$(cat "$work/pv-$n.stamp")" = "$stamp" ] &&
	    [ -f "$work/pv-$n.ndjson" ] && [ -f "$work/pv-$n.rta" ]; then
		return 0
	fi
	echo "generating $n page_view events (seed $seed)"
	rm -f "$work/pv-$n.stamp"
	"$gen" -s "$seed" -c "$n" --types page_view=1 -o ndjson |
	    "$widen" >"$work/pv-$n.ndjson" ||
	    die "cannot make pv-$n.ndjson"
	"$cat" -o rta <"$work/pv-$n.ndjson" >"$work/pv-$n.rta" ||
	    die "cannot make pv-$n.rta"
	echo "$stamp" >"$work/pv-$n.stamp"
}

# The enrich section's events (en-N.rta: a million users, so that lookups
# spread over the whole table) and its table, users.csv: one row for each
# of rta-gen's user ids u000000 to u999999, in a shuffled order.
gendata_en() {
	n=$1
	stamp="seed=$seed users=1000000 $(cksum <"$gen")"
	if [ -f "$work/en-$n.stamp" ] &&
	    [ "$(cat "$work/en-$n.stamp")" = "$stamp" ] &&
	    [ -f "$work/en-$n.rta" ]; then
		return 0
	fi
	echo "generating $n events of a million users (seed $seed)"
	rm -f "$work/en-$n.stamp"
	"$gen" -s "$seed" -c "$n" --users 1000000 -o rta >"$work/en-$n.rta" ||
	    die "cannot make en-$n.rta"
	echo "$stamp" >"$work/en-$n.stamp"
}

# The window section's events: rta-gen's default stream of 1,000
# tenants (one event a second each), as NDJSON and frames.
gendata_wn() {
	n=$1
	stamp="seed=$seed tenants=1000 $(cksum <"$gen")"
	if [ -f "$work/wn-$n.stamp" ] &&
	    [ "$(cat "$work/wn-$n.stamp")" = "$stamp" ] &&
	    [ -f "$work/wn-$n.ndjson" ] && [ -f "$work/wn-$n.rta" ]; then
		return 0
	fi
	echo "generating $n events of 1,000 tenants (seed $seed)"
	rm -f "$work/wn-$n.stamp"
	"$gen" -s "$seed" -c "$n" --tenants 1000 -o ndjson \
	    >"$work/wn-$n.ndjson" || die "cannot make wn-$n.ndjson"
	"$gen" -s "$seed" -c "$n" --tenants 1000 -o rta >"$work/wn-$n.rta" ||
	    die "cannot make wn-$n.rta"
	echo "$stamp" >"$work/wn-$n.stamp"
}

gendata_users() {
	[ -f "$work/users.csv" ] &&
	    [ "$(wc -l <"$work/users.csv")" = 1000001 ] && return 0
	echo "generating users.csv (1,000,000 rows)"
	awk 'BEGIN {
		split("free basic pro enterprise", plan, " ")
		split("AU BR CA DE ES FR GB IN IT JP MX NL PL SE US", cc, " ")
		print "user_id,plan,country,segment,signup_date,lifetime_value"
		for (i = 0; i < 1000000; i++) {
			j = (i * 7919) % 1000000
			printf "u%06d,%s,%s,seg-%d,2025-%02d-%02d,%d.%02d\n",
			    j, plan[j % 4 + 1], cc[j % 15 + 1], j % 97,
			    j % 12 + 1, j % 28 + 1, j % 5000, j % 100
		}
	}' >"$work/users.csv.tmp" && mv "$work/users.csv.tmp" "$work/users.csv" ||
	    die "cannot make users.csv"
}

# The pipeline section's events: 1,000 tenants, users from the million of
# users.csv, and what a real stream brings: late events (beyond the
# windows' allowed lateness some of them), re-sent duplicates and
# malformed records.
gendata_pl() {
	n=$1
	stamp="seed=$seed tenants=1000 users=1000000 late=0.001"
	stamp="$stamp duplicates=0.01 malformed=0.001 $(cksum <"$gen")"
	if [ -f "$work/pl-$n.stamp" ] &&
	    [ "$(cat "$work/pl-$n.stamp")" = "$stamp" ] &&
	    [ -f "$work/pl-$n.ndjson" ]; then
		return 0
	fi
	echo "generating $n events with late, duplicate and malformed" \
	    "ones (seed $seed)"
	rm -f "$work/pl-$n.stamp"
	"$gen" -s "$seed" -c "$n" --tenants 1000 --users 1000000 \
	    --late 0.001 --duplicates 0.01 --malformed 0.001 -o ndjson \
	    >"$work/pl-$n.ndjson" || die "cannot make pl-$n.ndjson"
	echo "$stamp" >"$work/pl-$n.stamp"
}

# ---- measuring ------------------------------------------------------------

# measure SIZE NAME INPUT PIN RUNS command...: run the command RUNS times
# with stdin from INPUT and stdout to /dev/null; append to the TSV
# size, name, runs, best wall seconds, input bytes, peak RSS (KiB, the
# largest of the runs), best CPU seconds (user + system).  PIN is "pin" to
# run on one core.  An exit status other than 0 is a failure unless
# okstatus lists it (the validators exit 1 when they reject events); the
# last run's stderr is left in work/stderr.out.
okstatus=0
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
		m_rc=0
		# shellcheck disable=SC2086
		$m_pre /usr/bin/time -f '%e %M %U %S' -o "$work/time.out" \
		    "$@" <"$m_in" >/dev/null 2>"$work/stderr.out" || m_rc=$?
		case " $okstatus " in
		*" $m_rc "*) ;;
		*)
			note "$m_name on $m_n events failed (exit $m_rc):" \
			    "$(head -c 300 "$work/stderr.out")"
			return 0
			;;
		esac
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

catsizes=
vsizes=
dsizes=
esizes=
wsizes=
ssizes=
xsizes=
psizes=
want pipeline && psizes=$sizes
want export && xsizes=$sizes
want window && wsizes=$sizes
want store && ssizes=$sizes
want cat && catsizes=$sizes
want validate && vsizes=$sizes
want dedup && dsizes=$sizes
want enrich && esizes=$sizes
for n in $catsizes $dsizes $ssizes $xsizes; do
	gendata "$n"
done
for n in $vsizes; do
	gendata_pv "$n"
done
for n in $esizes; do
	gendata_en "$n"
done
for n in $psizes; do
	gendata_pl "$n"
done
[ -z "$esizes$psizes" ] || gendata_users
for n in $wsizes $ssizes; do
	gendata_wn "$n"
done
# DuckDB, the window, store, export and query sections' anchor, from npm
# (tests/bench/package.json)
duck=
parquet=
xduck=
qduck=
pduck=
if [ -n "$wsizes" ] || want store || want export || want query ||
    want pipeline; then
	if ! command -v node >/dev/null 2>&1; then
		note "node not installed: DuckDB anchor skipped"
	elif [ -d "$here/node_modules/@duckdb/node-api" ] ||
	    (cd "$here" && npm ci --no-audit --no-fund >/dev/null 2>&1); then
		[ -z "$wsizes" ] || duck="node $here/duckdb_window.mjs"
		if want store; then
			parquet="node $here/store_parquet.mjs"
		fi
		want export && xduck="node $here/export_duckdb.mjs"
		want query && qduck="node $here/query_duckdb.mjs"
		want pipeline && pduck="node $here/pipeline_duckdb.mjs"
	else
		note "npm ci in tests/bench failed: DuckDB anchor skipped"
	fi
fi

# set_up N WHAT NAME: runs and aruns for a set of N events, its sizes
# said, and the check that its NDJSON file has N lines before anything
# is timed (WHAT: "events"; NAME: the files' stem in $work).
set_up() {
	if [ "$1" -le 1000000 ]; then
		runs=${BENCH_RUNS:-5}
		aruns=$runs
	else
		runs=${BENCH_RUNS:-3}
		aruns=${BENCH_ANCHOR_RUNS:-1}
	fi
	echo "$1 $2: $(wc -c <"$work/$3.ndjson") bytes NDJSON," \
	    "$(wc -c <"$work/$3.rta") bytes rta"
	lines=$("$work/baseline" <"$work/$3.ndjson")
	[ "$lines" = "$1" ] || die "$3.ndjson has $lines lines, not $1"
}

first=1
for n in $catsizes; do
	nd=$work/ev-$n.ndjson
	fr=$work/ev-$n.rta
	set_up "$n" events "ev-$n"
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

# ---- validate --------------------------------------------------------------

# rta-validate on the page_view sets, from rta frames and from NDJSON, in
# three rounds taken in turn as above, then the jansson walk.  The
# verdicts are compared too: on the first set, the events rta-validate
# lets through (from frames, written as NDJSON, and from NDJSON) must be
# exactly the lines jansson_validate keeps; on every set, the counts of
# the anchor's timed run must equal rta-validate's.
vfirst=1
for n in $vsizes; do
	nd=$work/pv-$n.ndjson
	fr=$work/pv-$n.rta
	set_up "$n" "page_view events" "pv-$n"
	# The events it passes, counted (and kept, for the first set).
	# rta-validate exits 1 when it rejects events; above 1 is a failure.
	keep=/dev/null
	[ $vfirst = 1 ] && [ -n "$jvalidate" ] && keep=$work/pv.valid
	vvalid=$({
		rc=0
		"$validate" -q -s "$schemas" -o ndjson <"$fr" || rc=$?
		echo $rc >"$work/rc.out"
	} | tee "$keep" | "$work/baseline")
	rc=$(cat "$work/rc.out")
	[ "$rc" -le 1 ] || die "rta-validate -s $schemas failed (exit $rc)"
	if [ "$keep" != /dev/null ]; then
		vfirst=0
		if "$jvalidate" <"$nd" 2>/dev/null | cmp -s - "$keep"; then
			echo "  check: jansson_validate keeps exactly the" \
			    "events rta-validate passes from frames"
		else
			note "jansson_validate and rta-validate (frames)" \
			    "accept different events of pv-$n"
		fi
		if "$validate" -q -s "$schemas" <"$nd" | cmp -s - "$keep"; then
			echo "  check: rta-validate passes the same events" \
			    "from NDJSON as from frames"
		else
			note "rta-validate passes other events from" \
			    "pv-$n.ndjson than from pv-$n.rta"
		fi
	fi
	rm -f "$work/pv.valid"
	echo "  rta-validate: $vvalid valid, $((n - vvalid)) invalid"

	okstatus="0 1"
	r=0
	while [ $r -lt 3 ]; do
		r=$((r + 1))
		measure "$n" "validate rta" "$fr" pin "$runs" "$validate" -q \
		    -s "$schemas"
		measure "$n" "validate ndjson" "$nd" pin "$runs" "$validate" \
		    -q -s "$schemas"
	done
	jvalid=-
	if [ -n "$jvalidate" ]; then
		measure "$n" "jansson validate" "$nd" pin "$aruns" "$jvalidate"
		jvalid=$(sed -n \
		    's/^jansson_validate: \([0-9]*\) valid, .*/\1/p' \
		    "$work/stderr.out")
		[ "$jvalid" = "$vvalid" ] ||
		    note "on pv-$n jansson_validate found ${jvalid:-?} valid" \
		    "events, rta-validate $vvalid"
	fi
	okstatus=0
	printf '%s\t%s\t%s\n' "$n" "$vvalid" "${jvalid:--}" >>"$vcounts"
done

# ---- dedup ------------------------------------------------------------------

for n in $dsizes; do
	fr=$work/ev-$n.rta
	keys=$work/keys-$n.txt
	set_up "$n" events "ev-$n"
	if ! [ -f "$keys" ] || [ "$keys" -ot "$work/ev-$n.stamp" ]; then
		# {"event_id":"<id>",... : the id is the fourth field
		"$cat" -o ndjson <"$fr" | cut -d'"' -f4 >"$keys.tmp" &&
		    mv "$keys.tmp" "$keys" || die "cannot make keys-$n.txt"
	fi
	# The same verdict from all three before anything is timed.
	dout=$("$dedup" -o ndjson <"$fr" | "$work/baseline")
	aout=$(awk '!seen[$0]++' "$keys" | "$work/baseline")
	sout=$(sort -u "$keys" | "$work/baseline")
	fout=$("$here/sort-first.sh" <"$keys" | "$work/baseline")
	if [ "$dout" = "$aout" ] && [ "$aout" = "$sout" ] &&
	    [ "$sout" = "$fout" ]; then
		echo "  check: rta-dedup, awk, sort-first.sh and sort -u keep" \
		    "the same $dout of $n"
	else
		note "on ev-$n rta-dedup keeps $dout events, awk $aout" \
		    "keys, sort-first.sh $fout, sort -u $sout"
	fi
	r=0
	while [ $r -lt 3 ]; do
		r=$((r + 1))
		measure "$n" "dedup rta" "$fr" nopin "$runs" "$dedup" -o rta
	done
	# its disk table is slow by design: the slow anchors' runs
	measure "$n" "dedup rta --max-mem 64M" "$fr" nopin "$aruns" "$dedup" \
	    -o rta --max-mem 64M
	measure "$n" "awk dedup" "$keys" pin "$aruns" awk '!seen[$0]++'
	measure "$n" "sort, in order" "$keys" nopin "$aruns" \
	    "$here/sort-first.sh"
	measure "$n" "sort -u" "$keys" nopin "$aruns" sort -u
done

# ---- enrich ------------------------------------------------------------------

: >"$work/empty.rta"
for n in $esizes; do
	fr=$work/en-$n.rta
	if [ "$n" -le 1000000 ]; then
		runs=${BENCH_RUNS:-5}
	else
		runs=${BENCH_RUNS:-3}
	fi
	echo "$n events of a million users: $(wc -c <"$fr") bytes rta"
	# every event out, and the joined ones carrying the user's plan
	eout=$("$enrich" --ref "$work/users.csv" --on payload.user_id \
	    -o ndjson <"$fr" | "$work/baseline")
	ejoin=$("$enrich" --ref "$work/users.csv" --on payload.user_id \
	    -o ndjson <"$fr" | grep -c '"users":{"plan":"' || true)
	ewith=$("$cat" -o ndjson <"$fr" | grep -c '"user_id":"u' || true)
	if [ "$eout" = "$n" ] && [ "$ejoin" = "$ewith" ]; then
		echo "  check: rta-enrich passes all $n events and joins" \
		    "the $ejoin that have a user_id"
	else
		note "on en-$n rta-enrich wrote $eout of $n events and" \
		    "joined $ejoin of the $ewith with a user_id"
	fi
	measure "$n" "enrich load" "$work/empty.rta" nopin "$runs" "$enrich" \
	    --ref "$work/users.csv" --on payload.user_id -o rta
	r=0
	while [ $r -lt 3 ]; do
		r=$((r + 1))
		measure "$n" "enrich rta" "$fr" nopin "$runs" "$enrich" \
		    --ref "$work/users.csv" --on payload.user_id -o rta
	done
done
# ---- window ----------------------------------------------------------------

wagg=count,sum:payload.value,p95:payload.latency_ms
for n in $wsizes; do
	set_up "$n" events "wn-$n"
	fr=$work/wn-$n.rta
	nd=$work/wn-$n.ndjson
	# windows and the events in them, from rta-window and from DuckDB
	wsum=$("$window" --tumbling 1m --by tenant_id,event_type \
	    --agg count -o ndjson <"$fr" | awk '/"\$rta":"aggregate"/ {
		n++; c = $0; sub(/.*"results":\{"count":/, "", c);
		sub(/[,}].*/, "", c); e += c } END { print n + 0, e + 0 }')
	if [ -n "$duck" ]; then
		dsum=$($duck "$nd") || dsum="failed"
		if [ "$wsum" = "$dsum" ]; then
			echo "  check: rta-window and DuckDB find the same" \
			    "windows and events ($wsum)"
		else
			note "on wn-$n rta-window finds windows and events" \
			    "'$wsum', DuckDB '$dsum'"
		fi
	fi
	r=0
	while [ $r -lt 3 ]; do
		r=$((r + 1))
		measure "$n" "window rta" "$fr" pin "$runs" "$window" \
		    --tumbling 1m --by tenant_id,event_type --agg "$wagg" -o rta
		measure "$n" "cat-window ndjson" "$nd" nopin "$runs" sh -c \
		    "$cat -o rta | $window --tumbling 1m --by tenant_id,event_type --agg count,sum:payload.value -o ndjson"
	done
	[ -z "$duck" ] || measure "$n" "duckdb group by" "$nd" nopin "$aruns" \
	    $duck "$nd"
	if [ -n "$mlr" ] && [ "$n" -le 1000000 ]; then
		measure "$n" "mlr stats1" "$nd" nopin "$aruns" "$mlr" \
		    --ijsonl --ojsonl flatten then put \
		    '$minute = substr(${timestamp}, 0, 15)' then stats1 \
		    -a count,sum -f payload.value -g tenant_id,event_type,minute
	fi
done

# ---- store -----------------------------------------------------------------

# The aggregates of the ingest case: rta-window's one-minute windows of
# wn-N by tenant, type and country, with count, sum and p95 states, as
# frames (agg-N.rta), and how many there are (agg-N.count).
sagg=count,sum:payload.value,p95:payload.latency_ms
gendata_agg() {
	n=$1
	stamp="$(cat "$work/wn-$n.stamp") $(cksum <"$window")"
	if [ -f "$work/agg-$n.stamp" ] &&
	    [ "$(cat "$work/agg-$n.stamp")" = "$stamp" ] &&
	    [ -f "$work/agg-$n.rta" ] && [ -f "$work/agg-$n.count" ]; then
		return 0
	fi
	echo "making the aggregates of wn-$n"
	rm -f "$work/agg-$n.stamp"
	"$window" --tumbling 1m --by tenant_id,event_type,payload.country \
	    --agg "$sagg" -o rta <"$work/wn-$n.rta" >"$work/agg-$n.rta" ||
	    die "cannot make agg-$n.rta"
	"$cat" -o ndjson <"$work/agg-$n.rta" |
	    grep -c '^{"\$rta":"aggregate"' >"$work/agg-$n.count" ||
	    die "cannot count agg-$n.rta"
	echo "$stamp" >"$work/agg-$n.stamp"
}

# records_in DIR: the records stored in dataset m of store DIR
records_in() {
	"$store" stats -s "$1" -d m |
	    sed -n 's/.*"records_written":\([0-9]*\).*/\1/p'
}

# store_ingest N NAME INPUT RECORDS RUNS [floor]: time `rta-store
# ingest` of INPUT into a fresh store (made before each run, untimed: the
# work/st directory; then sync, so that no writeback of the run before
# lands in this one) RUNS times, group commits every 100 ms; append to
# store.tsv "ingest", N, name, the records stored, runs, best wall
# seconds, input bytes, peak RSS (KiB, the largest), best CPU seconds.
# The stored count must be RECORDS.  --max-future 0: the data is dated
# 2026-01, so a clock set before that must not reject it.  With "floor",
# time dd writing INPUT's bytes to a file in the store instead, with one
# fdatasync at the end: what the disk takes, whatever a writer does.
store_ingest() {
	i_n=$1 i_name=$2 i_in=$3 i_want=$4 i_runs=$5 i_floor=${6:-}
	i_times=
	i_cpus=
	i_rss=0
	i_i=0
	while [ "$i_i" -lt "$i_runs" ]; do
		i_i=$((i_i + 1))
		rm -rf "$work/st"
		"$store" init -s "$work/st" >/dev/null ||
		    die "cannot make a store in $work/st"
		sync
		i_t0=$(date +%s%N)
		i_rc=0
		if [ -n "$i_floor" ]; then
			/usr/bin/time -f '%e %M %U %S' -o "$work/time.out" \
			    dd of="$work/st/floor" bs=1M conv=fdatasync \
			    status=none <"$i_in" >/dev/null \
			    2>"$work/stderr.out" || i_rc=$?
		else
			/usr/bin/time -f '%e %M %U %S' -o "$work/time.out" \
			    "$store" ingest -s "$work/st" -d m \
			    --sync-every 100ms --max-future 0 <"$i_in" \
			    >/dev/null 2>"$work/stderr.out" || i_rc=$?
		fi
		i_t1=$(date +%s%N)
		if [ "$i_rc" != 0 ]; then
			note "$i_name on $i_n failed (exit $i_rc):" \
			    "$(head -c 300 "$work/stderr.out")"
			rm -rf "$work/st"
			return 0
		fi
		i_times="$i_times $((i_t1 - i_t0))"
		i_r=$(awk 'END { print $2 }' "$work/time.out")
		i_cpus="$i_cpus $(awk 'END { print $3 + $4 }' "$work/time.out")"
		if [ "$i_r" -gt "$i_rss" ]; then
			i_rss=$i_r
		fi
	done
	i_got=$i_want
	[ -n "$i_floor" ] || i_got=$(records_in "$work/st")
	rm -rf "$work/st"
	if [ "$i_got" != "$i_want" ]; then
		note "$i_name on $i_n stored ${i_got:-?} records, not $i_want"
		return 0
	fi
	# shellcheck disable=SC2086
	i_best=$(printf '%s\n' $i_times | sort -n | awk 'NR == 1 {
	    printf "%.4f", $1 / 1e9 }')
	# shellcheck disable=SC2086
	i_cpu=$(printf '%s\n' $i_cpus | sort -n | awk 'NR == 1 {
	    printf "%.2f", $1 }')
	i_bytes=$(wc -c <"$i_in")
	printf 'ingest\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$i_n" "$i_name" \
	    "$i_got" "$i_runs" "$i_best" "$i_bytes" "$i_rss" "$i_cpu" \
	    >>"$stsv"
	awk -v n="$i_got" -v name="$i_name" -v runs="$i_runs" -v t="$i_best" \
	    -v b="$i_bytes" -v rss="$i_rss" -v cpu="$i_cpu" 'BEGIN {
		printf "  %-22s %d runs %8.3f s %10.0f rec/s %7.1f MB/s" \
		    " %5.1f MiB  cpu %.2f s\n", name, runs, t, n / t,
		    b / t / 1e6, rss / 1024, cpu }'
}

for n in $ssizes; do
	gendata_agg "$n"
	if [ "$n" -le 1000000 ]; then
		runs=${BENCH_RUNS:-5}
	else
		runs=${BENCH_RUNS:-3}
	fi
	nagg=$(cat "$work/agg-$n.count")
	echo "store ingest: $nagg aggregates of wn-$n ($(wc -c \
	    <"$work/agg-$n.rta") bytes rta), $n events of ev-$n"
	r=0
	while [ $r -lt 3 ]; do
		r=$((r + 1))
		store_ingest "$n" "ingest aggregates" "$work/agg-$n.rta" \
		    "$nagg" "$runs"
		store_ingest "$n" "ingest events" "$work/ev-$n.rta" "$n" \
		    "$runs"
	done
	store_ingest "$n" "disk floor, aggregates" "$work/agg-$n.rta" \
	    "$nagg" "$runs" floor
	store_ingest "$n" "disk floor, events" "$work/ev-$n.rta" "$n" \
	    "$runs" floor
done

# The store of 14 days of one-minute aggregates: store_fill's NDJSON
# through rta-cat into rta-store ingest (--close-after 0: a day's log
# closes once the stream has passed its end), two days at a time, each
# pair compacted before the next, so that the logs of only two days are
# ever on disk.  store.info keeps what the build took.  The query
# section reads it too.
stenants=${BENCH_STORE_TENANTS:-1000}
case $stenants in
''|*[!0-9]*|0) die "bad BENCH_STORE_TENANTS '$stenants'" ;;
esac
sdays=14
big=$work/store
sday=$((stenants * 1440 * 5))
swant=$((sdays * sday))
sbuilt=0
if want store || want query; then
	stamp="tenants=$stenants days=$sdays $(cksum <"$here/store_fill.c")"
	stamp="$stamp $(cksum <"$cat") $(cksum <"$store")"
	if ! [ -f "$work/store.stamp" ] || ! [ -f "$work/store.info" ] ||
	    [ "$(cat "$work/store.stamp")" != "$stamp" ]; then
		echo "building the store: $sdays days x $stenants tenants x" \
		    "5 types x 1440 minutes = $swant records"
		rm -f "$work/store.stamp" "$work/store.info"
		rm -rf "$big"
		sbuilt=1
		"$store" init -s "$big" >/dev/null ||
		    die "cannot make a store in $big"
		: >"$work/store-build.log"
		s_ing=0
		s_cmp=0
		d=0
		while [ $d -lt $sdays ]; do
			k=$((sdays - d))
			[ $k -le 2 ] || k=2
			t0=$(date +%s%N)
			"$fill" -t "$stenants" -f $d -d $k | "$cat" -o rta |
			    "$store" ingest -s "$big" -d m --close-after 0 \
			    --max-future 0 2>>"$work/store-build.log" ||
			    die "cannot ingest days $d to $((d + k - 1))" \
			    "(see $work/store-build.log)"
			t1=$(date +%s%N)
			"$store" compact -s "$big" -d m \
			    >>"$work/store-build.log" 2>&1 ||
			    die "cannot compact days $d to $((d + k - 1))" \
			    "(see $work/store-build.log)"
			t2=$(date +%s%N)
			s_ing=$((s_ing + t1 - t0))
			s_cmp=$((s_cmp + t2 - t1))
			echo "  days $d to $((d + k - 1)): ingest" \
			    "$(((t1 - t0) / 1000000)) ms, compact" \
			    "$(((t2 - t1) / 1000000)) ms"
			d=$((d + k))
		done
		got=$(records_in "$big")
		nseg=$(find "$big/m" -name '*.seg' | wc -l)
		nlog=$(find "$big/m" -name '*.log' | wc -l)
		if [ "$got" = "$swant" ] && [ "$nseg" = "$sdays" ] &&
		    [ "$nlog" = 0 ]; then
			printf '%s %s %s\n' "$got" "$s_ing" "$s_cmp" \
			    >"$work/store.info"
			echo "$stamp" >"$work/store.stamp"
		else
			note "the store holds ${got:-?} records in $nseg" \
			    "segments and $nlog logs, not $swant in $sdays" \
			    "segments"
		fi
	fi
fi
if want store && [ -f "$work/store.info" ]; then
	read -r got s_ing s_cmp <"$work/store.info"
	sbytes=$(find "$big/m" -name '*.seg' -exec cat {} + | wc -c)
	printf 'store\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$got" "$sdays" \
	    "$stenants" "$sbytes" "$s_ing" "$s_cmp" "$sbuilt" >>"$stsv"
	echo "the store: $got records in $sdays segments, $sbytes bytes"

	# One tenant's day at 200 random (tenant, day) pairs, twice: the
	# first pass reads what the page cache holds of the store, the
	# second the same blocks again; as records (rta_scan_next), then
	# as columns (store_read -c: rta_scan_cols).  Each scan must return
	# the tenant's whole day.
	for pass in first again cfirst cagain; do
		case $pass in
		c*) cflag=-c ;;
		*) cflag= ;;
		esac
		# shellcheck disable=SC2086
		$one /usr/bin/time -f %M -o "$work/time.out" "$sread" \
		    $cflag -s "$big" -d m -t "$stenants" -n 200 -r "$seed" \
		    >"$work/store-read.txt" || die "store_read failed"
		rss=$(tail -1 "$work/time.out")
		awk -v want=$((1440 * 5)) '$3 != want { bad++ }
		    END { exit bad > 0 }' "$work/store-read.txt" ||
		    note "a tenant's day did not read as $((1440 * 5))" \
		    "records (work/store-read.txt)"
		awk '{ print $4 * 1000 }' "$work/store-read.txt" | sort -n |
		    awk -v pass=$pass -v rss="$rss" '{ t[NR] = $1 }
		    function at(q,    i) {
			i = int(q * NR); if (i < q * NR) i++
			return t[i < 1 ? 1 : i]
		    }
		    END { printf "scan\t%s\t%.3f\t%.3f\t%.3f\t%d\t%s\n",
			pass, at(0.5), at(0.99), t[NR], NR, rss }' >>"$stsv"
		tail -1 "$stsv" | awk -F '\t' '{ printf "  one tenant, 24 h" \
		    " (%s pass): p50 %s ms, p99 %s ms, max %s ms\n",
		    $2, $3, $4, $5 }'
	done

	# Whole days, all tenants: the first three, as records and as
	# columns.
	for how in records columns; do
		cflag=
		[ $how = records ] || cflag=-c
		# shellcheck disable=SC2086
		$one /usr/bin/time -f %M -o "$work/time.out" "$sread" -a \
		    $cflag -s "$big" -d m -n 3 >"$work/store-days.txt" ||
		    die "store_read -a failed"
		printf 'dayrss\t%s\t%s\n' "$(tail -1 "$work/time.out")" \
		    "$how" >>"$stsv"
		awk -v want="$sday" '$3 != want { bad++ }
		    END { exit bad > 0 }' "$work/store-days.txt" ||
		    note "a whole day did not read as $sday records" \
		    "(work/store-days.txt, $how)"
		awk -v how=$how '{ printf "day\t%s\t%s\t%s\t%s\n", $2, $3,
		    $4, how }' "$work/store-days.txt" >>"$stsv"
		awk -v how=$how '{ printf "  all tenants, %s, %s: %d" \
		    " records in %.3f s\n", $2, how, $3, $4 }' \
		    "$work/store-days.txt"
	done

	# The first day's bytes: its segment, the same records as NDJSON
	# (`rta-store cat`) and as DuckDB's zstd Parquet of that NDJSON.
	seg=$(find "$big/m" -name '20260101T0000.*.seg' | head -1)
	dnd=$work/store-day.ndjson
	"$store" cat -s "$big" -d m -o ndjson --from 2026-01-01 \
	    --to 2026-01-02 >"$dnd" || die "rta-store cat failed"
	drec=$("$work/baseline" <"$dnd")
	[ "$drec" = "$sday" ] ||
	    note "rta-store cat wrote $drec records of 2026-01-01, not $sday"
	pqbytes=-
	if [ -n "$parquet" ]; then
		rm -f "$work/store-day.parquet"
		prow=$($parquet "$dnd" "$work/store-day.parquet") || prow=failed
		if [ "$prow" = "$drec" ]; then
			pqbytes=$(wc -c <"$work/store-day.parquet")
		else
			note "DuckDB wrote '$prow' rows of Parquet, not $drec"
		fi
	fi
	printf 'size\t%s\t%s\t%s\t%s\n' "$drec" "$(wc -c <"$seg")" \
	    "$(wc -c <"$dnd")" "$pqbytes" >>"$stsv"
	tail -1 "$stsv" | awk -F '\t' '{ printf "  bytes a record, one" \
	    " day: segment %.1f, NDJSON %.1f, Parquet %s\n", $3 / $2,
	    $4 / $2, $5 == "-" ? "-" : sprintf("%.1f", $5 / $2) }'
	rm -f "$dnd" "$work/store-day.parquet"
fi

# ---- export ------------------------------------------------------------------

# The store the export reads: ev-N's events ingested with --close-after
# 0 (each day's log closes once the stream has passed its end; the
# last day stays open and is exported from its log) and compacted, as
# export follows compaction in cron.  Untimed; kept in xst-N while
# ev-N and rta-store are unchanged, xst-N.info holding what the build
# took (ns of ingest and of compaction); xbuilt is 1 if this run built
# it.
xstore_build() {
	n=$1
	stamp="$(cat "$work/ev-$n.stamp") $(cksum <"$store")"
	xbuilt=0
	if [ -f "$work/xst-$n.stamp" ] && [ -f "$work/xst-$n.info" ] &&
	    [ "$(cat "$work/xst-$n.stamp")" = "$stamp" ]; then
		return 0
	fi
	echo "building the store of ev-$n"
	xbuilt=1
	rm -f "$work/xst-$n.stamp" "$work/xst-$n.info"
	rm -rf "$work/xst-$n"
	"$store" init -s "$work/xst-$n" >/dev/null ||
	    die "cannot make a store in $work/xst-$n"
	t0=$(date +%s%N)
	"$store" ingest -s "$work/xst-$n" -d ev --close-after 0 \
	    --max-future 0 <"$work/ev-$n.rta" \
	    2>"$work/xst-build.log" ||
	    die "cannot ingest ev-$n (see $work/xst-build.log)"
	t1=$(date +%s%N)
	"$store" compact -s "$work/xst-$n" -d ev >>"$work/xst-build.log" \
	    2>&1 || die "cannot compact ev-$n (see $work/xst-build.log)"
	t2=$(date +%s%N)
	echo "$((t1 - t0)) $((t2 - t1))" >"$work/xst-$n.info"
	echo "$stamp" >"$work/xst-$n.stamp"
}

# pqbytes DIR: files and bytes of the *.parquet files under DIR (%.0f:
# mawk's %d stops at 2^31 - 1)
pqbytes() {
	find "$1" -name '*.parquet' -printf '%s\n' |
	    awk '{ n++; b += $1 } END { printf "%d %.0f\n", n, b }'
}

# export_rta N [warm]: one timed `rta-store export` of xst-N into a
# fresh cold-N (removed and synced first, untimed), not pinned (its
# pages compress in a second thread, as DuckDB's COPY uses two); appends
# its "copy" row to export.tsv ("copy", N, case, 1 run, wall s, CPU s,
# rows, bytes, files, peak RSS KiB), unless warm.  Rows must be N.
export_rta() {
	x_n=$1 x_warm=${2:-}
	rm -rf "$work/cold-$x_n"
	sync
	x_t0=$(date +%s%N)
	x_rc=0
	/usr/bin/time -f '%e %M %U %S' -o "$work/time.out" "$store" \
	    export -s "$work/xst-$x_n" --cold "$work/cold-$x_n" \
	    --before 2100-01-01 >"$work/export.out" 2>"$work/stderr.out" ||
	    x_rc=$?
	x_t1=$(date +%s%N)
	if [ "$x_rc" != 0 ]; then
		note "rta-store export of xst-$x_n failed (exit $x_rc):" \
		    "$(head -c 300 "$work/stderr.out")"
		return 0
	fi
	# its last line: "C/ev: D days exported (0 unchanged), F files,
	# R rows, ..."
	x_rows=$(sed -n 's/.* files, \([0-9]*\) rows, .*/\1/p' \
	    "$work/export.out" | tail -1)
	if [ "$x_rows" != "$x_n" ]; then
		note "rta-store export of xst-$x_n wrote ${x_rows:-?} rows," \
		    "not $x_n"
		return 0
	fi
	[ -z "$x_warm" ] || return 0
	# shellcheck disable=SC2046
	set -- $(pqbytes "$work/cold-$x_n")
	printf 'copy\t%s\trta-store export\t1\t%s\t%s\t%s\t%s\t%s\t%s\n' \
	    "$x_n" "$(awk -v t=$((x_t1 - x_t0)) 'BEGIN {
	    printf "%.4f", t / 1e9 }')" "$(awk 'END { printf "%.2f",
	    $3 + $4 }' "$work/time.out")" "$x_rows" "$2" "$1" \
	    "$(awk 'END { print $2 }' "$work/time.out")" >>"$xtsv"
}

# export_duck N THREADS: one timed COPY by DuckDB with THREADS threads
# (one: pinned, as rta is) into a fresh duck-N, its row as above (the
# wall and CPU seconds of the COPY alone, no RSS).  DuckDB does not
# fsync the files it writes; rta-store export does.
export_duck() {
	x_n=$1 x_thr=$2
	x_pre=
	[ "$x_thr" = 1 ] && x_pre=$one
	x_case="duckdb COPY, $x_thr threads"
	[ "$x_thr" = 1 ] && x_case="duckdb COPY, 1 thread"
	rm -rf "$work/duck-$x_n"
	sync
	x_rc=0
	# shellcheck disable=SC2086
	x_out=$($x_pre $xduck copy "$work/ev-$x_n.duckdb" \
	    "$work/duck-$x_n" "$x_thr" 2>"$work/stderr.out") || x_rc=$?
	if [ "$x_rc" != 0 ]; then
		note "$x_case of ev-$x_n failed (exit $x_rc):" \
		    "$(head -c 300 "$work/stderr.out")"
		return 0
	fi
	# rows, wall s and CPU s of the COPY; files and bytes
	# shellcheck disable=SC2046,SC2086
	set -- $x_out $(pqbytes "$work/duck-$x_n")
	if [ "$1" != "$x_n" ]; then
		note "$x_case of ev-$x_n wrote ${1:-?} rows, not $x_n"
		return 0
	fi
	printf 'copy\t%s\t%s\t1\t%s\t%s\t%s\t%s\t%s\t-\n' "$x_n" \
	    "$x_case" "$2" "$3" "$1" "$5" "$4" >>"$xtsv"
}

for n in $xsizes; do
	if [ "$n" -le 1000000 ]; then
		runs=${BENCH_RUNS:-5}
	else
		runs=${BENCH_RUNS:-3}
	fi
	xstore_build "$n"
	read -r x_ing x_cmp <"$work/xst-$n.info"
	sbytes=$(du -sb "$work/xst-$n/ev" | cut -f1)
	printf 'build\t%s\t%s\t%s\t%s\t%s\n' "$n" "$x_ing" "$x_cmp" \
	    "$sbytes" "$xbuilt" >>"$xtsv"
	echo "export: ev-$n in a store of $sbytes bytes (ingest" \
	    "$((x_ing / 1000000)) ms, compaction $((x_cmp / 1000000)) ms)"
	# A first export, untimed: the store into the page cache, and
	# DuckDB's load its columns.
	export_rta "$n" warm
	if [ -n "$xduck" ]; then
		pq=$(find "$work/cold-$n" -name '*.parquet' | head -1)
		stamp="$(cat "$work/ev-$n.stamp")"
		stamp="$stamp $(cksum <"$here/export_duckdb.mjs") $(sed -n \
		    's/^ *"version": *"\([^"]*\)".*/\1/p' \
		    "$here/node_modules/@duckdb/node-api/package.json")"
		if [ -z "$pq" ]; then
			note "no Parquet file in cold-$n: DuckDB skipped"
		elif ! [ -f "$work/ev-$n.duckdb.stamp" ] ||
		    [ "$(cat "$work/ev-$n.duckdb.stamp")" != "$stamp" ]; then
			echo "loading ev-$n.ndjson into ev-$n.duckdb"
			rm -f "$work/ev-$n.duckdb" "$work/ev-$n.duckdb.stamp" \
			    "$work/ev-$n.duckdb.wal"
			got=$($xduck load "$work/ev-$n.ndjson" \
			    "$work/ev-$n.duckdb" "$pq") || got=failed
			if [ "$got" = "$n" ]; then
				echo "$stamp" >"$work/ev-$n.duckdb.stamp"
			else
				note "DuckDB loaded '$got' rows of" \
				    "ev-$n.ndjson, not $n"
			fi
		fi
	fi
	dok=
	[ -n "$xduck" ] && [ -f "$work/ev-$n.duckdb.stamp" ] && dok=1
	# Runs taken in turn, so that a slow spell hits all three alike.
	r=0
	while [ $r -lt "$runs" ]; do
		r=$((r + 1))
		export_rta "$n"
		[ -z "$dok" ] && continue
		export_duck "$n" 2
		export_duck "$n" 1
	done
	awk -F '\t' -v n="$n" '$1 == "copy" && $2 == n {
		k = $3; if (!(k in t) || $5 < t[k]) t[k] = $5
		if (!(k in c) || $6 < c[k]) c[k] = $6; b[k] = $8; f[k] = $9
		if (!(k in seen)) { seen[k] = 1; o[++m] = k } }
	    END { for (i = 1; i <= m; i++) { k = o[i]
		printf "  %-26s %8.3f s %10.0f rows/s  cpu %6.2f s" \
		    "  %d bytes in %d files\n", k, t[k], n / t[k], c[k],
		    b[k], f[k] } }' "$xtsv"

	# The same rows in both, partitions included (the check is on a
	# sample of the columns: the envelope, a string, an int and a
	# double of the payload).
	if [ -n "$dok" ] && [ -d "$work/duck-$n" ] &&
	    [ -d "$work/cold-$n/ev" ]; then
		# shellcheck disable=SC2046
		set -- $($xduck check "$work/cold-$n/ev" "$work/duck-$n" \
		    2>"$work/stderr.out") failed
		printf 'check\t%s\t%s\t%s\t%s\n' "$n" "$1" "${2:--}" \
		    "${3:--}" >>"$xtsv"
		if [ "$1" = "$n" ] && [ "$2" = 0 ] && [ "$3" = "$n" ]; then
			echo "  check: DuckDB reads $n rows in rta's files," \
			    "each one in its own"
		else
			note "DuckDB reads $1 rows in rta's files of ev-$n," \
			    "${2:-?} of them not in its own (of ${3:-?}):" \
			    "$(head -c 300 "$work/stderr.out")"
		fi
	fi

	# The reader: pq_scan and DuckDB (one thread) on the files of the
	# last run, each column summed; the sums must agree.
	[ -d "$work/cold-$n/ev" ] || continue
	$one "$pqscan" -r "$runs" "$work/cold-$n/ev" timestamp \
	    payload_value >"$work/pq-scan.txt" 2>"$work/stderr.out" || {
		note "pq_scan of cold-$n failed:" \
		    "$(head -c 300 "$work/stderr.out")"
		continue
	}
	while read -r col vals nulls sec cpu sum; do
		printf 'scan\t%s\tpq_scan\t%s\t%s\t%s\t%s\t%s\n' "$n" \
		    "$col" "$vals" "$nulls" "$sec" "$cpu" >>"$xtsv"
		awk -v c="$col" -v v="$vals" -v s="$sec" 'BEGIN {
		    printf "  pq_scan %-14s %d values %8.4f s %12.0f" \
			" values/s\n", c, v, s, v / s }'
		[ -n "$dok" ] || continue
		# shellcheck disable=SC2046,SC2086
		set -- $($one $xduck scan "$work/cold-$n/ev" "$col" "$runs" \
		    2>"$work/stderr.out") failed
		if [ "$1" = failed ]; then
			note "DuckDB's scan of $col in cold-$n failed:" \
			    "$(head -c 300 "$work/stderr.out")"
			continue
		fi
		# rows, best wall and CPU s, sum
		printf 'scan\t%s\tduckdb\t%s\t%s\t-\t%s\t%s\n' "$n" \
		    "$col" "$1" "$2" "$3" >>"$xtsv"
		awk -v c="$col" -v v="$1" -v s="$2" 'BEGIN {
		    printf "  duckdb  %-14s %d values %8.4f s %12.0f" \
			" values/s\n", c, v, s, v / s }'
		# integers exactly, doubles to 1e-9 (added in another order)
		awk -v a="$sum" -v b="$4" 'BEGIN { d = a - b; if (d < 0) d = -d
		    m = b < 0 ? -b : b
		    exit !(a "" == b "" || (a ~ /[.e]/ && d <= 1e-9 * m)) }' ||
		    note "the sums of $col in cold-$n differ: pq_scan" \
		    "$sum, DuckDB $4"
	done <"$work/pq-scan.txt"
done
# ---- query -------------------------------------------------------------------

# The question of every case: one tenant's 24 hours from 12:00 of a day
# to 12:00 of the next (two day segments, as a "last 24 h" spans) at
# 5-minute buckets, rolled up from the one-minute aggregates.  Query i
# asks for tenant i mod BENCH_STORE_TENANTS and day i mod 13 (query_lat,
# query_duckdb.mjs and query_wrk.lua count alike); query 0, tenant
# t0000 on 2026-01-01, is the one whose answer is checked.
qagg=count,sum:payload.value
qdays=$((sdays - 1))
qpid=

# qstop: stop the socat of qserve and the processes of its connections
# (its process group), once those have had up to 5 s to end with their
# connections, so that socat reaps them.
qstop() {
	[ -n "$qpid" ] || return 0
	q_w=0
	while [ $q_w -lt 50 ] && pgrep -P "$qpid" >/dev/null 2>&1; do
		sleep 0.1
		q_w=$((q_w + 1))
	done
	kill -TERM -- "-$qpid" 2>/dev/null || kill -TERM "$qpid" 2>/dev/null ||
	    true
	wait "$qpid" 2>/dev/null || true
	qpid=
}

# qserve: `rta-query --http` on the store, behind socat (one process a
# connection, with TCP_NODELAY so that a reply is not held back for the
# client's delayed ACK, and -b 65536 so that a reply of tens of KB passes
# in one read and write, not socat's 8 KiB pieces; as man/rta-query.1
# recommends) on a loopback port that is free: a socat that
# cannot listen exits, and the next port is tried.  Sets qport and qpid
# (socat's pid, the leader of its own process group); returns 1 when no
# port would do.
qserve() {
	q_k=0
	while [ $q_k -lt 20 ]; do
		qport=$((20000 + ($$ * 7 + q_k * 101) % 12000))
		q_k=$((q_k + 1))
		setsid socat -b 65536 \
		    "TCP-LISTEN:$qport,bind=127.0.0.1,reuseaddr,fork,nodelay" \
		    "EXEC:$query --http -s $big" 2>"$work/socat.log" &
		qpid=$!
		q_w=0
		while [ $q_w -lt 50 ]; do
			case $(ps -o stat= -p "$qpid" 2>/dev/null) in
			''|Z*) break ;;
			esac
			if curl -sf --max-time 2 \
			    "http://127.0.0.1:$qport/healthz" 2>/dev/null |
			    grep -q '"ok"'; then
				# the answer was ours if socat is still up
				case $(ps -o stat= -p "$qpid" 2>/dev/null) in
				''|Z*) break ;;
				esac
				return 0
			fi
			sleep 0.1
			q_w=$((q_w + 1))
		done
		qstop
	done
	return 1
}

# qwrk CASE CONNECTIONS wrk-arguments...: one bounded wrk run with
# keep-alive (two threads and eight connections, 10 s, for the
# throughput; one thread and one connection, 5 s, for the latency of a
# single client) against qserve's port; appends "http", CASE,
# requests/s, latency p50 and p99 (ms), requests, non-2xx responses and
# socket errors to query.tsv.
qwrk() {
	q_case=$1
	q_conn=$2
	shift 2
	if [ "$q_conn" = 1 ]; then
		set -- -t1 -c1 -d5s "$@"
	else
		set -- -t2 -c8 -d10s "$@"
	fi
	if ! wrk --latency "$@" >"$work/wrk.out" 2>&1; then
		note "wrk ($q_case) failed: $(head -c 300 "$work/wrk.out")"
		return 0
	fi
	awk -v c="$q_case" '
	    function ms(v) {
		if (v ~ /us$/) return v / 1000
		if (v ~ /ms$/) return v + 0
		if (v ~ /m$/) return v * 60000
		if (v ~ /s$/) return v * 1000
		return v + 0
	    }
	    /^ *50%/ { p50 = ms($2) }
	    /^ *99%/ { p99 = ms($2) }
	    / requests in / { n = $1 }
	    /^Requests\/sec:/ { rps = $2 }
	    /Non-2xx or 3xx responses:/ { bad = $NF }
	    /Socket errors:/ { err = $4 + $6 + $8 + $10 }
	    END { printf "http\t%s\t%s\t%.3f\t%.3f\t%d\t%d\t%d\n", c, rps,
		p50, p99, n, bad, err }' "$work/wrk.out" >>"$qtsv"
	tail -1 "$qtsv" | awk -F '\t' '{ printf "  HTTP, %s: %s requests/s," \
	    " p50 %s ms, p99 %s ms (%d requests, %d not 2xx, %d socket" \
	    " errors)\n", $2, $3, $4, $5, $6, $7, $8 }'
	tail -1 "$qtsv" | awk -F '\t' '$7 > 0 || $8 > 0 { exit 1 }' ||
	    note "wrk ($q_case): $(grep -E 'Non-2xx|Socket errors' \
	    "$work/wrk.out" | tr -s ' \n' ' ')"
}

if want query && [ -f "$work/store.info" ]; then
	# The store's Parquet for DuckDB: `rta-store export` of it into
	# qcold, untimed beyond the one run that makes it, kept while the
	# store is the same build (its stamp and build times).
	qcold=$work/qcold
	stamp="$(cat "$work/store.stamp") $(cat "$work/store.info")"
	qbuilt=0
	if ! [ -f "$work/qcold.stamp" ] || ! [ -f "$work/qcold.info" ] ||
	    [ "$(cat "$work/qcold.stamp")" != "$stamp" ]; then
		echo "exporting the store to Parquet (work/qcold)"
		rm -f "$work/qcold.stamp" "$work/qcold.info"
		rm -rf "$qcold"
		qbuilt=1
		t0=$(date +%s%N)
		if "$store" export -s "$big" --cold "$qcold" -d m \
		    --before 2100-01-01 >"$work/qcold.log" 2>&1; then
			t1=$(date +%s%N)
			rows=$(sed -n 's/.* files, \([0-9]*\) rows, .*/\1/p' \
			    "$work/qcold.log" | tail -1)
			if [ "$rows" = "$swant" ]; then
				# shellcheck disable=SC2046
				set -- $(pqbytes "$qcold")
				echo "$rows $1 $2 $((t1 - t0))" \
				    >"$work/qcold.info"
				echo "$stamp" >"$work/qcold.stamp"
			else
				note "rta-store export of the store wrote" \
				    "${rows:-?} rows, not $swant"
			fi
		else
			note "rta-store export of the store failed:" \
			    "$(tail -c 300 "$work/qcold.log")"
		fi
	fi
	if [ -f "$work/qcold.stamp" ]; then
		read -r rows files bytes ns <"$work/qcold.info"
		printf 'qstore\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$rows" \
		    "$stenants" "$sdays" "$files" "$bytes" "$ns" "$qbuilt" \
		    >>"$qtsv"
		echo "query: the store's Parquet, $files files, $bytes bytes"
	fi

	# Query 0 once, its rows kept for the checks.
	qcheck=$work/query-check.ndjson
	if "$query" -s "$big" -d m --tenant t0000 \
	    --from 2026-01-01T12:00:00Z --to 2026-01-02T12:00:00Z \
	    --bucket 5m --agg "$qagg" -o ndjson >"$qcheck" \
	    2>"$work/stderr.out"; then
		qrows=$(wc -l <"$qcheck")
	else
		note "rta-query of tenant t0000 failed:" \
		    "$(head -c 300 "$work/stderr.out")"
		qrows=0
	fi
	printf 'rows\t%s\n' "$qrows" >>"$qtsv"
	[ "$qrows" = 288 ] || note "rta-query answered tenant t0000's 24" \
	    "hours with $qrows rows, not 288"

	# The CLI, on one core, twice: the first pass reads what the page
	# cache holds of the store, the second the same again.
	for pass in first again; do
		# shellcheck disable=SC2086
		if ! $one "$qlat" -n "$qruns" -t "$stenants" -d "$qdays" \
		    "$query" -s "$big" -d m --tenant %T --from %F --to %U \
		    --bucket 5m --agg "$qagg" >"$work/query-lat.txt" \
		    2>"$work/stderr.out"; then
			note "rta-query ($pass pass) failed:" \
			    "$(head -c 300 "$work/stderr.out")"
			break
		fi
		read -r n p50 p90 p99 max mean <"$work/query-lat.txt"
		printf 'cli\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$pass" "$n" \
		    "$p50" "$p90" "$p99" "$max" "$mean" >>"$qtsv"
		q_pn="first pass"
		[ $pass = first ] || q_pn="second pass"
		echo "  rta-query, $n queries ($q_pn): p50 $p50 ms," \
		    "p90 $p90 ms, p99 $p99 ms, max $max ms"
	done
	# The floor under any command's time: a process that does nothing
	# (true), started and waited for the same way.
	tru=
	for d in /bin /usr/bin; do
		[ -n "$tru" ] || ! [ -x "$d/true" ] || tru=$d/true
	done
	case $tru in
	/*)
		# shellcheck disable=SC2086
		if $one "$qlat" -n "$qruns" -t "$stenants" -d "$qdays" \
		    "$tru" >"$work/query-lat.txt" 2>"$work/stderr.out"; then
			read -r n p50 p90 p99 max mean <"$work/query-lat.txt"
			printf 'cli\ttrue\t%s\t%s\t%s\t%s\t%s\t%s\n' \
			    "$n" "$p50" "$p90" "$p99" "$max" "$mean" >>"$qtsv"
			echo "  $tru, $n runs: p50 $p50 ms"
		fi
		;;
	esac

	# DuckDB on the Parquet, one thread on the same core: the tenant's
	# folder named, then the glob of every file (which lists the whole
	# cold store at each query: 26 queries of it, two a day).
	if [ -n "$qduck" ] && [ -f "$work/qcold.stamp" ] && [ "$qrows" != 0 ]
	then
		for mode in tenant glob; do
			r=$qruns
			[ $mode = tenant ] || [ "$r" -le 26 ] || r=26
			# shellcheck disable=SC2086
			if ! out=$($one $qduck $mode "$qcold/m" "$stenants" \
			    "$qdays" "$r" 1 "$qcheck" 2>"$work/stderr.out")
			then
				note "DuckDB's query ($mode) failed:" \
				    "$(head -c 300 "$work/stderr.out")"
				continue
			fi
			# shellcheck disable=SC2086
			set -- $out
			printf 'duck\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
			    "$mode" "$@" >>"$qtsv"
			echo "  DuckDB ($mode), $1 queries: p50 $2 ms, p90 $3" \
			    "ms, p99 $4 ms, max $5 ms"
			[ "$8" = same ] || note "DuckDB ($mode) answers" \
			    "tenant t0000's 24 hours otherwise than" \
			    "rta-query:" \
			    "$(head -c 300 "$work/stderr.out")"
		done
	fi

	# HTTP through socat: the same query on every request, then
	# another tenant and day on each (query_wrk.lua).
	if ! command -v socat >/dev/null 2>&1 ||
	    ! command -v wrk >/dev/null 2>&1 ||
	    ! command -v curl >/dev/null 2>&1; then
		note "socat, wrk or curl not installed: the HTTP cases skipped"
	elif [ "$qrows" != 0 ]; then
		trap qstop EXIT
		trap 'qstop; exit 130' INT
		trap 'qstop; exit 143' TERM
		if qserve; then
			qurl="http://127.0.0.1:$qport/v1/query?dataset=m"
			qurl="$qurl&tenant=t0000&from=2026-01-01T12:00:00Z"
			qurl="$qurl&to=2026-01-02T12:00:00Z&bucket=5m&agg=$qagg"
			# its rows must be the CLI's, one per line
			if curl -sf --max-time 10 "$qurl" | sed \
			    -e 's/^{"rows":\[//' -e 's/\]}$//' \
			    -e 's/},{"start"/}\n{"start"/g' |
			    cmp -s - "$qcheck"; then
				printf 'hcheck\tsame\n' >>"$qtsv"
			else
				printf 'hcheck\tdiffer\n' >>"$qtsv"
				note "rta-query --http answers tenant t0000's" \
				    "24 hours otherwise than the CLI"
			fi
			qwrk "same query (near-cache)" 8 "$qurl"
			qwrk "another tenant and day each" 8 -s \
			    "$here/query_wrk.lua" "http://127.0.0.1:$qport" \
			    -- "$stenants" "$qdays" 2
			qwrk "same query (near-cache), one client" 1 "$qurl"
			qwrk "another tenant and day each, one client" 1 \
			    -s "$here/query_wrk.lua" \
			    "http://127.0.0.1:$qport" -- "$stenants" \
			    "$qdays" 1
		else
			note "socat would not serve rta-query --http on any" \
			    "port tried: $(head -c 300 "$work/socat.log")"
		fi
		qstop
		trap - EXIT INT TERM
	fi
fi
# ---- rollup ------------------------------------------------------------------

if want rollup; then
	echo "rollup: refresh, 30 days hourly, cohorts"
	. "$here/rollup.sh"
fi
# ---- pipeline ----------------------------------------------------------------

pschemas=$here/data/pipeline
pst=$work/pl-store
pdir=$work/pl-run

# pm FILE WHAT: the stage's rta_records_WHAT_total in a --metrics file
# (the stage's own line, not those by reason or tenant), or 0
pm() {
	awk -v w="rta_records_$2_total" '
	    index($0, w "{stage=") == 1 && $0 !~ /,/ { v = $2 }
	    END { print v + 0 }' "$1" 2>/dev/null || echo 0
}

# pmv FILE NAME: the value of an unlabelled metric NAME, or 0
pmv() {
	awk -v w="$2" '$1 == w { v = $2 } END { print v + 0 }' "$1" \
	    2>/dev/null || echo 0
}

# pl_rta N INPUT: one timed run of pipeline_run.sh on INPUT into a fresh
# store (made, and the disk synced, untimed); appends "run", N, "rta",
# wall ns, CPU s (user + system of every stage), peak RSS KiB (the
# largest stage) to pipeline.tsv.  Returns 1 when it failed.
pl_rta() {
	rm -rf "$pst" "$pdir"
	"$store" init -s "$pst" >/dev/null || die "cannot make $pst"
	sync
	p_t0=$(date +%s%N)
	if ! /usr/bin/time -f '%e %M %U %S' -o "$work/time.out" sh \
	    "$here/pipeline_run.sh" "$work/bin" "$pschemas" \
	    "$work/users.csv" "$pst" "$pdir" <"$2" >/dev/null \
	    2>"$work/stderr.out"; then
		note "the pipeline on pl-$1 failed:" \
		    "$(head -c 300 "$work/stderr.out")"
		return 1
	fi
	p_t1=$(date +%s%N)
	awk -v n="$1" -v ns="$((p_t1 - p_t0))" 'END {
	    printf "run\t%s\trta\t%s\t%.2f\t%s\n", n, ns, $3 + $4, $2 }' \
	    "$work/time.out" >>"$ptsv"
	tail -1 "$ptsv" | awk -F '\t' '{ printf "  rta pipeline: %.3f s," \
	    " %.0f ev/s, cpu %.2f s\n", $4 / 1e9, $2 / ($4 / 1e9), $5 }'
}

# pl_duck N INPUT: one timed run of pipeline_duckdb.mjs, the same row
# shape ("duckdb"); its printed counts are kept in work/pl-duck.out.
pl_duck() {
	rm -f "$work/pl.duckdb" "$work/pl.duckdb.wal"
	sync
	p_t0=$(date +%s%N)
	# shellcheck disable=SC2086
	if ! /usr/bin/time -f '%e %M %U %S' -o "$work/time.out" $pduck \
	    "$2" "$work/users.csv" "$work/pl.duckdb" >"$work/pl-duck.out" \
	    2>"$work/stderr.out"; then
		note "DuckDB's pipeline on pl-$1 failed:" \
		    "$(head -c 300 "$work/stderr.out")"
		return 1
	fi
	p_t1=$(date +%s%N)
	awk -v n="$1" -v ns="$((p_t1 - p_t0))" 'END {
	    printf "run\t%s\tduckdb\t%s\t%.2f\t%s\n", n, ns, $3 + $4, $2 }' \
	    "$work/time.out" >>"$ptsv"
	tail -1 "$ptsv" | awk -F '\t' '{ printf "  DuckDB SQL: %.3f s," \
	    " %.0f ev/s, cpu %.2f s\n", $4 / 1e9, $2 / ($4 / 1e9), $5 }'
}

# pl_counts N: the counts of the last rta run (its --metrics files and
# the store) and of DuckDB's, checked against each other; appends
# "counts" and "duck" rows to pipeline.tsv.
pl_counts() {
	p_ok=yes
	for p_s in cat validate dedup enrich window store-events store-m; do
		p_f=$pdir/$p_s.prom
		p_in=$(pm "$p_f" in)
		p_sum=$(($(pm "$p_f" out) + $(pm "$p_f" rejected) + \
		    $(pm "$p_f" dropped)))
		if [ "$p_in" = 0 ] || [ "$p_in" != "$p_sum" ]; then
			p_ok=no
			note "pipeline on pl-$1: $p_s read $p_in records but" \
			    "accounts for $p_sum"
		fi
	done
	c_in=$(pm "$pdir/cat.prom" in)
	c_out=$(pm "$pdir/cat.prom" out)
	c_rej=$(pm "$pdir/cat.prom" rejected)
	v_in=$(pm "$pdir/validate.prom" in)
	v_out=$(pm "$pdir/validate.prom" out)
	v_rej=$(pm "$pdir/validate.prom" rejected)
	d_in=$(pm "$pdir/dedup.prom" in)
	d_out=$(pm "$pdir/dedup.prom" out)
	d_drop=$(pm "$pdir/dedup.prom" dropped)
	e_in=$(pm "$pdir/enrich.prom" in)
	e_out=$(pm "$pdir/enrich.prom" out)
	w_in=$(pm "$pdir/window.prom" in)
	w_agg=$(pmv "$pdir/window.prom" rta_window_events_aggregated_total)
	w_late=$(pmv "$pdir/window.prom" rta_window_events_late_total)
	w_rec=$(pmv "$pdir/window.prom" rta_window_records_total)
	se_in=$(pm "$pdir/store-events.prom" in)
	sm_in=$(pm "$pdir/store-m.prom" in)
	raw=$("$store" stats -s "$pst" -d events |
	    sed -n 's/.*"records_written":\([0-9]*\).*/\1/p')
	agg=$("$store" stats -s "$pst" -d m |
	    sed -n 's/.*"records_written":\([0-9]*\).*/\1/p')
	# each stage reads what the one before wrote, and the stores what
	# they were sent
	if [ "$c_in" != "$1" ] || [ "$v_in" != "$c_out" ] ||
	    [ "$d_in" != "$v_out" ] || [ "$e_in" != "$d_out" ] ||
	    [ "$w_in" != "$e_out" ] || [ "$se_in" != "$e_out" ] ||
	    [ "$sm_in" != "$w_rec" ] || [ "$w_in" != $((w_agg + w_late)) ]
	then
		p_ok=no
		note "pipeline on pl-$1: the stages' counts do not chain" \
		    "(cat $c_in/$c_out, validate $v_in/$v_out, dedup" \
		    "$d_in/$d_out, enrich $e_in/$e_out, window $w_in:" \
		    "$w_agg + $w_late late -> $w_rec, stores $se_in, $sm_in)"
	fi
	if [ "${raw:-x}" != "$d_out" ] || [ "${agg:-x}" != "$w_rec" ]; then
		p_ok=no
		note "pipeline on pl-$1: the store holds ${raw:-?} raw events" \
		    "(rta-dedup passed $d_out) and ${agg:-?} aggregates" \
		    "(rta-window wrote $w_rec)"
	fi
	printf 'counts\t%s\t' "$1" >>"$ptsv"
	printf '%s\t' "$c_in" "$c_rej" "$v_rej" "$v_out" "$d_drop" \
	    "$d_out" "$e_out" "$w_agg" "$w_late" "$w_rec" "${raw:-0}" \
	    "${agg:-0}" >>"$ptsv"
	printf '%s\n' "$p_ok" >>"$ptsv"
	# each stage's CPU seconds and peak RSS (KiB) in that run
	printf 'stages\t%s' "$1" >>"$ptsv"
	for p_s in cat validate dedup enrich tee window store-events \
	    store-m; do
		awk -v s="$p_s" 'END { printf "\t%s %.2f %d", s, $1 + $2,
		    $3 }' "$pdir/time/$p_s" >>"$ptsv" 2>/dev/null
	done
	echo >>"$ptsv"
	echo "  counts: $c_in in, $c_rej malformed (rta-cat), $v_rej" \
	    "invalid, $d_drop duplicates, $w_late too late for their" \
	    "window; $raw raw events and $agg windows stored; balanced:" \
	    "$p_ok"
	[ -n "$pduck" ] && [ -s "$work/pl-duck.out" ] || return 0
	# shellcheck disable=SC2046
	set -- "$1" $(cat "$work/pl-duck.out")
	p_same=yes
	[ "$2" = "$1" ] && [ "$3" = "$v_out" ] && [ "$4" = "$d_out" ] &&
	    [ "$7" = "$e_out" ] || p_same=no
	printf 'duck\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" \
	    "$5" "$6" "$7" "$p_same" >>"$ptsv"
	if [ $p_same = yes ]; then
		echo "  check: DuckDB keeps the same $3 valid and $4 distinct" \
		    "events, and counts them all in $6 groups"
	else
		note "on pl-$1 DuckDB finds $3 valid, $4 distinct events," \
		    "counts $7 in its groups; rta $v_out valid, $d_out" \
		    "distinct"
	fi
}

for n in $psizes; do
	nd=$work/pl-$n.ndjson
	if [ "$n" -le 1000000 ]; then
		runs=${BENCH_RUNS:-5}
		aruns=$runs
	else
		runs=${BENCH_RUNS:-3}
		aruns=${BENCH_ANCHOR_RUNS:-1}
	fi
	lines=$("$work/baseline" <"$nd")
	[ "$lines" = "$n" ] || die "pl-$n.ndjson has $lines lines, not $n"
	echo "pipeline on $n events: $(wc -c <"$nd") bytes NDJSON"
	: >"$work/pl-duck.out"
	r=0
	while [ $r -lt "$runs" ]; do
		r=$((r + 1))
		pl_rta "$n" "$nd" || break
		[ -z "$pduck" ] || [ $r -gt "$aruns" ] || pl_duck "$n" "$nd" ||
		    pduck=
	done
	[ ! -d "$pdir" ] || pl_counts "$n"
done

# The live run: BENCH_LIVE_SECONDS of rta-gen --rate 100000 (its event
# times the wall clock of sending) through the pipeline with
# --emit-every 1s, one tenant of ten polled every 50 ms over HTTP.
lsecs=${BENCH_LIVE_SECONDS:-20}
case $lsecs in
''|*[!0-9]*|0) die "bad BENCH_LIVE_SECONDS '$lsecs'" ;;
esac
leps=100000
if want pipeline; then
	if ! command -v node >/dev/null 2>&1 ||
	    ! command -v socat >/dev/null 2>&1 ||
	    ! command -v curl >/dev/null 2>&1; then
		note "node, socat or curl not installed: the freshness run" \
		    "skipped"
	else
		echo "live run: $lsecs s at $leps events/s"
		gendata_users
		rm -rf "$pst" "$pdir"
		"$store" init -s "$pst" >/dev/null || die "cannot make $pst"
		big_was=${big:-}
		big=$pst
		trap qstop EXIT
		trap 'qstop; exit 130' INT
		trap 'qstop; exit 143' TERM
		if qserve; then
			rm -f "$work/pl-stop"
			lstart=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
			node "$here/pipeline_fresh.mjs" poll "$qport" t0000 \
			    "${lstart%:*}:00Z" "$work/pl-stop" 50 \
			    >"$work/pl-polls.txt" 2>"$work/pl-poll.err" &
			lpoll=$!
			l_t0=$(date +%s%N)
			l_rc=0
			"$gen" -s "$seed" --start "$lstart" --rate "$leps" \
			    -d "${lsecs}s" --users 1000000 -o ndjson |
			    sh "$here/pipeline_run.sh" "$work/bin" \
			    "$pschemas" "$work/users.csv" "$pst" "$pdir" \
			    --emit-every 1s >/dev/null \
			    2>"$work/stderr.out" || l_rc=$?
			l_t1=$(date +%s%N)
			sleep 1
			touch "$work/pl-stop"
			wait "$lpoll" || true
			[ $l_rc = 0 ] || note "the live pipeline failed:" \
			    "$(head -c 300 "$work/stderr.out")"
			# the polled tenant's event times, in the order sent
			"$gen" -s "$seed" --start "$lstart" --eps "$leps" \
			    -d "${lsecs}s" --users 1000000 -o ndjson |
			    grep '"tenant_id":"t0000"' | cut -d'"' -f8 \
			    >"$work/pl-times.txt"
			if out=$(node "$here/pipeline_fresh.mjs" stats \
			    "$work/pl-times.txt" "$work/pl-polls.txt" 5000 \
			    2>"$work/stderr.out"); then
				# shellcheck disable=SC2086
				set -- $out
				printf 'fresh\t%s\t%s\t%s' "$leps" "$lsecs" \
				    "$((l_t1 - l_t0))" >>"$ptsv"
				printf '\t%s' "$@" >>"$ptsv"
				echo >>"$ptsv"
				echo "  freshness of $1 events of t0000" \
				    "($2 never seen): p50 $3 ms, p90 $4 ms," \
				    "p99 $5 ms, max $6 ms; $7 polls, staleness" \
				    "p50 $8 ms, p99 $9 ms"
				[ "${10}" = 0 ] || note "in the live run" \
				    "${10} minutes of t0000 ended with a" \
				    "count other than the events sent"
			else
				note "pipeline_fresh.mjs stats failed:" \
				    "$(head -c 300 "$work/stderr.out")"
			fi
		else
			note "socat would not serve rta-query --http on any" \
			    "port tried: $(head -c 300 "$work/socat.log")"
		fi
		qstop
		trap - EXIT INT TERM
		big=$big_was
	fi
fi
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
ver_duck="not installed"
if [ -n "$duck$parquet$xduck$qduck$pduck" ]; then
	ver_duck=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' \
	    "$here/node_modules/@duckdb/node-api/package.json" | head -1)
	ver_duck="@duckdb/node-api $ver_duck, node $(node --version)"
fi

# The validate section is a second awk program run after report.awk in
# the same process, so that it has report.awk's tables and functions
# (target, ratio, cell); stages.awk (dedup and enrich) comes third and
# prints the notes after its sections, and report.awk is given none.
cat >"$work/validate.awk" <<'AWK'
END {
	nv = 0
	for (i = 1; i <= nsizes; i++)
		if (have[size[i], "validate rta"] ||
		    have[size[i], "validate ndjson"] ||
		    have[size[i], "jansson validate"])
			nv++
	if (nv > 0)
		validate_section()
}

# "21.3x (CPU 22.0x)", or "-" when a case is missing
function vratio(n, a, b,    r) {
	r = ratio(n, a, b)
	if (r == "")
		return "-"
	return sprintf("%.1fx (CPU %s)", r, cpuratio(n, a, b))
}

function validate_section(    i, k, n, l, f, lo, hi, line, sep, an) {
	print ""
	print "## rta-validate (issue 3)"
	print ""
	print "rta-gen writes page_view events only (`--types " \
	    "page_view=1`, the same seed) as NDJSON; tests/bench/widen.c " \
	    "adds four payload members (session, an object of id, seq " \
	    "and landing; referrer; ab_group; client_ts) with values " \
	    "drawn from each event's id, and rta-cat makes rta frames of " \
	    "that NDJSON.  Each event is checked against the schema " \
	    "directory tests/bench/data/validate/: its envelope " \
	    "(event_id, timestamp, event_type, tenant_id, " \
	    "schema_version; the registry lookup by type and version) " \
	    "and, through page_view.v1.json, its payload: ten required " \
	    "members and no others, with types, four patterns (url, " \
	    "user_id, the session id, referrer), bounds (value, " \
	    "latency_ms, seq, client_ts, the lengths of url and " \
	    "referrer), three enums (country, device, ab_group) and the " \
	    "nested session object with its own required members and " \
	    "no others.  rta-gen's heavy latency tail breaks the maximum " \
	    "of latency_ms and a value of 0.00 the exclusive minimum, " \
	    "and widen breaks a rule of a new member in one event in " \
	    "4,096, so about three events in a thousand are rejected.  " \
	    "All three cases run on one core " \
	    "(rta-validate's read-ahead thread shares it), read stdin, " \
	    "write to /dev/null and are timed as above."
	print ""
	print "- `validate rta`: `rta-validate -q -s " \
	    "tests/bench/data/validate < f.rta` (the valid events are " \
	    "written on as frames)"
	print "- `validate ndjson`: the same on the NDJSON file"
	print "- `jansson validate`: tests/bench/jansson_validate.c, " \
	    "json_loadb per line and the same checks written out in C " \
	    "over the document (POSIX regexec with the patterns compiled " \
	    "once, strcmp for the enums); the valid lines are written on"
	print ""
	print "Verdicts, from an untimed run of rta-validate on the frames " \
	    "and the timed runs of jansson_validate (on the first set, " \
	    "the events each passes are also compared line by line, see " \
	    "Notes if they differ):"
	print ""
	print "| events | passed by rta-validate | rejected | " \
	    "passed by jansson_validate | same verdicts |"
	print "| ---: | ---: | ---: | ---: | --- |"
	while ((getline l < vcounts) > 0) {
		split(l, f, "\t")
		printf "| %s | %s | %s | %s | %s |\n", commas(f[1]),
		    commas(f[2]), commas(f[1] - f[2]),
		    f[3] == "-" ? "not run" : commas(f[3]),
		    f[3] == "-" ? "-" : f[3] == f[2] ? "yes" : "**NO**"
	}
	line = "|"
	sep = "| --- |"
	for (i = 1; i <= nsizes; i++) {
		line = line " " commas(size[i]) " events |"
		sep = sep " ---: |"
	}
	print ""
	print "| ratio of events/s " line
	print sep
	split("validate rta|jansson validate|validate ndjson|" \
	    "jansson validate|validate rta|validate ndjson", an, "|")
	for (k = 1; k <= 5; k += 2) {
		l = "| " an[k] " / " an[k + 1] " |"
		for (i = 1; i <= nsizes; i++)
			l = l " " vratio(size[i], an[k], an[k + 1]) " |"
		print l
	}
	print ""
	print "| target " line " verdict |"
	gsub(/---:/, "---", sep)
	print sep " --- |"
	target("rta frames >= 1,500,000 ev/s, one core", "validate rta",
	    "", 1500000, "evs")
	target("rta frames >= 20x jansson document walk", "validate rta",
	    "jansson validate", 20, "ratio")
	# Memory: peak RSS of rta-validate on the largest set against the
	# smallest; constant means it grows by less than 1 MiB.
	lo = hi = ""
	for (i = 1; i <= nsizes; i++) {
		n = size[i]
		vrss[n] = ""
		for (k = 1; k <= 2; k++)
			if (have[n, an[2 * k - 1]] && (vrss[n] == "" ||
			    rss[n, an[2 * k - 1]] > vrss[n]))
				vrss[n] = rss[n, an[2 * k - 1]]
		if (vrss[n] == "")
			continue
		if (lo == "" || n + 0 < lo + 0)
			lo = n
		if (hi == "" || n + 0 > hi + 0)
			hi = n
	}
	l = "| peak RSS constant in stream length (< 1 MiB more on the " \
	    "largest set than on the smallest) |"
	missed = 0
	metcount = 0
	for (i = 1; i <= nsizes; i++) {
		n = size[i]
		if (vrss[n] == "")
			l = l " not measured |"
		else if (n == hi && hi != lo)
			l = l " " cell((vrss[hi] - vrss[lo]) / 1024,
			    sprintf("%.1f MiB (%+.1f)", vrss[n] / 1024,
			    (vrss[hi] - vrss[lo]) / 1024), 1, 1) " |"
		else
			l = l " " sprintf("%.1f MiB", vrss[n] / 1024) " |"
	}
	print l " " verdict() " |"
	print ""
	print "The targets are checked by wall time, on every set; the CPU " \
	    "times are in the ratios above."
}
AWK
awk -F '\t' \
    -v date="$(date -u)" -v nproc="$(nproc)" -v cpu="$cpu" \
    -v kernel="$(uname -sr)" -v mem="$mem" -v rta="$ver_rta" \
    -v jq="$ver_jq" -v jansson="$ver_jansson" -v mlr="$ver_mlr" \
    -v cc="$ver_cc" -v duckdb="$ver_duck" -v elapsed="$elapsed" \
    -v notes=/dev/null \
    -v vnotes="$notes" -v vcounts="$vcounts" -v stsv="$stsv" \
    -v xtsv="$xtsv" -v qtsv="$qtsv" -v ptsv="$ptsv" \
    -v pinned="${one:-no}" \
    -v load="$load0 at the start, $load1 at the end" \
    -f "$here/report.awk" -f "$work/validate.awk" -f "$here/pipeline.awk" \
    -f "$here/stages.awk" \
    "$tsv" >"$results.tmp"
! want rollup || cat "$work/rollup.md" >>"$results.tmp"
# what profiling found, kept by hand beside the script
cat "$here/profile.md" >>"$results.tmp"
mv "$results.tmp" "$results"
echo
sed -n '/^## Targets/,$p' "$results"
echo
echo "wrote $results (${elapsed}s)"

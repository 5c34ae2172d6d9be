# tests/bench/rollup.sh: the rollup section of tests/bench/run.sh, which
# sources it (its variables and functions: work, here, store, query,
# gen, cat, cc, ccflags, one, note, die).  Three measures, each against
# a target of issue 10:
#
# Refresh.  A store of one-minute aggregates of 10,000 tenants x 5 event
# types (tests/bench/store_fill.c's, hour buckets) holding hour 0, with
# the rollup metrics_1h defined and refreshed; hour 1 (3,000,000
# records) is ingested untimed, then `rta-store rollup --all` is timed:
# one hour of new one-minute data into 50,000 hourly records, on both
# cores (--threads left to its default, a thread a processor) and, for
# comparison, --threads 1 on one core.  Each run starts from a copy of
# the stored hour 0 (work/rbase, kept while the generator and rta-store
# are unchanged).
#
# Dashboard query.  30 days of one-minute aggregates of 100 tenants
# (21,600,000 records) rolled up by the hour (work/r30, kept likewise);
# query_lat runs `rta-query --tenant T --from 2026-01-01 --to
# 2026-01-31 --bucket 1h --agg count,sum:payload.value` (720 rows,
# which rta-query answers from the hourly rollup, --explain checked),
# the tenant changing from query to query, on one core.
#
# Cohorts.  rta-gen's events of 50 tenants and 20,000 users over 8
# weeks from 2026-01-05 (one event a second, 4,838,400 events) as a raw
# dataset, its weekly cohort dataset of page_view activity (rta-store
# cohort), and its Parquet export (work/rcold); query_lat runs
# `rta-query --tenant T --cohort first:payload.user_id --cohort-bucket
# 1w --activity page_view --periods 8` over the 8 weeks, answered from
# the cohort dataset (--explain checked), and DuckDB
# (tests/bench/cohort_duckdb.mjs, one thread, one core, warm) computes
# the same matrix from the tenant's Parquet folder; its first answer
# must equal rta-query's.  Also timed: the same query from the raw
# events (--where "tenant_id != ''" keeps it off the cohort dataset).
#
# Writes work/rollup.tsv and the report's section, work/rollup.md.

rtsv=$work/rollup.tsv
rmd=$work/rollup.md
: >"$rtsv"
: >"$rmd"
r_runs=${BENCH_RUNS:-3}
[ "$r_runs" -le 3 ] || r_runs=3

r_fill=$work/store_fill
[ -x "$r_fill" ] || $cc $ccflags -o "$r_fill" "$here/store_fill.c" ||
    die "cannot build tests/bench/store_fill.c"
r_lat=$work/query_lat
[ -x "$r_lat" ] || $cc $ccflags -o "$r_lat" "$here/query_lat.c" ||
    die "cannot build tests/bench/query_lat.c"

# r_time VAR COMMAND...: run it, VAR=wall ms, r_cpu=user+sys s
r_time() {
	r_var=$1
	shift
	t0=$(date +%s%N)
	/usr/bin/time -f '%U %S' -o "$work/rtime" "$@" >"$work/rout" \
	    2>"$work/rerr" || return 1
	t1=$(date +%s%N)
	eval "$r_var=$(((t1 - t0) / 1000000))"
	r_cpu=$(awk '{ printf "%.2f", $1 + $2 }' "$work/rtime")
}

# ---- refresh ----------------------------------------------------------------

r_stamp="$(cksum <"$here/store_fill.c") $(cksum <"$store") $(cksum <"$cat")"
if ! [ -f "$work/rbase.stamp" ] ||
    [ "$(cat "$work/rbase.stamp")" != "$r_stamp" ]; then
	echo "rollup: storing hour 0 of 10,000 tenants (work/rbase)"
	rm -rf "$work/rbase" "$work/rbase.stamp" "$work/rh1.rta"
	"$store" init -s "$work/rbase" >/dev/null
	"$r_fill" -t 10000 -d 1 | head -n 6000000 >"$work/rh.ndjson"
	head -n 3000000 "$work/rh.ndjson" | "$cat" -o rta |
	    "$store" ingest -s "$work/rbase" -d m --bucket 1h \
	    --max-future 0 >/dev/null 2>&1 &&
	    tail -n 3000000 "$work/rh.ndjson" | "$cat" -o rta \
	    >"$work/rh1.rta" &&
	    "$store" rollup -s "$work/rbase" --define --from-dataset m \
	    --to-dataset metrics_1h --bucket 1h &&
	    "$store" rollup -s "$work/rbase" --all >/dev/null &&
	    echo "$r_stamp" >"$work/rbase.stamp" ||
	    note "rollup: the base store could not be made"
	rm -f "$work/rh.ndjson"
fi
# r_refresh VAR CPUVAR THREADS [PREFIX...]: one refresh of hour 1 from
# a copy of the stored hour 0, with --threads THREADS (- for the
# default), run under PREFIX; keeps the best wall time in VAR and its
# CPU seconds in CPUVAR
r_refresh() {
	r_bv=$1
	r_cv=$2
	r_th=$3
	shift 3
	r_opt=
	[ "$r_th" = - ] || r_opt="--threads $r_th"
	rm -rf "$work/rstore"
	cp -a "$work/rbase" "$work/rstore"
	"$store" ingest -s "$work/rstore" -d m --max-future 0 \
	    "$work/rh1.rta" >/dev/null 2>&1
	sync
	# shellcheck disable=SC2086
	if ! r_time r_ms "$@" "$store" rollup -s "$work/rstore" --all \
	    $r_opt; then
		note "rollup refresh failed: $(head -c 300 "$work/rerr")"
		return 1
	fi
	grep -q '"records_in":3000000,"records_out":50000' "$work/rout" ||
	    note "rollup refresh: not 3,000,000 records in and 50,000" \
	    "out: $(head -c 300 "$work/rout")"
	if eval "[ -z \"\$$r_bv\" ] || [ $r_ms -lt \"\$$r_bv\" ]"; then
		eval "$r_bv=$r_ms"
		eval "$r_cv=$r_cpu"
	fi
}
r_best=
r_bcpu=
r_one=
r_ocpu=
if [ -f "$work/rbase.stamp" ]; then
	i=0
	while [ $i -lt "$r_runs" ]; do
		r_refresh r_best r_bcpu - || break
		# shellcheck disable=SC2086
		r_refresh r_one r_ocpu 1 $one || break
		i=$((i + 1))
	done
	rm -rf "$work/rstore"
	[ -z "$r_best" ] || printf 'refresh\t%s\t%s\t%s\t%s\t%s\n' \
	    "$r_runs" "$r_best" "$r_bcpu" "$r_one" "$r_ocpu" >>"$rtsv"
	[ -z "$r_best" ] || echo "  rollup refresh of one hour, 10,000" \
	    "tenants: $r_best ms (CPU $r_bcpu s); one thread on one core" \
	    "$r_one ms"
fi

# ---- 30 days, hourly --------------------------------------------------------

r_stamp="$(cksum <"$here/store_fill.c") $(cksum <"$store") $(cksum <"$cat")"
if ! [ -f "$work/r30.stamp" ] ||
    [ "$(cat "$work/r30.stamp")" != "$r_stamp" ]; then
	echo "rollup: storing 30 days of 100 tenants (work/r30)"
	rm -rf "$work/r30" "$work/r30.stamp"
	"$store" init -s "$work/r30" >/dev/null
	"$store" rollup -s "$work/r30" --define --from-dataset m \
	    --to-dataset metrics_1h --bucket 1h
	"$r_fill" -t 100 -d 30 | "$cat" -o rta |
	    "$store" ingest -s "$work/r30" -d m --close-after 0 \
	    --max-future 0 >/dev/null 2>&1 &&
	    "$store" compact -s "$work/r30" >/dev/null 2>&1 &&
	    "$store" rollup -s "$work/r30" --all >/dev/null &&
	    "$store" compact -s "$work/r30" >/dev/null 2>&1 &&
	    echo "$r_stamp" >"$work/r30.stamp" ||
	    note "rollup: the 30-day store could not be made"
fi
if [ -f "$work/r30.stamp" ]; then
	r_q="--from 2026-01-01 --to 2026-01-31 --bucket 1h"
	r_q="$r_q --agg count,sum:payload.value"
	# shellcheck disable=SC2086
	"$query" -s "$work/r30" -d m --tenant t0000 $r_q --explain \
	    >"$work/r30.explain" 2>&1
	grep -q '^reading metrics_1h$' "$work/r30.explain" ||
	    note "rta-query does not read the hourly rollup:" \
	    "$(head -c 300 "$work/r30.explain")"
	# shellcheck disable=SC2086
	r_rows=$("$query" -s "$work/r30" -d m --tenant t0000 $r_q \
	    -o ndjson | wc -l)
	[ "$r_rows" = 720 ] || note "the 30-day query gave $r_rows rows," \
	    "not 720"
	# shellcheck disable=SC2086
	if $one "$r_lat" -n "${BENCH_QUERY_RUNS:-500}" -t 100 -d 1 \
	    "$query" -s "$work/r30" -d m --tenant %T $r_q \
	    >"$work/r30.lat" 2>"$work/rerr"; then
		read -r n p50 p90 p99 max mean <"$work/r30.lat"
		printf 'hourly\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$p50" "$p90" \
		    "$p99" "$max" "$mean" >>"$rtsv"
		echo "  30 days hourly from the rollup, $n queries: p50" \
		    "$p50 ms, p99 $p99 ms"
	else
		note "the 30-day query failed: $(head -c 300 "$work/rerr")"
	fi
fi

# ---- cohorts ----------------------------------------------------------------

r_stamp="$(cksum <"$gen") $(cksum <"$store")"
r_cq="--from 2026-01-05 --to 2026-03-02 --cohort first:payload.user_id"
r_cq="$r_cq --cohort-bucket 1w --activity page_view --periods 8"
if ! [ -f "$work/rc.stamp" ] || [ "$(cat "$work/rc.stamp")" != "$r_stamp" ]
then
	echo "rollup: storing 8 weeks of 50 tenants' events (work/rc)"
	rm -rf "$work/rc" "$work/rcold" "$work/rc.stamp"
	"$store" init -s "$work/rc" >/dev/null
	"$gen" -s 7 -t 50 --users 20000 --eps 1 -d 56d \
	    --start 2026-01-05T00:00:00Z -o rta |
	    "$store" ingest -s "$work/rc" -d ev --close-after 0 \
	    --max-future 0 --dedup-horizon 400d >/dev/null 2>&1 &&
	    "$store" compact -s "$work/rc" >/dev/null 2>&1 &&
	    "$store" cohort -s "$work/rc" --define --from-dataset ev \
	    --to-dataset cohorts_1w --bucket 1w --user payload.user_id \
	    --activity page_view &&
	    "$store" cohort -s "$work/rc" --all >/dev/null &&
	    "$store" compact -s "$work/rc" >/dev/null 2>&1 &&
	    "$store" export -s "$work/rc" -d ev --cold "$work/rcold" \
	    --before 2100-01-01 >/dev/null 2>&1 &&
	    echo "$r_stamp" >"$work/rc.stamp" ||
	    note "rollup: the cohort store could not be made"
fi
if [ -f "$work/rc.stamp" ]; then
	# shellcheck disable=SC2086
	"$query" -s "$work/rc" -d ev --tenant t0000 $r_cq --explain \
	    >"$work/rc.explain" 2>&1
	grep -q '^reading cohorts_1w$' "$work/rc.explain" ||
	    note "rta-query does not read the cohort dataset:" \
	    "$(head -c 300 "$work/rc.explain")"
	# shellcheck disable=SC2086
	"$query" -s "$work/rc" -d ev --tenant t0000 $r_cq -o ndjson \
	    >"$work/rc.check"
	# shellcheck disable=SC2086
	"$query" -s "$work/rc" -d ev --tenant t0000 $r_cq -o ndjson \
	    --where "tenant_id != ''" | cmp -s - "$work/rc.check" ||
	    note "the cohort dataset's matrix differs from the raw events'"
	for mode in dataset raw; do
		r_w=
		[ $mode = dataset ] || r_w="--where tenant_id!=''"
		r_n=${BENCH_QUERY_RUNS:-500}
		[ $mode = dataset ] || [ "$r_n" -le 50 ] || r_n=50
		# shellcheck disable=SC2086
		if $one "$r_lat" -n "$r_n" -t 50 -d 1 "$query" -s \
		    "$work/rc" -d ev --tenant %T $r_cq $r_w \
		    >"$work/rc.lat" 2>"$work/rerr"; then
			read -r n p50 p90 p99 max mean <"$work/rc.lat"
			printf 'cohort\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' $mode \
			    "$n" "$p50" "$p90" "$p99" "$max" "$mean" >>"$rtsv"
			echo "  cohort matrix ($mode), $n queries: p50 $p50" \
			    "ms, p99 $p99 ms"
		else
			note "the cohort query ($mode) failed:" \
			    "$(head -c 300 "$work/rerr")"
		fi
	done
	if [ -d "$here/node_modules/@duckdb/node-api" ] &&
	    command -v node >/dev/null 2>&1; then
		if out=$($one node "$here/cohort_duckdb.mjs" "$work/rcold/ev" \
		    50 "${BENCH_QUERY_RUNS:-500}" 1 "$work/rc.check" \
		    2>"$work/rerr"); then
			# shellcheck disable=SC2086
			set -- $out
			printf 'duck\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" \
			    >>"$rtsv"
			echo "  DuckDB, $1 queries: p50 $2 ms, p99 $4 ms"
			[ "$8" = same ] || note "DuckDB's cohort matrix" \
			    "differs from rta-query's: $(head -c 300 \
			    "$work/rerr")"
		else
			note "DuckDB's cohort query failed: $(head -c 300 \
			    "$work/rerr")"
		fi
	else
		note "DuckDB (tests/bench/node_modules) missing: the cohort" \
		    "anchor skipped"
	fi
fi

# ---- the report's section ----------------------------------------------------

awk -F '\t' '
function v(x) { return x == "" ? "-" : x }
$1 == "refresh" { rn = $2; rms = $3; rcpu = $4; r1 = $5; r1cpu = $6 }
$1 == "hourly" { hn = $2; h50 = $3; h99 = $5 }
$1 == "cohort" && $2 == "dataset" { cn = $3; c50 = $4; c99 = $6 }
$1 == "cohort" && $2 == "raw" { wn = $3; w50 = $4; w99 = $6 }
$1 == "duck" { dn = $2; d50 = $3; d99 = $5; same = $9 }
END {
	ws = same == "same" ? "equals" : "DIFFERS FROM"
	print ""
	print "## Rollups and cohorts (issue 10)"
	print ""
	print "Refresh: a store of one-minute aggregates of 10,000 tenants " \
	    "x 5 event types (tests/bench/store_fill.c, buckets of an hour) " \
	    "holding hour 0, with the hourly rollup defined and refreshed; " \
	    "hour 1, 3,000,000 records, is ingested untimed, then " \
	    "`rta-store rollup --all` is timed on both cores (--threads " \
	    "left to its default, a thread a processor) and with " \
	    "`--threads 1` on one core (best of " v(rn) \
	    " runs each, each from a copy of the stored hour 0): 50,000 " \
	    "hourly records.  Dashboard query: 30 days of one-minute aggregates " \
	    "of 100 tenants rolled up by the hour; `rta-query --tenant T " \
	    "--from 2026-01-01 --to 2026-01-31 --bucket 1h --agg " \
	    "count,sum:payload.value` (720 rows, read from the rollup, as " \
	    "--explain shows), process start included, on one core " \
	    "(tests/bench/query_lat.c).  Cohorts: rta-gen events of 50 " \
	    "tenants and 20,000 users over 8 weeks (4,838,400 events), " \
	    "their weekly cohort dataset of page_view activity " \
	    "(`rta-store cohort`) and their Parquet export; `rta-query " \
	    "--tenant T --cohort first:payload.user_id --cohort-bucket 1w " \
	    "--activity page_view --periods 8` over the 8 weeks, from the " \
	    "cohort dataset and (--where) from the raw events, against " \
	    "DuckDB (tests/bench/cohort_duckdb.mjs, one thread, warm, the " \
	    "tenant'"'"'s Parquet folder named) computing the same matrix " \
	    "in SQL; its first answer " ws " rta-query'"'"'s."
	print ""
	print "| case | runs | p50 / best | p99 |"
	print "| --- | ---: | ---: | ---: |"
	if (rms != "")
		printf "| refresh of one hour, 10,000 tenants x 5 types | %s " \
		    "| %s ms (CPU %s s) | - |\n", rn, rms, rcpu
	if (r1 != "")
		printf "| the same, --threads 1 on one core | %s | %s ms " \
		    "(CPU %s s) | - |\n", rn, r1, r1cpu
	if (h50 != "")
		printf "| 30 days hourly, from the rollup | %s | %s ms | " \
		    "%s ms |\n", hn, h50, h99
	if (c50 != "")
		printf "| cohort matrix, 8 weeks, from the cohort dataset | " \
		    "%s | %s ms | %s ms |\n", cn, c50, c99
	if (w50 != "")
		printf "| the same from the raw events | %s | %s ms | %s ms " \
		    "|\n", wn, w50, w99
	if (d50 != "")
		printf "| DuckDB, the same from Parquet | %s | %s ms | %s ms " \
		    "|\n", dn, d50, d99
	print ""
	print "| target | measured | verdict |"
	print "| --- | --- | --- |"
	if (rms != "")
		printf "| incremental refresh of 1 hour for 10,000 tenants x " \
		    "5 types < 1 s | %s ms | %s |\n", rms, \
		    (rms < 1000 ? "met" : "**MISSED**")
	if (h50 != "")
		printf "| 30-day hourly dashboard query from the rollup < 5 " \
		    "ms p50 | %s ms | %s |\n", h50, \
		    (h50 < 5 ? "met" : "**MISSED**")
	if (c50 != "")
		printf "| cohort matrix, one tenant, 8 weeks < 50 ms from " \
		    "the materialized dataset | %s ms (DuckDB from Parquet " \
		    "%s ms, %sx) | %s |\n", c50, v(d50), \
		    (d50 != "" ? sprintf("%.1f", d50 / c50) : "-"), \
		    (c50 < 50 ? "met" : "**MISSED**")
}' "$rtsv" >"$rmd"

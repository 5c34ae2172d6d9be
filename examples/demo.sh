#!/bin/sh
# examples/demo.sh: the whole rta platform on a day of traffic (`make
# demo` builds rta and runs this).  A day of 1,000 tenants' page views,
# purchases and errors, with late, duplicate and malformed records and
# an incident at 14:00, goes through the full pipeline (pipeline.sh:
# rta-cat | rta-validate | rta-dedup | rta-enrich | tee to the raw events'
# dataset | rta-window | rta-store), then the store is compacted, the day
# exported to Parquet and queried, and report() sums it all up.
#
#	usage: demo.sh [--live]
#
# --live instead feeds the same pipeline a paced stream stamped with the
# wall clock, into the same store, until interrupted: with `make serve`
# in another terminal the dashboard moves.
#
# Environment: RTA_BIN (the programs; default build/), RTA_DEMO_DIR (where
# the files go; default build/demo), DEMO_EVENTS (records in the day,
# default 1500000), DEMO_RATE (--live: events a second, default 200).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
RTA_BIN=$(cd "${RTA_BIN:-$root/build}" && pwd)
export RTA_BIN
dir=${RTA_DEMO_DIR:-$root/build/demo}
events=${DEMO_EVENTS:-1500000}
rate=${DEMO_RATE:-200}
tenants=1000
export LC_ALL=C TZ=UTC
b=$RTA_BIN/

store=$dir/store
lake=$dir/lake
work=$dir/work
day=$(date -u -d yesterday +%F)
today=$(date -u +%F)

# ---- helpers --------------------------------------------------------------

now_ns() {
	date +%s%N
}

# seconds since $1 (nanoseconds), one decimal
since() {
	awk -v ns=$(($(now_ns) - $1)) 'BEGIN { printf "%.1f", ns / 1e9 }'
}

# 1234567 -> 1,234,567
commas() {
	awk -v x="$1" 'BEGIN {
		s = sprintf("%.0f", x); r = ""
		while (length(s) > 3) {
			r = "," substr(s, length(s) - 2) r
			s = substr(s, 1, length(s) - 3)
		}
		print s r }'
}

# metric NAME STAGE: a series without a reason or tenant label from the
# metrics file of STAGE (0 when the file or the series is not there).
metric() {
	awk -v name="$1" '
	    index($0, name) == 1 && $0 !~ /reason=|tenant=/ {
		v = $2; exit }
	    END { print v + 0 }' "$work/$2.prom" 2>/dev/null || echo 0
}

section() {
	printf '\n== %s\n' "$*"
}

# ---- the inputs of the pipeline -------------------------------------------
# The user catalog rta-enrich joins (plan and home country of each user id
# rta-gen draws), a pseudonymisation key and the privacy rules: user ids
# leave rta-enrich as keyed HMAC-SHA-256 pseudonyms.

setup() {
	mkdir -p "$dir"
	awk 'BEGIN {
		split("free basic pro enterprise", plan, " ")
		split("AU BR CA DE ES FR GB IN IT JP MX NL PL SE US", cc, " ")
		print "user_id,plan,home_country"
		for (i = 0; i < 1000; i++)
			printf "u%06d,%s,%s\n", i, plan[i % 7 % 4 + 1],
			    cc[i % 15 + 1]
	}' >"$dir/users.csv"
	printf 'demo2026 %s\n' "$(printf '%064d' 0 | tr 0 7)" >"$dir/keys"
	chmod 600 "$dir/keys"
	printf '%s\n' '# the privacy rules of the demo (rta-privacy(5))' \
	    'payload.user_id  pseudonymize key=demo2026 length=16' \
	    >"$dir/privacy.conf"
}

pipeline() {
	sh "$here/pipeline.sh" -s "$store" -w "$work" -S "$here/data/schemas" \
	    -R "$dir/users.csv" -P "$dir/privacy.conf" -K "$dir/keys" "$@"
}

# ---- the day's traffic ----------------------------------------------------
# rta-gen plays 1,000 tenants' services over yesterday (UTC): Zipf-skewed
# traffic, 2% late events (10 to 20 minutes behind), 1% duplicates
# (at-least-once delivery), 0.5% malformed records, a couple of seconds of
# disorder, watermarks every 10 s.  A last watermark at 01:10 the next day
# says the day is over, as the next day's traffic would.

generate() {
	eps=$(awk -v n="$events" 'BEGIN { printf "%.6f", n / 86400 }')
	"${b}rta-gen" --seed 7 --count "$events" --tenants "$tenants" \
	    --eps "$eps" --start "$day" --skew 1.1 --late 0.02 \
	    --duplicates 0.01 --malformed 0.005 --disorder 2s \
	    --watermark-every 10s --stats 2>"$dir/gen.stats"
	printf '{"$rta":"watermark","watermark":"%sT01:10:00Z"}\n' "$today"
}

# The incident: tenant t0001's pages load 40 times slower from 14:00 to
# 14:30 (a bad deploy).  Nothing tells the pipeline; its watch should see it.
incident() {
	awk '/"tenant_id":"t0001"/ && /"timestamp":"[0-9-]*T14:[0-2]/ &&
	    match($0, /"latency_ms":[0-9]+/) {
		v = substr($0, RSTART + 13, RLENGTH - 13)
		$0 = substr($0, 1, RSTART - 1) "\"latency_ms\":" v * 40 \
		    substr($0, RSTART + RLENGTH)
	} 1'
}

# ---- after the pipeline: cron's jobs and the queries ----------------------

compact() {
	"${b}rta-store" compact -s "$store" | grep -v '\.seg:' >"$dir/compact.txt"
}

export_cold() {
	"${b}rta-store" export -s "$store" --cold "$lake" |
	    grep -v ': [0-9-]*: ' >"$dir/export.txt"
}

query() {
	q="-s $store --from $day --to $today"
	# shellcheck disable=SC2086
	"${b}rta-query" $q -d events --group-by tenant_id \
	    --agg count,sum:payload.value,p95:payload.latency_ms \
	    --order-by 'count desc' --limit 5 -o csv >"$dir/top-tenants.csv"
	# shellcheck disable=SC2086
	"${b}rta-query" $q -d metrics_1m --group-by event_type \
	    --agg count,p95:payload.latency_ms -o csv >"$dir/latency.csv"
	"${b}rta-store" cat -s "$store" -d alerts -o ndjson >"$dir/alerts.ndjson"
	# the drill-down: who was slow in the first alert's window?
	w=$(sed -n '1s/.*"window_start":"\([^"]*\)","window_end":"\([^"]*\)".*/--from \1 --to \2/p' \
	    "$dir/alerts.ndjson")
	: >"$dir/drill-down.csv"
	if [ -n "$w" ]; then
		# shellcheck disable=SC2086
		"${b}rta-query" -s "$store" -d events $w --group-by tenant_id \
		    --agg count,p95:payload.latency_ms \
		    --order-by 'p95:payload.latency_ms desc' --limit 3 \
		    -o csv >"$dir/drill-down.csv"
	fi
}

# ---- report ---------------------------------------------------------------

# row STAGE LABEL [IN]: a stage's in, out, rejected and dropped, and
# whether they balance (and, given IN, whether in is what the stage
# before passed on).
row() {
	i=$(metric rta_records_in_total "$1")
	o=$(metric rta_records_out_total "$1")
	r=$(metric rta_records_rejected_total "$1")
	d=$(metric rta_records_dropped_total "$1")
	ok=yes
	[ $((o + r + d)) -eq "$i" ] || ok=NO
	[ -z "${3:-}" ] || [ "$3" -eq "$i" ] || ok="NO (in != $3)"
	printf '  %-22s %10s %10s %9s %9s  %s\n' "$2" "$(commas "$i")" \
	    "$(commas "$o")" "$(commas "$r")" "$(commas "$d")" "$ok"
}

report() {
	section "generated: rta-gen, a day of $(commas "$tenants") tenants ($day)"
	sed 's/^rta-gen: /  /' "$dir/gen.stats"
	gen_in=$(sed -n 's/.*: \([0-9]*\) events, \([0-9]*\) duplicates, \([0-9]*\) malformed.*/\1 \2 \3/p' \
	    "$dir/gen.stats" | awk '{ print $1 + $2 + $3 }')

	section "the pipeline: records per stage (in = out + rejected + dropped)"
	printf '  %-22s %10s %10s %9s %9s  %s\n' stage in out rejected \
	    dropped balanced
	row cat "rta-cat" "$gen_in"
	row validate "rta-validate" "$(metric rta_records_out_total cat)"
	row dedup "rta-dedup" "$(metric rta_records_out_total validate)"
	row enrich "rta-enrich" "$(metric rta_records_out_total dedup)"
	eo=$(metric rta_records_out_total enrich)
	row store-events "rta-store events" "$eo"
	row window "rta-window 1m" "$eo"
	row store-metrics "rta-store metrics_1m" \
	    "$(metric rta_window_records_total window)"
	row watch "rta-window watch" "$eo"
	row store-alerts "rta-store alerts" \
	    "$(metric rta_window_alerts_total watch)"
	echo "  rejected: malformed records (rta-cat, dead-letters.ndjson),"
	echo "  invalid events (rta-validate, invalid.ndjson); dropped:"
	echo "  duplicates (rta-dedup, duplicates.ndjson), events too late for"
	echo "  their window (rta-window, late.ndjson); each one in its file."
	echo "  The watch leaves late events out (it alerts on closed windows)."
	grep '^rta_records_rejected_total{.*reason=' "$work/cat.prom" |
	    sed 's/.*reason="\([^"]*\)"} \(.*\)/\2 \1/' | sort -k1,1nr |
	    awk '{ printf "%s%s %s", (NR > 1 ? ", " : "  malformed: "), $2, $1 }
	    END { print "" }'
	printf '  windows: %s records written (%s late updates); ' \
	    "$(commas "$(metric rta_window_records_total window)")" \
	    "$(commas "$(metric rta_window_updates_total window)")"
	printf 'stored: %s\n' "$(commas "$(metric \
	    rta_store_records_stored_total store-metrics)")"

	section "top tenants (rta-query -d events --group-by tenant_id)"
	printf '  %-8s %10s %14s %14s\n' tenant events revenue "p95 latency"
	awk -F , 'NR > 1 { printf "%s %d %.2f %.0f\n", $3, $4, $5, $6 }' \
	    "$dir/top-tenants.csv" | while read -r t n v p; do
		printf '  %-8s %10s %14s %11s ms\n' "$t" "$(commas "$n")" \
		    "$(commas "$v")" "$(commas "$p")"
	done

	section "p95 latency (rta-query -d metrics_1m: 1-minute sketches merged)"
	printf '  %-10s %10s %14s\n' type events "p95 latency"
	awk -F , 'NR > 1 { printf "%s %d %s\n", $3, $4, $5 == "" ? "-" : \
	    sprintf("%.0f", $5) }' "$dir/latency.csv" |
	    while read -r t n p; do
		[ "$p" = - ] || p="$(commas "$p") ms"
		printf '  %-10s %10s %14s\n' "$t" "$(commas "$n")" "$p"
	done

	section "alerts (rta-window --detect zscore:6, 5-minute p95 latency)"
	if [ -s "$dir/alerts.ndjson" ]; then
		awk '{
			f = $0
			s = f; sub(/.*"window_start":"[0-9-]*T/, "", s)
			s = substr(s, 1, 5)
			t = f; sub(/.*"group":\{"event_type":"/, "", t)
			sub(/".*/, "", t)
			o = f; sub(/.*"observed":/, "", o); sub(/,.*/, "", o)
			e = f; sub(/.*"expected":/, "", e); sub(/,.*/, "", e)
			z = f; sub(/.*"score":/, "", z); sub(/,.*/, "", z)
			printf "  %s %-10s p95 %6.0f ms, expected %4.0f: %5.1f sd\n",
			    s, t, o, e, z
		}' "$dir/alerts.ndjson"
		echo "  drill-down: the slowest tenants in the first one's window"
		awk -F , 'NR > 1 { printf "    %-8s %6d events, p95 %6.0f ms\n",
		    $3, $4, $5 }' "$dir/drill-down.csv"
	else
		echo "  none"
	fi

	section "maintenance"
	sed 's|^.*/||; s/^/  /' "$dir/compact.txt" "$dir/export.txt"

	section "files written in $dir"
	for d in store lake work; do
		find "$dir/$d" -type f -printf '%s\n' |
		    awk -v d="$d/" '{ n++; b += $1 } END { print d, n, b }'
	done | while read -r d n size; do
		printf '  %-8s %8s files %14s bytes\n' "$d" "$(commas "$n")" \
		    "$(commas "$size")"
	done
	echo "  (the lake: a Parquet file per dataset, tenant and day)"

	section "time taken"
	printf '  %-22s %6s s\n' "pipeline" "$t_pipeline" "compact" \
	    "$t_compact" "export to Parquet" "$t_export" "queries" "$t_query"
	printf '  %-22s %6s s (%s events a second through the pipeline)\n' \
	    total "$(since "$start")" "$(commas "$(awk -v n="$gen_in" \
	    -v t="$t_pipeline" 'BEGIN { print n / t }')")"
	echo
	echo "make serve shows the store's dashboard; the demo's day is at"
	echo "  http://127.0.0.1:${PORT:-8080}/#dataset=metrics_1m&tenant=*&range=24h&bucket=5m&now=${today}T00:00:00Z"
}

# ---- --live ---------------------------------------------------------------
# rta-gen paced at DEMO_RATE events a second, stamped with the wall clock,
# into the same pipeline and store, windows with early results every 5 s;
# the dashboard's default view (the last hour) shows it arrive.

live() {
	setup
	echo "rta demo --live: $rate events a second from $(commas "$tenants")" \
	    "tenants into $store until interrupted (Ctrl-C)"
	echo "make serve (in another terminal) shows them at"
	echo "  http://127.0.0.1:${PORT:-8080}/#dataset=metrics_1m&tenant=*&range=15m&bucket=1m"
	"${b}rta-gen" --seed "$(date +%s)" --count 0 --tenants "$tenants" \
	    --start now --rate "$rate" --skew 1.1 --duplicates 0.01 \
	    --malformed 0.005 --disorder 2s --watermark-every 1s |
	    pipeline -l
}

main() {
	start=$(now_ns)
	setup
	rm -rf "$store" "$lake" "$work"
	echo "rta demo: $(commas "$events") records from $(commas "$tenants")" \
	    "tenants over $day, through the whole pipeline"
	t=$(now_ns)
	generate | incident | pipeline
	t_pipeline=$(since "$t")
	t=$(now_ns)
	compact
	t_compact=$(since "$t")
	t=$(now_ns)
	export_cold
	t_export=$(since "$t")
	t=$(now_ns)
	query
	t_query=$(since "$t")
	report
}

case ${1:-} in
'') main ;;
--live) live ;;
*) echo "usage: demo.sh [--live]" >&2; exit 2 ;;
esac

#!/bin/sh
# examples/demo.sh: the rta pipeline on five minutes of realistic traffic
# (`make demo` builds rta and runs this).  Each stage is a function below;
# main() at the bottom runs them in order and report() sums them up.
#
# Environment: RTA_BIN (programs; default build/), RTA_DEMO_DIR (where the
# files go; default build/demo), DEMO_EVENTS (default 300000).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bin=$(cd "${RTA_BIN:-$root/build}" && pwd)
dir=${RTA_DEMO_DIR:-$root/build/demo}
events=${DEMO_EVENTS:-300000}
tenants=1000
export LC_ALL=C

schemas=$here/data/schemas
gen=$bin/rta-gen
cat=$bin/rta-cat
validate=$bin/rta-validate
dedup=$bin/rta-dedup
enrich=$bin/rta-enrich
window=$bin/rta-window

# ---- helpers --------------------------------------------------------------

now_ns() {
	date +%s%N
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

# metric NAME [LABEL-MATCH [FILE]]: the value of one line of a metrics
# file (default: rta-cat's).
metric() {
	awk -v name="$1" -v want="${2:-}" '
	    index($0, name "{") != 1 { next }
	    want == "" && $0 !~ /reason=|tenant=/ { print $2; exit }
	    want != "" && index($0, want) > 0 { print $2; exit }' \
	    "${3:-$dir/metrics.prom}"
}

# A series without labels (a program's own).
metric_plain() {
	awk -v name="$1" '$1 == name { print $2; exit }' "$2"
}

section() {
	printf '\n== %s\n' "$*"
}

# ---- stage 1: producers ---------------------------------------------------
# rta-gen plays 1,000 tenants' services: Zipf-skewed traffic, 2% late
# events, 1% duplicates (at-least-once delivery), 0.5% malformed records,
# a couple of seconds of disorder, watermarks every 10 s.  The NDJSON lands
# in a file, as a Kafka topic or a log shipper would hold it.

generate() {
	eps=$((events / 300 > 0 ? events / 300 : 1))	# five minutes
	"$gen" --seed 7 --count "$events" --tenants "$tenants" --eps "$eps" \
	    --start -5m --skew 1.1 --late 0.02 --duplicates 0.01 \
	    --malformed 0.005 --disorder 2s --watermark-every 10s --stats \
	    >"$dir/events.ndjson" 2>"$dir/gen.stats"
}

# ---- stage 2: ingest --------------------------------------------------------
# rta-cat checks every record, dead-letters the bad ones with a reason and
# a position, keeps Prometheus counters, and writes rta frames, the binary
# stream every later stage reads.  Exit 1 means "some records rejected".

ingest() {
	t0=$(now_ns)
	ingest_status=0
	"$cat" -q -o rta --dead-letter "$dir/dead-letters.ndjson" \
	    --metrics "$dir/metrics.prom" "$dir/events.ndjson" \
	    >"$dir/events.rta" || ingest_status=$?
	t1=$(now_ns)
	ingest_ns=$((t1 - t0))
	case $ingest_status in
	0|1) ;;
	*) echo "demo: rta-cat failed (exit $ingest_status)" >&2; exit 1 ;;
	esac
}

# ---- stage 3: validate ----------------------------------------------------
# rta-validate checks every event against the JSON Schema of its type and
# version in the schema directory, and its envelope (no timestamp more than
# 5 minutes ahead).  page_view has a v2 there: --upgrade fills its new
# fields' defaults into v1 events, so later stages read v2 only.  Invalid
# events go to their own dead-letter file with every violation.

validate() {
	t0=$(now_ns)
	validate_status=0
	"$validate" -q -s "$schemas" --upgrade --max-future 5m \
	    --dead-letter "$dir/invalid.ndjson" --metrics "$dir/validate.prom" \
	    "$dir/events.rta" >"$dir/valid.rta" || validate_status=$?
	t1=$(now_ns)
	validate_ns=$((t1 - t0))
	case $validate_status in
	0|1) ;;
	*) echo "demo: rta-validate failed (exit $validate_status)" >&2
	   exit 1 ;;
	esac
}

# ---- stage 4: dedup --------------------------------------------------------
# rta-dedup passes each event_id once: the re-sent events (at-least-once
# delivery) go to their own file, each with where its first copy was.  Keys
# are forgotten an hour of event time behind the watermark, and the key set
# is checkpointed in a state directory, so a restart goes on exactly.

dedup() {
	t0=$(now_ns)
	rm -rf "$dir/dedup.state" "$dir/duplicates.ndjson"
	"$dedup" -q --ttl 1h --state "$dir/dedup.state" \
	    --duplicates "$dir/duplicates.ndjson" --metrics "$dir/dedup.prom" \
	    "$dir/valid.rta" >"$dir/once.rta" ||
	    { echo "demo: rta-dedup failed" >&2; exit 1; }
	t1=$(now_ns)
	dedup_ns=$((t1 - t0))
}

# ---- stage 5: enrich ------------------------------------------------------
# rta-enrich joins each event with the user catalog (plan and home country
# of each user id the generator draws) and then applies the privacy rules:
# user ids become keyed pseudonyms (HMAC-SHA-256, the key id in the token),
# so they stay joinable without naming anyone.

enrich() {
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
	t0=$(now_ns)
	"$enrich" -q --ref "$dir/users.csv" --on payload.user_id \
	    --privacy "$dir/privacy.conf" --keys "$dir/keys" \
	    --metrics "$dir/enrich.prom" "$dir/once.rta" >"$dir/enriched.rta" ||
	    { echo "demo: rta-enrich failed" >&2; exit 1; }
	t1=$(now_ns)
	enrich_ns=$((t1 - t0))
}

# ---- stage 6: read back ---------------------------------------------------
# Decode the enriched frames and count events per tenant, the way a later
# stage sees the stream.

read_back() {
	t0=$(now_ns)
	"$cat" -o ndjson --events-only "$dir/enriched.rta" |
	    awk -F '"tenant_id":"' '{ split($2, t, "\""); n[t[1]]++ }
	    END { for (k in n) print n[k], k }' |
	    sort -k1,1nr -k2,2 >"$dir/tenants.txt"
	t1=$(now_ns)
	read_ns=$((t1 - t0))
}

# ---- stage 7: window -------------------------------------------------------
# rta-window: one-minute windows per tenant and event type, with counts,
# revenue, the 95th percentile of latency and distinct users.  The
# watermark trails the event time by 5 s (the generator's disorder is
# 2 s); late events (2% of them, 10 minutes or more behind) update their
# closed window within 15 minutes, and later ones go to late.ndjson.

window() {
	rm -f "$dir/late.ndjson"
	t0=$(now_ns)
	"$window" -q --tumbling 1m --by tenant_id,event_type \
	    --agg count,sum:payload.value,p95:payload.latency_ms,distinct:payload.user_id \
	    --max-delay 5s --allowed-lateness 15m --late "$dir/late.ndjson" \
	    --metrics "$dir/window.prom" "$dir/enriched.rta" \
	    >"$dir/metrics_1m.rta" ||
	    { echo "demo: rta-window failed" >&2; exit 1; }
	t1=$(now_ns)
	window_ns=$((t1 - t0))
	# the last version of each window, as NDJSON
	"$cat" -o ndjson "$dir/metrics_1m.rta" |
	    awk '/"\$rta":"aggregate"/ {
		id = $0; sub(/.*"record_id":"/, "", id); sub(/".*/, "", id)
		if (!(id in last)) order[n++] = id
		last[id] = $0 }
	    END { for (i = 0; i < n; i++) print last[order[i]] }' \
	    >"$dir/windows.ndjson"
}

# Later stages slot in here, each reading the previous stage's frames:
#   store (rta-store), query (rta-query).

# ---- report ---------------------------------------------------------------

report() {
	in=$(metric rta_records_in_total)
	out=$(metric rta_records_out_total)
	rej=$(metric rta_records_rejected_total)
	drop=$(metric rta_records_dropped_total)
	bytes=$(wc -c <"$dir/events.ndjson")
	readback=$(awk '{ n += $1 } END { print n + 0 }' "$dir/tenants.txt")

	section "generated (rta-gen --stats)"
	sed 's/^rta-gen: /  /' "$dir/gen.stats"

	section "ingest: rta-cat NDJSON -> rta frames"
	printf '  %-22s %12s\n' "records in" "$(commas "$in")" \
	    "events out" "$(commas "$out")" "rejected" "$(commas "$rej")" \
	    "dropped" "$(commas "$drop")"
	grep '^rta_records_rejected_total{.*reason=' "$dir/metrics.prom" |
	    sed 's/.*reason="\([^"]*\)"} \(.*\)/\2 \1/' | sort -k1,1nr |
	    while read -r n reason; do
		printf '    %-20s %12s\n' "$reason" "$(commas "$n")"
	done
	if [ $((out + rej + drop)) -eq "$in" ]; then
		echo "  in = out + rejected + dropped: balanced"
	else
		echo "  in = out + rejected + dropped: NOT BALANCED"
	fi
	echo "  duplicates and late events pass this stage: rta-dedup and"
	echo "  rta-window deal with them"
	awk -v ns="$ingest_ns" -v n="$in" -v b="$bytes" 'BEGIN {
		s = ns / 1e9
		printf "  throughput %.2f s: %.2fM records/s, %.0f MB/s\n",
		    s, n / s / 1e6, b / s / 1e6 }'

	vp=$dir/validate.prom
	vin=$(metric rta_records_in_total "" "$vp")
	vout=$(metric rta_records_out_total "" "$vp")
	vrej=$(metric rta_records_rejected_total "" "$vp")
	section "validate: rta-validate -s examples/data/schemas --upgrade"
	printf '  %-22s %12s\n' "events in" "$(commas "$vin")" \
	    "valid (passed on)" "$(commas "$vout")" \
	    "invalid" "$(commas "$vrej")"
	grep '^rta_records_rejected_total{.*reason=' "$vp" |
	    sed 's/.*reason="\([^"]*\)"} \(.*\)/\2 \1/' | sort -k1,1nr |
	    while read -r n reason; do
		printf '    %-20s %12s\n' "$reason" "$(commas "$n")"
	done
	if [ $((vout + vrej)) -eq "$vin" ] && [ "$vin" -eq "$out" ]; then
		echo "  in = rta-cat's out = valid + invalid: balanced"
	else
		echo "  in = rta-cat's out = valid + invalid: NOT BALANCED"
	fi
	echo "  by schema; upgraded: v1 events passed on as v2, its defaults"
	echo "  filled in"
	printf '    %-14s %12s %12s %8s\n' "" unchanged upgraded invalid
	# rta_validate_events_total{event_type="T",schema_version="N",
	# result="R"} COUNT, split at the quotes
	awk -F '"' '/^rta_validate_events_total[{]/ {
		s = $2 " v" $4; k[s]; n[s, $6] = substr($7, 3) }
	    END { for (s in k) print s, n[s, "valid"] + 0,
		n[s, "upgraded"] + 0, n[s, "invalid"] + 0 }' "$vp" | sort |
	    while read -r t v valid upgraded invalid; do
		printf '    %-14s %12s %12s %8s\n' "$t $v" "$(commas "$valid")" \
		    "$(commas "$upgraded")" "$(commas "$invalid")"
	done
	awk -v ns="$validate_ns" -v n="$vin" 'BEGIN {
		s = ns / 1e9
		printf "  throughput %.2f s: %.2fM events/s\n", s, n / s / 1e6 }'

	dp=$dir/dedup.prom
	din=$(metric rta_records_in_total "" "$dp")
	dout=$(metric rta_records_out_total "" "$dp")
	ddrop=$(metric rta_records_dropped_total "" "$dp")
	drej=$(metric rta_records_rejected_total "" "$dp")
	section "dedup: rta-dedup --ttl 1h --state"
	printf '  %-22s %12s\n' "records in" "$(commas "$din")" \
	    "first occurrences" "$(commas "$dout")" \
	    "duplicates set aside" "$(commas "$ddrop")"
	if [ $((dout + ddrop + drej)) -eq "$din" ] &&
	    [ "$ddrop" -eq "$(wc -l <"$dir/duplicates.ndjson")" ]; then
		echo "  in = out + duplicates; each one in duplicates.ndjson"
	else
		echo "  in = out + duplicates: NOT BALANCED"
	fi
	awk -v ns="$dedup_ns" -v n="$din" 'BEGIN {
		s = ns / 1e9
		printf "  throughput %.2f s: %.2fM records/s\n", s, n / s / 1e6 }'

	ep=$dir/enrich.prom
	ein=$(metric rta_records_in_total "" "$ep")
	eout=$(metric rta_records_out_total "" "$ep")
	section "enrich: rta-enrich --ref users.csv --privacy"
	printf '  %-22s %12s\n' "records in" "$(commas "$ein")" \
	    "events out" "$(commas "$eout")"
	echo "  the first event's user, pseudonymised, and its catalog row:"
	"$cat" -o ndjson --events-only -n 1 "$dir/enriched.rta" |
	    sed 's/.*"user_id":\("[^"]*"\).*"users":\({[^}]*}\).*/    \1 \2/'
	awk -v ns="$enrich_ns" -v n="$ein" 'BEGIN {
		s = ns / 1e9
		printf "  throughput %.2f s: %.2fM records/s\n", s, n / s / 1e6 }'

	section "read back: rta frames -> NDJSON"
	printf '  %s events decoded (%s), in %.2f s\n' "$(commas "$readback")" \
	    "$([ "$readback" = "$eout" ] && echo "all of them" ||
	    echo "NOT the $eout written")" \
	    "$(awk -v ns="$read_ns" 'BEGIN { print ns / 1e9 }')"
	echo "  top 5 tenants by events:"
	head -5 "$dir/tenants.txt" | while read -r n t; do
		printf '    %-10s %10s\n' "$t" "$(commas "$n")"
	done
	sed -n 's/^rta_tenant_records_out_total{.*tenant="\([^"]*\)"} \(.*\)/\2 \1/p' \
	    "$ep" | sort -k1,1nr -k2,2 >"$dir/tenants.metrics"
	if cmp -s "$dir/tenants.txt" "$dir/tenants.metrics"; then
		echo "  per-tenant counts agree with the metrics file"
	else
		echo "  per-tenant counts DIFFER from the metrics file"
	fi
	rm -f "$dir/tenants.metrics"
	echo "  a dead letter of each reason (line: error):"
	awk '
	function field(name,    v) {
		if (!match($0, "\"" name "\":(\"[^\"]*\"|[0-9]+)"))
			return ""
		v = substr($0, RSTART + length(name) + 3,
		    RLENGTH - length(name) - 3)
		gsub(/"/, "", v)
		return v
	}
	!seen[r = field("reason")]++ {
		printf "    %-14s %s: %s\n", r, field("line"),
		    substr(field("error"), 1, 50)
	}' "$dir/dead-letters.ndjson"

	wp=$dir/window.prom
	win=$(metric rta_records_in_total "" "$wp")
	wagg=$(metric_plain rta_window_events_aggregated_total "$wp")
	wlate=$(metric_plain rta_window_events_late_total "$wp")
	wrec=$(metric_plain rta_window_records_total "$wp")
	wupd=$(metric_plain rta_window_updates_total "$wp")
	section "window: rta-window --tumbling 1m --by tenant_id,event_type"
	printf '  %-22s %12s\n' "events in" "$(commas "$win")" \
	    "in windows" "$(commas "$wagg")" \
	    "too late (late.ndjson)" "$(commas "$wlate")" \
	    "records written" "$(commas "$wrec")" \
	    "of them late updates" "$(commas "$wupd")" \
	    "windows" "$(commas "$(wc -l <"$dir/windows.ndjson")")"
	if [ $((wagg + wlate)) -eq "$win" ] &&
	    [ "$wlate" -eq "$(wc -l <"$dir/late.ndjson")" ]; then
		echo "  in = in windows + too late; each late one in late.ndjson"
	else
		echo "  in = in windows + too late: NOT BALANCED"
	fi
	echo "  the busiest windows (count, revenue, p95 latency ms, users):"
	awk '{
		t = $0; sub(/.*"group":\{"tenant_id":"/, "", t); sub(/".*/, "", t)
		y = $0; sub(/.*"event_type":"/, "", y); sub(/".*/, "", y)
		s = $0; sub(/.*"start":"/, "", s); s = substr(s, 12, 5)
		r = $0; sub(/.*"results":\{/, "", r); sub(/\}.*/, "", r)
		split(r, kv, /,"/)
		for (i = 1; i <= 4; i++) { split(kv[i], p, /":/); v[i] = p[2] }
		printf "%d %s %s %s %.2f %.1f %d\n", v[1], t, y, s, v[2], v[3], v[4]
	    }' "$dir/windows.ndjson" | sort -k1,1nr -k2,2 | head -5 |
	    while read -r n t y s rev p95 users; do
		printf '    %-6s %-10s %s %6s %10s %8s %6s\n' "$t" "$y" "$s" \
		    "$n" "$rev" "$p95" "$users"
	done
	awk -v ns="$window_ns" -v n="$win" 'BEGIN {
		s = ns / 1e9
		printf "  throughput %.2f s: %.2fM events/s\n", s, n / s / 1e6 }'

	section "files written in $dir"
	for f in events.ndjson events.rta dead-letters.ndjson metrics.prom \
	    valid.rta invalid.ndjson validate.prom once.rta duplicates.ndjson \
	    dedup.prom enriched.rta enrich.prom tenants.txt metrics_1m.rta \
	    late.ndjson window.prom; do
		printf '  %-22s %12s bytes\n' "$f" \
		    "$(commas "$(wc -c <"$dir/$f")")"
	done
}

main() {
	mkdir -p "$dir"
	rm -f "$dir/dead-letters.ndjson" "$dir/invalid.ndjson"	# appended to
	echo "rta demo: $(commas "$events") records from $(commas "$tenants")" \
	    "tenants over the last five minutes of event time"
	start=$(now_ns)
	generate
	ingest
	validate
	dedup
	enrich
	read_back
	window
	report
	end=$(now_ns)
	printf '\ndone in %.1f s\n' "$(awk -v ns=$((end - start)) \
	    'BEGIN { print ns / 1e9 }')"
}

main

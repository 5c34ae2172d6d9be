#!/bin/sh
# Materialized rollups.  One-minute windows go into the store; two
# definitions keep hourly and daily datasets made from them, and one
# command (from cron) refreshes both, the hours first.  A refresh reads
# only the source buckets that changed: a second one does nothing, and
# a late update to one old window recomputes its hour and its day alone.
# The hourly rollup equals hourly windows computed from the events, and
# each level is retained as long as it is worth keeping.
set -eu
cd "$(dirname "$0")"
bin=${RTA_BIN:+$RTA_BIN/}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
export RTA_NOW=2026-11-26T12:00:00Z

A=count,sum:payload.latency_ms,max:payload.value,p95:payload.latency_ms
"${bin}rta-gen" --seed 21 --tenants 3 --eps 1 -d 30h -o rta >"$tmp/ev.rta"
"${bin}rta-window" --tumbling 1m --by tenant_id --agg "$A" -o ndjson \
    "$tmp/ev.rta" >"$tmp/m.ndjson"
s=$tmp/store
"${bin}rta-store" init -s "$s"
"${bin}rta-store" ingest -s "$s" -d metrics_1m --bucket 1h "$tmp/m.ndjson"

echo "# define the rollups once, then refresh them all"
"${bin}rta-store" rollup -s "$s" --define --from-dataset metrics_1m \
    --to-dataset metrics_1h --bucket 1h
"${bin}rta-store" rollup -s "$s" --define --from-dataset metrics_1h \
    --to-dataset metrics_1d --bucket 1d
cat "$s/rollups.conf"
"${bin}rta-store" rollup -s "$s" --all

echo "# the hourly rollup against hourly windows of the events"
q='select(."$rta" == "aggregate") | [.tenant_id, .start, .results.count,
    .results["sum:payload.latency_ms"], .results["max:payload.value"],
    .results["p95:payload.latency_ms"]] | map(tostring) | join(" ")'
"${bin}rta-window" --tumbling 1h --by tenant_id --agg "$A" -o ndjson \
    "$tmp/ev.rta" | jq -r "$q" | sort >"$tmp/direct"
"${bin}rta-store" cat -s "$s" -d metrics_1h -o ndjson | jq -r "$q" |
    sort >"$tmp/rolled"
diff "$tmp/direct" "$tmp/rolled" && echo "$(wc -l <"$tmp/rolled") tenant-hours, equal"

echo "# again: nothing changed, nothing to do"
"${bin}rta-store" rollup -s "$s" --all | jq -c '{rollup, changed_buckets}'

echo "# a late update to t0001's 02:17 window (version 2, count + 100)"
grep '"tenant_id":"t0001"' "$tmp/m.ndjson" | grep '"start":"2026-01-01T02:17' |
    jq -c '.version = 2 | .results.count += 100 |
	.states.count.count += 100' |
    "${bin}rta-store" ingest -s "$s" -d metrics_1m
"${bin}rta-store" rollup -s "$s" --all |
    jq -c '{rollup, changed_buckets, buckets, records_out}'
"${bin}rta-store" cat -s "$s" -d metrics_1d --tenant t0001 -o ndjson |
    jq -c '{start, version, count: .results.count}'

echo "# retention per level, from cron"
for r in "metrics_1m 14" "metrics_1h 400"; do
	set -- $r
	"${bin}rta-store" retain -s "$s" -d "$1" --days "$2" | tail -n 1 |
	    sed 's/^.*store.//'
done

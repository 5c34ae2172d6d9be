#!/bin/sh
# The cold store.  A day of events and their hourly aggregates go from
# the hot store to Parquet files, one per tenant and day, in Hive
# partitions that DuckDB, Spark or pandas read; rta-cat reads them back
# into the stream as they were stored.  Exporting again skips the days
# that did not change and replaces the one that got late events, and
# retain --cold only drops what the cold store holds.
set -eu
cd "$(dirname "$0")"
bin=${RTA_BIN:+$RTA_BIN/}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
export RTA_NOW=2026-11-26T12:00:00Z

"${bin}rta-gen" --seed 18 --count 12000 --tenants 3 --eps 0.1 -o rta \
    >"$tmp/ev.rta"
"${bin}rta-store" init -s "$tmp/hot"
"${bin}rta-store" ingest -s "$tmp/hot" -d events "$tmp/ev.rta"
"${bin}rta-window" --tumbling 1h --by tenant_id,event_type \
    --agg count,sum:payload.value,p95:payload.latency_ms -o rta \
    "$tmp/ev.rta" 2>/dev/null |
    "${bin}rta-store" ingest -s "$tmp/hot" -d metrics_1h

echo "# export the finished days (before the watermark's)"
"${bin}rta-store" export -s "$tmp/hot" --cold "$tmp/lake" |
    sed "s|$tmp/||; s/[0-9]* bytes/N bytes/"
(cd "$tmp/lake" && find . -name '*.parquet' | sort)

echo "# a file read back: the hot store's records (members in column order)"
f=$tmp/lake/events/tenant_id=t0001/year=2026/month=1/day=1/part-00000.parquet
"${bin}rta-cat" -o ndjson "$f" | head -n 1
"${bin}rta-cat" -o ndjson "$f" | jq -cS . | sort >"$tmp/cold"
"${bin}rta-store" cat -s "$tmp/hot" -d events --tenant t0001 \
    --from 2026-01-01 --to 2026-01-02 -o ndjson | jq -cS . | sort |
    cmp - "$tmp/cold" && echo "the same: $(wc -l <"$tmp/cold") events"

echo "# the hourly aggregates: results and sketches as columns"
"${bin}rta-cat" -o ndjson \
    "$tmp/lake/metrics_1h/tenant_id=t0000/year=2026/month=1/day=1/part-00000.parquet" |
    head -n 2 | jq -c '{start, type: .group.event_type, count: .results.count}'

echo "# again: nothing changed"
"${bin}rta-store" export -s "$tmp/hot" --cold "$tmp/lake" -d events |
    sed "s|$tmp/||; s/[0-9]* bytes/N bytes/"

echo "# late events for 2026-01-01: that day is exported again, whole"
"${bin}rta-gen" --seed 19 --count 30 --tenants 3 --eps 0.001 |
    sed 's/"event_id":"/"event_id":"late-/' |
    "${bin}rta-store" ingest -s "$tmp/hot" -d events
"${bin}rta-store" export -s "$tmp/hot" --cold "$tmp/lake" -d events |
    sed "s|$tmp/||; s/[0-9]* bytes/N bytes/"

echo "# retain --cold: only buckets the cold store holds as they are go"
"${bin}rta-store" retain -s "$tmp/hot" -d events --days 0 \
    --cold "$tmp/lake" | sed "s|$tmp/||"
"${bin}rta-store" cat -s "$tmp/hot" -d events -o ndjson |
    jq -r '.timestamp[0:10]' | sort | uniq -c

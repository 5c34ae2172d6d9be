#!/bin/sh
# The hot store.  One-minute windows with early results every 10 seconds
# of event time go into an aggregate dataset, and the raw events into
# another, in hourly buckets.  Each window is kept once, at its latest
# version, however many early versions came; ingesting the raw events a
# second time (a replay after a crash) stores nothing twice.  --ack-fd
# says how far the input is durable after each commit.  Compaction then
# seals the finished hour into a sorted, indexed, compressed segment,
# and reads give the same records as before.
set -eu
cd "$(dirname "$0")"
bin=${RTA_BIN:+$RTA_BIN/}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
export RTA_NOW=2026-11-26T12:00:00Z

"${bin}rta-gen" --seed 17 --count 20000 --tenants 5 -o rta >"$tmp/ev.rta"
"${bin}rta-store" init -s "$tmp/store"

echo "# window records written (early versions included), and kept"
"${bin}rta-window" --tumbling 1m --by tenant_id,event_type \
    --agg count,sum:payload.value --emit-every 10s -o rta "$tmp/ev.rta" \
    >"$tmp/m.rta"
"${bin}rta-cat" -o ndjson "$tmp/m.rta" | grep -c '"aggregate"'
"${bin}rta-store" ingest -s "$tmp/store" -d metrics_1m "$tmp/m.rta"
"${bin}rta-store" cat -s "$tmp/store" -d metrics_1m -o ndjson | wc -l

echo "# events stored, then a replay of the same input"
"${bin}rta-store" ingest -s "$tmp/store" -d events --bucket 1h \
    --close-after 0 --ack-fd 3 "$tmp/ev.rta" 3>"$tmp/acks"
tail -n 1 "$tmp/acks" | jq -c "{handled, stored}"
"${bin}rta-store" ingest -s "$tmp/store" -d events --metrics "$tmp/prom" \
    "$tmp/ev.rta"
grep -E '^rta_store_(records_stored|duplicates)_total' "$tmp/prom"

echo "# t0002's events between 00:05 and 00:06, by type"
"${bin}rta-store" cat -s "$tmp/store" -d events --tenant t0002 \
    --from 2026-01-01T00:05:00Z --to 2026-01-01T00:06:00Z -o ndjson |
    jq -r .event_type | sort | uniq -c

echo "# the same minute's window records of t0002"
"${bin}rta-store" cat -s "$tmp/store" -d metrics_1m --tenant t0002 \
    --from 2026-01-01T00:05:00Z --to 2026-01-01T00:06:00Z -o ndjson |
    jq -c '{type: .group.event_type, count: .results.count, version}'

echo "# compaction of the finished hour"
"${bin}rta-store" cat -s "$tmp/store" -d events -o ndjson >"$tmp/before"
"${bin}rta-store" compact -s "$tmp/store" -d events | sed "s|$tmp/||"
"${bin}rta-store" cat -s "$tmp/store" -d events -o ndjson |
    cmp -s - "$tmp/before" && echo "the same records, in the same order"

echo "# fsck and stats"
"${bin}rta-store" fsck -s "$tmp/store" | sed "s|$tmp/||"
"${bin}rta-store" stats -s "$tmp/store" |
    jq -c '{dataset, kind, records_written, tenants, buckets, segments, oldest, newest}'

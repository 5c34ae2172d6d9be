#!/bin/sh
# Queries.  rta-query groups a range of raw events by bucket and field
# values, rolls stored 1-minute windows up to hours by merging their
# states, reads days that left the hot store from the cold one, and
# merges partial results of two stores into one answer.
set -eu
cd "$(dirname "$0")"
bin=${RTA_BIN:+$RTA_BIN/}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
export RTA_NOW=2026-01-04T12:00:00Z

"${bin}rta-gen" --seed 19 --count 20000 --tenants 3 --eps 0.1 -o rta \
    >"$tmp/ev.rta"
"${bin}rta-store" init -s "$tmp/hot"
"${bin}rta-store" ingest -s "$tmp/hot" -d events "$tmp/ev.rta"
"${bin}rta-window" --tumbling 1m --by tenant_id,event_type \
    --agg count,sum:payload.value,p95:payload.latency_ms -o rta \
    "$tmp/ev.rta" 2>/dev/null |
    "${bin}rta-store" ingest -s "$tmp/hot" -d metrics_1m

echo "# the busiest tenants and event types of the first day"
"${bin}rta-query" -s "$tmp/hot" -d events --from 2026-01-01 --to 2026-01-02 \
    --group-by tenant_id,event_type --agg count,p95:payload.latency_ms \
    --order-by 'count desc' --limit 4 -o table

echo "# purchases over 100 from Poland or Germany, per tenant"
"${bin}rta-query" -s "$tmp/hot" -d events --from 2026-01-01 --to 2026-01-03 \
    --where "event_type = 'purchase' and payload.value > 100 and payload.country in ('PL', 'DE')" \
    --group-by tenant_id --agg count,avg:payload.value -o csv

echo "# one tenant's 1-minute windows rolled up to 6 hours (avg from the sum)"
"${bin}rta-query" -s "$tmp/hot" -d metrics_1m --tenant t0001 \
    --from 2026-01-01 --to 2026-01-02 --bucket 6h \
    --agg count,avg:payload.value,p95:payload.latency_ms -o table

echo "# the same counts straight from the events"
"${bin}rta-query" -s "$tmp/hot" -d events --tenant t0001 \
    --from 2026-01-01 --to 2026-01-02 --bucket 6h --agg count -o csv

echo "# export, retain: the first day is now only in the cold store"
"${bin}rta-store" export -s "$tmp/hot" --cold "$tmp/lake" >/dev/null
"${bin}rta-store" retain -s "$tmp/hot" --days 2 --cold "$tmp/lake" >/dev/null
"${bin}rta-query" -s "$tmp/hot" -d events --from 2026-01-01 --to 2026-01-04 \
    --bucket 1d --agg count -o csv
"${bin}rta-query" -s "$tmp/hot" -d events --from 2026-01-01 --to 2026-01-04 \
    --bucket 1d --agg count --cold "$tmp/lake" -o csv
"${bin}rta-query" -s "$tmp/hot" -d events --from 2026-01-01 --to 2026-01-04 \
    --bucket 1d --agg count --cold "$tmp/lake" --tenant t0002 --explain |
    sed "s|$tmp/||"

echo "# two stores' partial results merged = one query over both"
q='--from 2026-01-01 --to 2026-01-04 --group-by tenant_id --agg count,distinct:payload.user_id'
"${bin}rta-cat" -o ndjson "$tmp/ev.rta" 2>/dev/null | awk 'NR % 2' >"$tmp/a"
"${bin}rta-cat" -o ndjson "$tmp/ev.rta" 2>/dev/null | awk 'NR % 2 == 0' >"$tmp/b"
for s in a b; do
	"${bin}rta-store" init -s "$tmp/s$s"
	"${bin}rta-store" ingest -s "$tmp/s$s" -d events "$tmp/$s"
done
# shellcheck disable=SC2086
{ "${bin}rta-query" -s "$tmp/sa" -d events $q --partial
  "${bin}rta-query" -s "$tmp/sb" -d events $q --partial; } |
    "${bin}rta-query" --merge $q -o csv
# shellcheck disable=SC2086
"${bin}rta-query" -s "$tmp/hot" -d events $q --cold "$tmp/lake" -o csv

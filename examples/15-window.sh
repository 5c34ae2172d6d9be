#!/bin/sh
# Event-time windows.  One-minute counts, revenue and latency per tenant
# and event type, from a stream that arrives out of order and with some
# events ten minutes late: --max-delay holds the watermark back for the
# disorder, --allowed-lateness keeps closed windows open to the late
# ones, whose records come out again with a higher version; events later
# still go to a file of their own.  Nothing is lost: one tenant's
# page views are in its windows' last versions or in that file.
# With --at-cap spill, a cap on the windows in memory changes nothing in
# the output.
set -eu
cd "$(dirname "$0")"
gen=${RTA_BIN:+$RTA_BIN/}rta-gen
window=${RTA_BIN:+$RTA_BIN/}rta-window
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

"$gen" --seed 15 --count 3000 --tenants 3 --eps 10 --disorder 20s \
    --late 0.02 --late-by 10m >"$tmp/events.ndjson"

echo "# records, and the versions late events made"
"$window" --tumbling 1m --by tenant_id,event_type \
    --agg count,sum:payload.value,p95:payload.latency_ms \
    --max-delay 30s --allowed-lateness 15m --late "$tmp/late.ndjson" \
    --metrics "$tmp/m.prom" "$tmp/events.ndjson" >"$tmp/out.ndjson"
jq -r 'select(."$rta" == "aggregate") | .version' "$tmp/out.ndjson" |
    sort | uniq -c
sed 's/{stage="rta-window"}//' "$tmp/m.prom" |
    grep -E '^rta_(records_(in|out|dropped)_total|window_[a-z_]+) '

echo "# the latest record of t0001's page views"
jq -c 'select(."$rta" == "aggregate" and .group.tenant_id == "t0001"
    and .group.event_type == "page_view")
    | {start, version, results}' "$tmp/out.ndjson" | tail -1

echo "# t0001 page views: events; in the windows' last versions; too late"
jq -s '[.[] | select(.tenant_id == "t0001" and .event_type == "page_view")]
    | length' "$tmp/events.ndjson"
jq -s '[.[] | select(."$rta" == "aggregate" and .group.tenant_id == "t0001"
    and .group.event_type == "page_view")]
    | group_by(.record_id) | map(max_by(.version).results.count) | add' \
    "$tmp/out.ndjson"
jq -c '.original | fromjson | select(.tenant_id == "t0001" and
    .event_type == "page_view")' "$tmp/late.ndjson" | wc -l

echo "# at most 2 windows in memory: the rest spill to the state directory"
A="--tumbling 1m --by tenant_id,event_type --max-delay 30s"
A="$A --agg count,sum:payload.value,p95:payload.latency_ms"
"$window" $A "$tmp/events.ndjson" >"$tmp/all.ndjson"
"$window" $A --max-groups 2 --at-cap spill --state "$tmp/st" \
    --metrics "$tmp/s.prom" "$tmp/events.ndjson" >"$tmp/capped.ndjson"
cmp "$tmp/all.ndjson" "$tmp/capped.ndjson" &&
    echo "the same $(grep -c aggregate "$tmp/capped.ndjson") records"
grep -E '^rta_window_(spilled_windows_total|open_peak) ' "$tmp/s.prom"

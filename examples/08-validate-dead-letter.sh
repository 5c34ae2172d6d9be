#!/bin/sh
# rta-validate checks each event against the schema of its type and
# version in data/schemas/; invalid events go to the dead-letter file with
# every violation (instance path, keyword, schema location, reason), which
# jq takes apart.  Exit 1 means "some events invalid".
set -eu
cd "$(dirname "$0")"
gen=${RTA_BIN:+$RTA_BIN/}rta-gen
validate=${RTA_BIN:+$RTA_BIN/}rta-validate
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
export RTA_NOW=2026-01-01T00:05:00Z	# "now" for --max-future

# 16 events; signup has no schema, 10% are stamped an hour ahead, and
# tenant t0002's producer has a bug: latency as a string with a unit,
# currency in lower case.
"$gen" --seed 8 --count 16 --tenants 3 --future 0.1 \
    --types page_view=6,purchase=3,error=1,signup=1 |
    sed -e '/"t0002"/s/"latency_ms":\([0-9]*\)/"latency_ms":"\1ms"/' \
    -e '/"t0002"/s/"currency":"USD"/"currency":"usd"/' \
    >"$tmp/events.ndjson"

echo "# valid events pass, the others are dead-lettered"
status=0
"$validate" -s data/schemas --max-future 5m --dead-letter "$tmp/dlq.ndjson" \
    --metrics "$tmp/metrics.prom" <"$tmp/events.ndjson" \
    >"$tmp/valid.ndjson" 2>"$tmp/err" || status=$?
printf '%s events in, %s valid, %s dead-lettered, exit status %s\n' \
    "$(wc -l <"$tmp/events.ndjson" | tr -d ' ')" \
    "$(wc -l <"$tmp/valid.ndjson" | tr -d ' ')" \
    "$(wc -l <"$tmp/dlq.ndjson" | tr -d ' ')" "$status"

echo "# one line per bad event on stderr"
cat "$tmp/err"

echo "# every violation in the dead letters (line path keyword reason)"
jq -r '.line as $l | .violations[]? |
    "\($l) \(.path) \(.keyword) \(.reason): \(.message)"' "$tmp/dlq.ndjson"

echo "# and where in the schema each comes from"
jq -r '.violations[]?.schema' "$tmp/dlq.ndjson" | sort | uniq -c

echo "# dead letters with no violations: envelope and registry checks"
jq -r 'select(.violations == null) | "\(.line) \(.reason)"' \
    "$tmp/dlq.ndjson"

echo "# the original event is kept: rejected events per tenant"
jq -r '.original | fromjson | .tenant_id' "$tmp/dlq.ndjson" | sort |
    uniq -c

echo "# per event type and version (--metrics)"
grep '^rta_validate_events_total' "$tmp/metrics.prom" |
    grep -v '} 0$'

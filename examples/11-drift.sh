#!/bin/sh
# rta-validate drift compares live events with their schemas and reports,
# per event type and version, fields the schema does not declare, declared
# fields never seen, type mismatches and missing-field rates, without
# failing the stream: here two producers changed what they send.
set -eu
cd "$(dirname "$0")"
gen=${RTA_BIN:+$RTA_BIN/}rta-gen
validate=${RTA_BIN:+$RTA_BIN/}rta-validate
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# Tenant t0002's new release adds ab_group to page views and coupon to
# purchases, neither in any schema; t0003's old app leaves device out.
"$gen" --seed 11 --count 300 --tenants 4 | sed \
    -e '/"t0002"/s/"device":"\([a-z]*\)"}/"device":"\1","ab_group":"B"}/' \
    -e '/"t0002"/s/"country":"\([A-Z]*\)"}/"country":"\1","coupon":"W25"}/' \
    -e '/"t0003"/s/,"device":"[a-z]*"//' >"$tmp/events.ndjson"

echo "# the drift report"
status=0
"$validate" drift -s data/schemas "$tmp/events.ndjson" || status=$?
echo "exit status $status"

echo "# as JSON, for a dashboard or an alert rule"
"$validate" drift -s data/schemas --format json "$tmp/events.ndjson" |
    jq -r '"\(.kind) \(.path) \(.count)/\(.of)"'

echo "# inside a pipeline: --report writes the report to a file and the"
echo "# events flow on unchanged"
"$validate" drift -s data/schemas --report "$tmp/drift.txt" \
    <"$tmp/events.ndjson" >"$tmp/passed.ndjson"
cmp "$tmp/events.ndjson" "$tmp/passed.ndjson" && echo "unchanged"
wc -l <"$tmp/drift.txt" | tr -d ' '

echo "# validation: page_view leaves additionalProperties open, so ab_group"
echo "# passes; purchase is closed, so the coupons are rejected"
status=0
"$validate" -s data/schemas -q --dead-letter "$tmp/dlq.ndjson" \
    "$tmp/events.ndjson" >/dev/null || status=$?
jq -r '.violations[] | "\(.path) \(.keyword)"' "$tmp/dlq.ndjson" |
    sort | uniq -c
echo "exit status $status"

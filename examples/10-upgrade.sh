#!/bin/sh
# page_view has two schema versions: v2 adds referrer and client, optional
# with defaults.  rta-validate --upgrade checks each event against its own
# version, then fills in the defaults of the latest and marks it v2, so
# consumers written for v2 can read what v1 producers still send.
set -eu
cd "$(dirname "$0")"
gen=${RTA_BIN:+$RTA_BIN/}rta-gen
cat=${RTA_BIN:+$RTA_BIN/}rta-cat
validate=${RTA_BIN:+$RTA_BIN/}rta-validate
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
export RTA_NOW=2026-03-01T10:00:00Z

echo "# what v2 adds to page_view"
jq -c '.properties | {referrer, client}' data/schemas/page_view.v2.json

# Four events from v1 producers, one from a producer already on v2, and
# one v1 event with a client field of its own: v1 does not declare client,
# so it is valid there, but it is no v2 client object.
"$gen" --seed 10 --count 4 --tenants 2 --types page_view=3,purchase=1 \
    >"$tmp/events.ndjson"
"$cat" emit --id ev-v2 --schema-version 2 page_view t0001 url=/pricing \
    user_id=u000017 latency_ms=35 referrer=news.example.com \
    'client:={"app":"ios","version":"5.2.0"}' >>"$tmp/events.ndjson"
"$cat" emit --id ev-old page_view t0001 url=/ user_id=u000017 \
    latency_ms=41 client=ios/5.1 >>"$tmp/events.ndjson"

echo "# the stream: type, version, payload fields"
jq -r '"\(.event_type) v\(.schema_version): \(.payload | keys_unsorted |
    join(" "))"' "$tmp/events.ndjson"

echo "# upgraded: v1 page views become v2 with the defaults filled in;"
echo "# purchase has one version and v2 events pass unchanged"
status=0
"$validate" -s data/schemas --upgrade --dead-letter "$tmp/dlq.ndjson" \
    --metrics "$tmp/metrics.prom" <"$tmp/events.ndjson" \
    >"$tmp/out.ndjson" 2>"$tmp/err" || status=$?
sed 's/"timestamp":"[^"]*",//; s/"tenant_id":"[^"]*",//' "$tmp/out.ndjson"
echo "exit status $status"

echo "# an event valid as v1 that cannot be v2 is dead-lettered"
cat "$tmp/err"
jq -r '.reason as $r | .violations[] |
    "\($r): \(.path) \(.keyword): \(.message)"' "$tmp/dlq.ndjson"

echo "# the counters: upgraded, valid, invalid per type and version"
grep '^rta_validate_events_total' "$tmp/metrics.prom" | grep -v '} 0$'

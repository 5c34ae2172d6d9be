#!/bin/sh
# examples/producer.c emits events through the producer API (rta_emit.h).
# Its event ids are fresh UUID v7s, so only the stable parts are shown:
# the rest of each event with RTA_NOW fixed, and checks on the ids.
set -eu
cd "$(dirname "$0")"
cat=${RTA_BIN:+$RTA_BIN/}rta-cat
producer=${RTA_BIN:-../build}/examples/producer
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
export RTA_NOW=2026-03-01T10:00:00Z

echo "# NDJSON from the producer, through rta-cat, event ids left out"
"$producer" acme | "$cat" >"$tmp/ndjson"
sed 's/"event_id":"[^"]*",//' "$tmp/ndjson"

echo "# ids are UUID v7, all different, starting with the time"
x='[0-9a-f]'
v7="\"event_id\":\"$x\{8\}-$x\{4\}-7$x\{3\}-[89ab]$x\{3\}-$x\{12\}\""
printf 'UUID v7 ids: %s\n' "$(grep -c "$v7" "$tmp/ndjson")"
printf 'distinct ids: %s\n' "$(sed 's/.*"event_id":"\([^"]*\)".*/\1/' \
    "$tmp/ndjson" | sort -u | wc -l | tr -d ' ')"
printf 'time prefix: %s\n' "$(cut -c14-26 "$tmp/ndjson" | sort -u)"

echo "# rta frames (-b) carry the same events"
"$producer" -b acme | "$cat" -o ndjson | sed 's/"event_id":"[^"]*",//' \
    >"$tmp/from-frames"
sed 's/"event_id":"[^"]*",//' "$tmp/ndjson" | cmp - "$tmp/from-frames" &&
    echo "same"

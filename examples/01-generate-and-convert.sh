#!/bin/sh
# rta-gen writes a deterministic stream (same seed, same events); rta-cat
# turns NDJSON into rta frames and back, and the round trip is the
# identity: same bytes, same order.
set -eu
cd "$(dirname "$0")"
gen=${RTA_BIN:+$RTA_BIN/}rta-gen
cat=${RTA_BIN:+$RTA_BIN/}rta-cat
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

echo "# 4 events from 3 tenants, seed 42"
"$gen" --seed 42 --count 4 --tenants 3 >"$tmp/events.ndjson"
cat "$tmp/events.ndjson"

echo "# NDJSON -> rta frames: the stream starts with the magic header"
"$cat" -o rta "$tmp/events.ndjson" >"$tmp/events.rta"
od -A n -c -N 8 "$tmp/events.rta"
printf 'NDJSON %s bytes, rta %s bytes\n' "$(wc -c <"$tmp/events.ndjson" |
    tr -d ' ')" "$(wc -c <"$tmp/events.rta" | tr -d ' ')"

echo "# rta frames -> NDJSON gives back the same bytes"
"$cat" -o ndjson "$tmp/events.rta" >"$tmp/back.ndjson"
cmp "$tmp/events.ndjson" "$tmp/back.ndjson" && echo "identical"

echo "# rta-gen can write frames itself; rta-cat reads either encoding"
"$gen" --seed 42 --count 4 --tenants 3 -o rta | "$cat" -o ndjson |
    cmp - "$tmp/events.ndjson" && echo "identical"

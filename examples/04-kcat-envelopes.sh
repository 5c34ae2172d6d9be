#!/bin/sh
# kcat -J wraps each Kafka message in an envelope; rta-cat --from kcat-json
# unwraps the events and keeps where each came from as position records
# (topic, partition, offset), which travel down the pipeline to rta-store.
set -eu
cd "$(dirname "$0")"
cat=${RTA_BIN:+$RTA_BIN/}rta-cat
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
export RTA_NOW=2026-03-01T10:00:00Z

echo "# positions and events; offsets 8 and 9 are bad messages"
status=0
"$cat" --from kcat-json --dead-letter "$tmp/dlq.ndjson" data/kcat.jsonl \
    2>"$tmp/err" || status=$?
echo "exit status $status"
cat "$tmp/err"

echo "# dead letters carry the Kafka position"
re='.*"reason":"\([^"]*\)".*"topic":"\([^"]*\)","partition":\([0-9]*\)'
re="$re"',"offset":\([0-9]*\).*'
sed "s/$re/\\2 partition \\3 offset \\4: \\1/" "$tmp/dlq.ndjson"

echo "# the events alone"
"$cat" --from kcat-json --events-only -q data/kcat.jsonl ||
    echo "exit status $?"

echo "# positions survive rta frames"
"$cat" --from kcat-json -q -o rta data/kcat.jsonl >"$tmp/k.rta" ||
    echo "exit status $?"
"$cat" -o ndjson "$tmp/k.rta" | grep -cF '"$rta":"position"'

#!/bin/sh
# At-least-once in, effectively-once out.  The generator re-sends a fifth
# of its events (as a retrying producer or a Kafka replay would); rta-dedup
# passes each event_id once and writes the others, with where the first
# one was, to a file of their own.  With --state it checkpoints the key
# set, so a run that is killed and started again, even on the whole input,
# appends each event exactly once.
set -eu
cd "$(dirname "$0")"
gen=${RTA_BIN:+$RTA_BIN/}rta-gen
dedup=${RTA_BIN:+$RTA_BIN/}rta-dedup
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
export RTA_NOW=2026-03-01T10:00:00Z

"$gen" --seed 14 --count 2000 --tenants 3 --duplicates 0.2 \
    >"$tmp/events.ndjson"
echo "# input: events, distinct event_ids"
wc -l <"$tmp/events.ndjson"
jq -r .event_id "$tmp/events.ndjson" | sort -u | wc -l

echo "# rta-dedup: events passed, duplicates set aside"
"$dedup" --duplicates "$tmp/dups.ndjson" --metrics "$tmp/m.prom" \
    <"$tmp/events.ndjson" >"$tmp/once.ndjson"
wc -l <"$tmp/once.ndjson"
wc -l <"$tmp/dups.ndjson"
grep -E '^rta_records_(in|out|dropped)_total' "$tmp/m.prom"

echo "# a duplicate names the first occurrence"
head -1 "$tmp/dups.ndjson" | jq -c "{key, first, at}"

echo "# a run stopped half-way, then the whole input again: each once"
head -1000 "$tmp/events.ndjson" |
    "$dedup" --state "$tmp/state" >>"$tmp/out.ndjson"
"$dedup" --state "$tmp/state" <"$tmp/events.ndjson" >>"$tmp/out.ndjson"
wc -l <"$tmp/out.ndjson"
jq -r .event_id "$tmp/out.ndjson" | sort | uniq -d | wc -l

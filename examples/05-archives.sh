#!/bin/sh
# rta-cat reads compressed files and archives as they are, member by member
# and each in its own encoding; a bad record is reported at
# archive(member):line, or archive(member): byte N inside rta frames.
set -eu
cd "$(dirname "$0")"
cat=${RTA_BIN:+$RTA_BIN/}rta-cat
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
export RTA_NOW=2026-03-01T10:00:00Z

# An archive of day1 as rta frames, its third frame damaged, and day2 as
# NDJSON (with a cut line).
"$cat" -o rta data/day1.ndjson >"$tmp/day1.rta"
printf 'X' | dd of="$tmp/day1.rta" bs=1 seek=200 conv=notrunc 2>/dev/null
cp data/day2.ndjson "$tmp/"
tar -C "$tmp" -czf "$tmp/logs.tar.gz" day1.rta day2.ndjson

echo "# the good events of both members, in order"
status=0
(cd "$tmp" && "$cat" -o ndjson --dead-letter dlq.ndjson logs.tar.gz \
    >out.ndjson 2>err) || status=$?
cat "$tmp/out.ndjson"
echo "exit status $status"
cat "$tmp/err"

echo "# dead letters: source, position, reason"
re='.*"reason":"\([^"]*\)".*"source":"\([^"]*\)","\([a-z_]*\)":\([0-9]*\).*'
sed "s/$re/\\2 \\3 \\4: \\1/" "$tmp/dlq.ndjson"

echo "# day1 compressed with gzip and with zstd (rta-cat --compress)"
gzip -c data/day1.ndjson >"$tmp/day1.ndjson.gz"
"$cat" --compress data/day1.ndjson >"$tmp/day1.ndjson.zst"
"$cat" "$tmp/day1.ndjson.gz" "$tmp/day1.ndjson.zst" | cut -c1-64

#!/bin/sh
# Bad records never vanish and never stop the run: rta-cat reports each,
# dead-letters it with a reason and its position, passes the good ones on
# and exits 1.  The counters balance: in = out + rejected.
set -eu
cd "$(dirname "$0")"
cat=${RTA_BIN:+$RTA_BIN/}rta-cat
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
export RTA_NOW=2026-03-01T10:00:00Z	# the time stamped on dead letters

echo "# the good events"
status=0
"$cat" --dead-letter "$tmp/dlq.ndjson" --metrics "$tmp/metrics.prom" \
    data/bad-records.ndjson >"$tmp/out.ndjson" 2>"$tmp/err" || status=$?
cat "$tmp/out.ndjson"
echo "exit status $status"

echo "# the messages on stderr"
cat "$tmp/err"

echo "# why each bad line was rejected (line: reason: error)"
re='.*"reason":"\([^"]*\)","error":"\([^"]*\)".*"line":\([0-9]*\).*'
sed "s/$re/\\3: \\1: \\2/" "$tmp/dlq.ndjson"

echo "# one dead letter in full: the original bytes are kept"
sed -n 3p "$tmp/dlq.ndjson"

echo "# the counters (--metrics, Prometheus text format)"
grep '^rta_records_' "$tmp/metrics.prom"

#!/bin/sh
# rta-validate --raw checks plain JSON documents, one per line, against
# one --schema FILE: no envelope, no registry.  Here it tests the payload
# schema of page_view v2 on hand-written cases before the schema ships.
set -eu
cd "$(dirname "$0")"
validate=${RTA_BIN:+$RTA_BIN/}rta-validate
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
export RTA_NOW=2026-03-01T10:00:00Z

cat >"$tmp/cases.ndjson" <<'JSON'
{"url":"/","user_id":"u000001","latency_ms":12}
{"url":"/cart","user_id":"u000002","latency_ms":80,"value":19.99,"device":"tablet","client":{"app":"android","version":"3.11.0"}}
{"url":"cart","user_id":"u2","latency_ms":80}
{"url":"/","user_id":"u000003","latency_ms":1.5,"value":0.125}
{"url":"/","user_id":"u000004","latency_ms":30,"client":{"app":"web","build":7}}
{"url":"/","user_id":"u000005","country":"DE"}
["not", "an", "object"]
JSON

echo "# the valid documents pass, as they were"
status=0
"$validate" --raw --schema data/schemas/page_view.v2.json \
    --dead-letter "$tmp/dlq.ndjson" <"$tmp/cases.ndjson" \
    >"$tmp/valid.ndjson" 2>"$tmp/err" || status=$?
cat "$tmp/valid.ndjson"
echo "exit status $status"

echo "# one message per invalid document"
cat "$tmp/err"

echo "# all their violations (line: path keyword reason)"
jq -r '.line as $l | .violations[] | (if .path == "" then "(document)"
    else .path end) as $p | "\($l): \($p) \(.keyword) \(.reason)"' \
    "$tmp/dlq.ndjson"

echo "# the same as JSON on stderr (--format json), for tooling"
"$validate" --raw --schema data/schemas/page_view.v2.json --format json \
    <"$tmp/cases.ndjson" 2>&1 >/dev/null | head -1 | jq .

# Invalid events go to --dead-letter with every violation (instance path,
# keyword, schema location, reason code, message), the valid ones go on,
# and the exit status is 1.  The dead letter is appended to.
cp -R "$DATA/validate/schemas" schemas
cat >in.ndjson <<'END'
{"event_id":"e1","timestamp":"2026-11-26T09:00:00Z","event_type":"page_view","tenant_id":"acme","schema_version":1,"payload":{"url":"/a","user_id":"u000001","value":1.5,"latency_ms":10,"country":"PL","device":"mobile"}}
{"event_id":"e2","timestamp":"2026-11-26T09:00:01Z","event_type":"page_view","tenant_id":"acme","schema_version":1,"payload":{"url":"home","user_id":"x1","value":-2,"latency_ms":1.5,"country":"pl","device":"watch","extra":true}}
{"event_id":"e3","timestamp":"2026-11-26T09:00:02Z","event_type":"page_view","tenant_id":"acme","schema_version":2,"payload":{}}
{"event_id":"e4","timestamp":"2026-11-26T09:00:03Z","event_type":"purchase","tenant_id":"beta","schema_version":1,"payload":{"order_id":"o","user_id":7,"value":0,"currency":"XXX","items":0}}
{"event_id":"e5","timestamp":"2026-11-26T09:00:04Z","event_type":"purchase","tenant_id":"beta","schema_version":1,"payload":{"order_id":"o-1","user_id":"u1","value":10.005,"currency":"EUR"}}
{"event_id":"e6","timestamp":"2026-11-26T09:00:05Z","event_type":"error","tenant_id":"beta","schema_version":1,"payload":{"code":503,"message":"busy"}}
{"event_id":"e7","timestamp":"2026-11-26T09:00:06Z","event_type":"page_view","tenant_id":"acme","schema_version":2,"payload":{"url":"/b","user_id":"u000002","consent":{"ads":"yes"}}}
END
echo 'an earlier line' >dl
rta-validate -s schemas --dead-letter dl in.ndjson >out
echo "exit $?"
cat out
echo "--- dead letter: $(wc -l <dl) lines"
head -1 dl
tail -n +2 dl | jq -r '"\(.line) \(.stage) \(.reason) \(.source) \(.time)",
    "  error: \(.error)",
    (.violations[] | "  \(.path) | \(.keyword) | \(.schema) | \(.reason) | \(.message)")'
echo "--- originals are the lines as read:"
tail -n +2 dl | jq -r .original >originals
for n in 2 3 4 5 7; do sed -n ${n}p in.ndjson; done | cmp - originals && echo same

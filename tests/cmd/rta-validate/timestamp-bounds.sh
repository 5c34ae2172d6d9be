# --max-future and --max-past bound event time around the clock (RTA_NOW
# pins it to 2026-11-26T10:00:00Z here), for RFC 3339 and epoch
# timestamps alike; the bounds themselves are in.
cp -R "$DATA/validate/schemas" schemas
for ts in '"2026-11-26T10:05:00Z"' '"2026-11-26T10:05:00.000001Z"' \
    '"2026-11-26T11:04:59+01:00"' '"2026-11-19T10:00:00Z"' \
    '"2026-11-19T09:59:59.999999Z"' '"1970-01-01T00:00:00Z"' \
    '"9999-12-31T23:59:59Z"' 1795687500000 1795687500001; do
	printf '{"event_id":"%s","timestamp":%s,"event_type":"error","tenant_id":"acme","schema_version":1,"payload":{"code":500,"message":"m"}}\n' "$(echo $ts | tr -d '"')" "$ts"
done >in.ndjson
rta-validate -s schemas --max-future 5m --max-past 7d --dead-letter dl \
    in.ndjson >out
echo "exit $?"
jq -r '"passed: \(.event_id) as \(.timestamp)"' out
jq -r '"rejected: line \(.line): \(.reason)"' dl
rta-validate -s schemas in.ndjson >out
echo "without bounds: exit $?, $(wc -l <out) passed"
rta-validate -s schemas --max-past 1h -q in.ndjson >out
echo "only --max-past 1h: exit $?, passed:"
jq -r .event_id out

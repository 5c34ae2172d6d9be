# A required field missing from some events is reported with its rate and
# marked required (those events are invalid: rta-validate rejects them);
# a required field no event had is never-seen, marked required.
cat >order.json <<'END'
{
  "type": "object",
  "required": ["id", "total", "currency"],
  "properties": {
    "id": {"type": "string"},
    "total": {"type": "number"},
    "currency": {"type": "string"}
  }
}
END
for p in '"id":"a","total":1' '"id":"b"' '"id":"c","total":2' '"total":3'; do
	printf '{"event_id":"e","timestamp":"2026-11-26T09:00:00Z","event_type":"order","tenant_id":"t","schema_version":1,"payload":{%s}}\n' "$p"
done >in.ndjson
rta-validate drift --schema order.json in.ndjson
echo "exit $?"
rta-validate drift --schema order.json --format json in.ndjson >out.json
echo "json: exit $?"
jq -c '[.kind, .path, .count, .of, .required]' out.json

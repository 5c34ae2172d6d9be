# "format" is an annotation unless --formats is given: then a bad
# date-time (and the other formats) is a violation.
cat >payload.json <<'END'
{
  "type": "object",
  "properties": {
    "at": {"type": "string", "format": "date-time"},
    "day": {"type": "string", "format": "date"},
    "id": {"type": "string", "format": "uuid"},
    "ip": {"type": "string", "format": "ipv4"},
    "mail": {"type": "string", "format": "email"}
  }
}
END
E='"timestamp":"2026-11-26T09:00:00Z","event_type":"t","tenant_id":"acme","schema_version":1'
for p in '"at":"2026-11-26T09:00:00Z"' '"at":"2026-02-30T00:00:00Z"' \
    '"at":"2026-11-26 09:00:00"' '"at":"2026-11-26T09:00:00+25:00"' \
    '"day":"2024-02-29"' '"day":"2023-02-29"' \
    '"id":"019b76da-a800-7dd7-ab49-ed3db4c66435"' '"id":"019b76da-a800"' \
    '"ip":"10.0.0.255"' '"ip":"10.0.0.256"' '"mail":"a@b.example"' \
    '"mail":"a.b.example"'; do
	printf '{"event_id":"%s",%s,"payload":{%s}}\n' "$(echo "$p" | tr -d '"')" "$E" "$p"
done >in.ndjson
rta-validate --schema payload.json in.ndjson >out
echo "without --formats: exit $?, $(wc -l <out) of $(wc -l <in.ndjson) passed"
rta-validate --schema payload.json --formats --dead-letter dl in.ndjson >out
echo "with --formats: exit $?, $(wc -l <out) passed"
jq -r '.violations[] | "\(.path) \(.keyword) \(.reason): \(.message)"' dl

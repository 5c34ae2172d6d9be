# --format json writes one JSON object per bad record on stderr (all of
# them): stage, source, line or byte offset, reason, message, and the
# violations.
cp -R "$DATA/validate/schemas" schemas
E='"timestamp":"2026-11-26T09:00:00Z","tenant_id":"acme","schema_version":1'
{
	printf '{"event_id":"a",%s,"event_type":"error","payload":{"code":500,"message":"m"}}\n' "$E"
	printf '{"event_id":"b\\"",%s,"event_type":"error","payload":{"code":200,"message":""}}\n' "$E"
	printf '{"event_id":"c",%s,"event_type":"page_view","payload":{"url":"a\\nb\\u0007","user_id":"u000001"}}\n' "$E"
	printf '{"event_id":"d",%s,"event_type":"nosuch","payload":{}}\n' "$E"
	printf '{"event_id":"e",\n'
} >in.ndjson
rta-validate -s schemas --format json in.ndjson >out 2>err
echo "exit $?"
cat err
echo "--- each line is JSON:"
jq -c '[.stage, .line, .reason, (.violations // [] | length)]' err
rta-cat -o rta in.ndjson 2>/dev/null >in.rta
rta-validate -s schemas --format json in.rta >/dev/null 2>err
echo "from frames: exit $?"
jq -c '[.source, .byte_offset, .reason]' err

# Duplicate keys are rejected at every level, also when spelled with
# escapes, so the tenant or id can never come from a different duplicate
# than the one checked.
E='"timestamp":"2026-01-01T00:00:00Z","event_type":"t"'
{
	printf '{"event_id":"x",%s,"tenant_id":"a","tenant_id":"b"}\n' "$E"
	printf '{"event_id":"x",%s,"tenant_id":"a","tenant_\\u0069d":"b"}\n' "$E"
	printf '{"event_id":"x","event_id":"y",%s,"tenant_id":"a"}\n' "$E"
	printf '{"event_id":"x",%s,"timestamp":"2026-01-02T00:00:00Z","tenant_id":"a"}\n' "$E"
	printf '{"event_id":"x",%s,"tenant_id":"a","payload":{},"payload":{}}\n' "$E"
	printf '{"event_id":"x",%s,"tenant_id":"a","payload":{"k":1,"k":2}}\n' "$E"
	printf '{"event_id":"x",%s,"tenant_id":"a","payload":{"o":{"k":1,"\\u006b":2}}}\n' "$E"
	printf '{"event_id":"x",%s,"tenant_id":"a","ex":1,"ex":2}\n' "$E"
	printf '{"event_id":"x",%s,"tenant_id":"a","schema_version":1,"schema_version":2}\n' "$E"
	printf '{"event_id":"x",%s,"tenant_id":"a","payload":{"k":1,"K":2,"k ":3}}\n' "$E"
} >in.ndjson
rta-cat in.ndjson
echo "exit $?"

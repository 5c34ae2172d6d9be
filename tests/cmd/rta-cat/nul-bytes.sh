# NUL bytes in a line (inside a string, after the object, before it) and
# \u0000 escapes are rejected; the dead letter shows them escaped.
E='"event_id":"x","timestamp":"2026-01-01T00:00:00Z","event_type":"t","tenant_id":"a"'
{
	printf '{%s,"payload":{"s":"a\000b"}}\n' "$E"
	printf '{%s}\000\n' "$E"
	printf '\000{%s}\n' "$E"
	printf '{%s,"payload":{"s":"a\\u0000b"}}\n' "$E"
	printf '{"event_id":"x\\u0000y","timestamp":"2026-01-01T00:00:00Z","event_type":"t","tenant_id":"a"}\n'
	printf '{%s}\n' "$E"
} >in.ndjson
rta-cat --dead-letter dl in.ndjson
echo "exit $?"
sed 's/"time":"[^"]*",//' dl

# Envelope fields of the wrong type (ids as numbers, objects, arrays, null,
# booleans, empty strings; a payload that is not an object; a string or
# fractional schema_version) and records that are not objects are
# rejected as bad-field or bad-json.
T='"timestamp":"2026-01-01T00:00:00Z"'
{
	for v in 42 '{"a":1}' null '["x"]' true '""'; do
		printf '{"event_id":%s,%s,"event_type":"t","tenant_id":"a"}\n' "$v" "$T"
		printf '{"event_id":"x",%s,"event_type":"t","tenant_id":%s}\n' "$T" "$v"
	done
	for p in '"payload":[1]' '"payload":"s"' '"payload":null' \
	    '"schema_version":"1"' '"schema_version":1.0' '"schema_version":-1'
	do
		printf '{"event_id":"x",%s,"event_type":"t","tenant_id":"a",%s}\n' "$T" "$p"
	done
	printf '[{"event_id":"x"}]\n"str"\n42\nnull\n'
} >in.ndjson
rta-cat -q --dead-letter dl in.ndjson
echo "exit $?"
sed 's/.*"reason":"\([^"]*\)","error":"\([^"]*\)".*"line":\([0-9]*\).*/\3 \1: \2/' dl

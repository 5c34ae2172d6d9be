# Invalid UTF-8 anywhere in a line (a string, a key, an id, outside
# strings), overlong forms, surrogates written as UTF-8, lone \u
# surrogates: rejected, and the good lines pass.
E='"event_id":"x","timestamp":"2026-01-01T00:00:00Z","event_type":"t","tenant_id":"a"'
{
	printf '{%s,"payload":{"s":"\377\376"}}\n' "$E"
	printf '{%s,"payload":{"s":"\300\257"}}\n' "$E"
	printf '{%s,"payload":{"s":"\355\240\200"}}\n' "$E"
	printf '{%s,"payload":{"s":"\364\220\200\200"}}\n' "$E"
	printf '{%s,"payload":{"s":"\342\202"}}\n' "$E"
	printf '{%s,"payload":{"\377":1}}\n' "$E"
	printf '{%s,"payload":{"s":"\\ud800"}}\n' "$E"
	printf '{%s,"payload":{"s":"\\udc00\\ud800"}}\n' "$E"
	printf '{"event_id":"x\377","timestamp":"2026-01-01T00:00:00Z","event_type":"t","tenant_id":"a"}\n'
	printf '{%s}\377\n' "$E"
	printf '{%s,"payload":{"s":"\\ud83d\\ude00 \360\237\230\200 \303\251"}}\n' "$E"
} >in.ndjson
rta-cat in.ndjson
echo "exit $?"

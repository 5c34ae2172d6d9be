# Invalid UTF-8 in a string (NDJSON, rta frames, --raw documents) is
# rejected by the reader as bad-utf8 before any schema sees it; valid
# multi-byte text is measured in code points.
cp -R "$DATA/validate/schemas" schemas
cp "$DATA/validate/document.json" document.json
E='"timestamp":"2026-11-26T09:00:00Z","event_type":"error","tenant_id":"acme","schema_version":1'
{
	printf '{"event_id":"a",%s,"payload":{"code":500,"message":"\377\376"}}\n' "$E"
	printf '{"event_id":"b",%s,"payload":{"code":500,"message":"\300\257"}}\n' "$E"
	printf '{"event_id":"c",%s,"payload":{"code":500,"message":"\355\240\200"}}\n' "$E"
	printf '{"event_id":"d",%s,"payload":{"code":500,"message":"\\ud800"}}\n' "$E"
	printf '{"event_id":"e",%s,"payload":{"code":500,"message":"m","\377":1}}\n' "$E"
	printf '{"event_id":"f",%s,"payload":{"code":500,"message":"\360\237\230\200"}}\n' "$E"
} >in.ndjson
rta-validate -s schemas --dead-letter dl in.ndjson
echo "ndjson: exit $?"
jq -r '"\(.line) \(.reason) \(.original_base64 != null)"' dl
# an event frame (id "a", type "t", tenant "a") whose payload {"a": "\xff"}
# is not UTF-8, then a good one
ev=000000000000000001000000010101001400000061746108010000000b000000010000006106
perl "$DATA/rtaframe.pl" header frame:E:${ev}01000000ff \
    frame:E:${ev}0100000062 frame:Z: >in.rta
echo '{"properties": {"a": {"type": "string", "maxLength": 1}}}' >a.json
rta-validate --schema a.json --dead-letter dl2 in.rta >out.rta
echo "rta: exit $?"
rta-cat -o ndjson out.rta
jq -r '"\(.byte_offset) \(.reason)"' dl2
printf '{"id":1,"name":"\377"}\n{"id":2,"name":"\303\251\303\251"}\n' >docs.ndjson
rta-validate --raw --schema document.json docs.ndjson
echo "raw: exit $?"

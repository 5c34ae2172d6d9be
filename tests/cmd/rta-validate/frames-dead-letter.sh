# From rta frames, a rejected event's dead letter carries its byte offset
# and the event as readable NDJSON ("original"): the line rta-cat writes
# for it.  A frame that cannot be read is dead-lettered by the reader.
cp -R "$DATA/validate/schemas" schemas
cat >in.ndjson <<'END'
{"event_id":"f1","timestamp":"2026-11-26T09:00:00Z","event_type":"error","tenant_id":"acme","schema_version":1,"payload":{"code":500,"message":"x"}}
{"event_id":"f2","timestamp":"2026-11-26T09:00:00.5Z","event_type":"error","tenant_id":"acme","schema_version":1,"payload":{"code":200,"message":"x","url":"/caf\u00e9"}}
{"event_id":"f3","timestamp":"2026-11-26T09:00:00Z","event_type":"nosuch","tenant_id":"acme","schema_version":1,"payload":{"a":[1,2.50,{"b":null}]}}
{"event_id":"f4","timestamp":"2026-11-26T09:00:00Z","event_type":"error","tenant_id":".acme","schema_version":1,"payload":{"code":500,"message":"x"}}
END
rta-cat -o rta in.ndjson >in.rta
perl "$DATA/rtaframe.pl" header frame:E:ff "frame:Z:" >>in.rta
rta-validate -s schemas --dead-letter dl in.rta >out.rta
echo "exit $?"
jq -r '"\(.byte_offset) \(.reason)"' dl
jq -r 'select(.reason != "bad-frame") | .original' dl >originals
cat originals
grep -v '"f1"' in.ndjson | rta-cat | cmp - originals && echo "= rta-cat's lines"
rta-cat originals >/dev/null && echo "and rta-cat reads them"

# An event type, or a version of a known type, with no schema is rejected
# by default (unknown-event-type, unknown-schema-version); --unknown pass
# lets it through unchecked.  Both are counted.
cp -R "$DATA/validate/schemas" schemas
cat >in.ndjson <<'END'
{"event_id":"u1","timestamp":"2026-11-26T09:00:00Z","event_type":"signup","tenant_id":"acme","schema_version":1,"payload":{"a":1}}
{"event_id":"u2","timestamp":"2026-11-26T09:00:00Z","event_type":"page_view","tenant_id":"acme","schema_version":3,"payload":{"a":1}}
{"event_id":"u3","timestamp":"2026-11-26T09:00:00Z","event_type":"error","tenant_id":"acme","schema_version":1,"payload":{"code":404,"message":"nf"}}
{"event_id":"u4","timestamp":"2026-11-26T09:00:00Z","event_type":"page_view","tenant_id":"acme","schema_version":0,"payload":{}}
{"event_id":"u5","timestamp":"2026-11-26T09:00:00Z","event_type":"Page_View","tenant_id":"acme","schema_version":1,"payload":{}}
END
rta-validate -s schemas --dead-letter dl --metrics m1 in.ndjson
echo "default: exit $?"
jq -r '"\(.line): \(.reason): \(.error)"' dl
grep '^rta_validate_unknown' m1
rta-validate -s schemas --unknown pass --metrics m2 in.ndjson
echo "pass: exit $?"
grep '^rta_validate_unknown' m2
rta-validate -s schemas --unknown reject -q in.ndjson
echo "reject: exit $?"

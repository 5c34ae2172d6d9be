# --upgrade fills the defaults the latest version of a type declares into
# older events that lack them, and marks them with that version; the same
# in either encoding.  Events already at the latest version, and types
# with one version, are left as they are.
cp -R "$DATA/validate/schemas" schemas
cp -R "$DATA/validate/upgrade" upgrade
cat >pv.ndjson <<'END'
{"event_id":"g1","timestamp":"2026-11-26T09:00:00Z","event_type":"page_view","tenant_id":"acme","schema_version":1,"payload":{"url":"/a","user_id":"u000001"}}
{"event_id":"g2","timestamp":"2026-11-26T09:00:00Z","event_type":"page_view","tenant_id":"acme","schema_version":2,"payload":{"url":"/a","user_id":"u000001"}}
{"event_id":"g3","timestamp":"2026-11-26T09:00:00Z","event_type":"page_view","tenant_id":"acme","schema_version":1,"payload":{"url":"/b","user_id":"u000002","device":"tablet"}}
{"event_id":"g4","timestamp":"2026-11-26T09:00:00Z","event_type":"error","tenant_id":"acme","schema_version":1,"payload":{"code":404,"message":"nf"}}
END
rta-validate -s schemas --upgrade --metrics m pv.ndjson >out.ndjson
echo "ndjson: exit $?"
cat out.ndjson
grep 'result="upgraded"' m
rta-cat -o rta pv.ndjson >pv.rta
rta-validate -s schemas --upgrade pv.rta >out.rta
echo "rta: exit $?"
rta-cat -o ndjson out.rta | cmp - out.ndjson && echo "the same events"
echo "--- nested defaults:"
cat >su.ndjson <<'END'
{"event_id":"s1","timestamp":"2026-11-26T09:00:00Z","event_type":"signup","tenant_id":"acme","schema_version":1,"payload":{"plan":"pro"}}
{"event_id":"s2","timestamp":"2026-11-26T09:00:00Z","event_type":"signup","tenant_id":"acme","schema_version":1,"payload":{"plan":"free","limits":{}}}
{"event_id":"s3","timestamp":"2026-11-26T09:00:00Z","event_type":"signup","tenant_id":"acme","schema_version":1,"payload":{"plan":"free","region":"us","limits":{"seats":5}}}
END
rta-validate -s upgrade --upgrade su.ndjson
echo "exit $?"
rta-validate -s schemas pv.ndjson >plain.ndjson
rta-cat pv.ndjson | cmp - plain.ndjson && echo "without --upgrade: unchanged"

# From rta frames, the dead letter of an event whose upgrade failed holds
# the event as it was read (its own version, no defaults), as NDJSON.
cp -R "$DATA/validate/upgrade" upgrade
cat >in.ndjson <<'END'
{"event_id":"s1","timestamp":"2026-11-26T09:00:00Z","event_type":"signup","tenant_id":"acme","schema_version":1,"payload":{"plan":"pro"}}
{"event_id":"s2","timestamp":"2026-11-26T09:00:00Z","event_type":"signup","tenant_id":"acme","schema_version":1,"payload":{"plan":"basic"}}
END
rta-cat -o rta in.ndjson >in.rta
rta-validate -s upgrade --upgrade --dead-letter dl in.rta >out.rta
echo "exit $?"
jq -r '"\(.reason) at byte \(.byte_offset)", .original' dl
echo "--- as rta-cat reads it:"
sed -n 2p in.ndjson | rta-cat

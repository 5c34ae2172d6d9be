# An older event that is valid for its own version but not for the latest
# one after the defaults are filled is rejected with reason
# upgrade-failed, and the violations name the latest schema.
cp -R "$DATA/validate/upgrade" upgrade
cat >in.ndjson <<'END'
{"event_id":"s1","timestamp":"2026-11-26T09:00:00Z","event_type":"signup","tenant_id":"acme","schema_version":1,"payload":{"plan":"pro"}}
{"event_id":"s2","timestamp":"2026-11-26T09:00:00Z","event_type":"signup","tenant_id":"acme","schema_version":1,"payload":{"plan":"basic"}}
{"event_id":"s3","timestamp":"2026-11-26T09:00:00Z","event_type":"signup","tenant_id":"acme","schema_version":1,"payload":{"plan":"free","limits":{"seats":"many"}}}
END
rta-validate -s upgrade --upgrade --dead-letter dl --metrics m in.ndjson
echo "exit $?"
jq -c '[.line, .reason, .error, .original, .violations]' dl
grep '^rta_validate_events_total\|^rta_records_rejected' m

# --schema FILE checks every event's payload against one schema, whatever
# its event type and version (no lookup, so no unknown types).
cat >payload.json <<'END'
{
  "type": "object",
  "required": ["user_id"],
  "properties": {"user_id": {"type": "string", "pattern": "^u[0-9]+$"}}
}
END
cat >in.ndjson <<'END'
{"event_id":"o1","timestamp":"2026-11-26T09:00:00Z","event_type":"page_view","tenant_id":"acme","schema_version":1,"payload":{"user_id":"u1","url":"/"}}
{"event_id":"o2","timestamp":"2026-11-26T09:00:00Z","event_type":"anything","tenant_id":"acme","schema_version":9,"payload":{"user_id":"u2"}}
{"event_id":"o3","timestamp":"2026-11-26T09:00:00Z","event_type":"page_view","tenant_id":"acme","schema_version":1,"payload":{"url":"/"}}
{"event_id":"o4","timestamp":"2026-11-26T09:00:00Z","event_type":"other","tenant_id":"acme","schema_version":2,"payload":{"user_id":"x"}}
END
rta-validate --schema payload.json --dead-letter dl --metrics m in.ndjson
echo "exit $?"
jq -c '[.line, .reason, .violations]' dl
grep '^rta_validate_events_total' m

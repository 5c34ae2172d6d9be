# drift --schema FILE profiles every payload against one schema, labelled
# with the file.
cat >user.json <<'END'
{
  "type": "object",
  "properties": {
    "user_id": {"type": "string"},
    "age": {"type": "integer"},
    "tags": {"type": "array", "items": {"type": "string"}}
  }
}
END
cat >in.ndjson <<'END'
{"event_id":"a","timestamp":"2026-11-26T09:00:00Z","event_type":"x","tenant_id":"acme","schema_version":1,"payload":{"user_id":"u1","age":3,"tags":["a",1]}}
{"event_id":"b","timestamp":"2026-11-26T09:00:00Z","event_type":"y","tenant_id":"acme","schema_version":4,"payload":{"user_id":"u2","age":3.5,"nick":"n"}}
{"event_id":"c","timestamp":"2026-11-26T09:00:00Z","event_type":"z","tenant_id":"acme","schema_version":1,"payload":{"user_id":"u3"}}
END
rta-validate drift --schema user.json in.ndjson
echo "exit $?"

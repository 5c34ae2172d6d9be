# --key: a list of fields; missing fields are part of the key (null).
printf '%s\n' \
 '{"event_id":"a","timestamp":"2026-01-01T00:00:00Z","event_type":"t","tenant_id":"x","payload":{"o":1}}' \
 '{"event_id":"b","timestamp":"2026-01-01T00:00:01Z","event_type":"t","tenant_id":"x","payload":{"o":1.0}}' \
 '{"event_id":"c","timestamp":"2026-01-01T00:00:02Z","event_type":"t","tenant_id":"y","payload":{"o":1}}' \
 '{"event_id":"d","timestamp":"2026-01-01T00:00:03Z","event_type":"t","tenant_id":"y","payload":{}}' \
 '{"event_id":"e","timestamp":"2026-01-01T00:00:04Z","event_type":"t","tenant_id":"y","payload":{}}' \
 >in.ndjson
rta-dedup -k tenant_id,payload.o --duplicates d.ndjson in.ndjson
cat d.ndjson

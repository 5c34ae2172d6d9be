# Watermark records pass unchanged and move the horizon.
printf '%s\n' \
 '{"event_id":"a","timestamp":"2026-01-01T00:00:00Z","event_type":"t","tenant_id":"x","payload":{}}' \
 '{"$rta":"watermark","watermark":"2026-01-01T01:00:00Z"}' \
 '{"event_id":"a","timestamp":"2026-01-01T01:00:00Z","event_type":"t","tenant_id":"x","payload":{}}' \
 >in.ndjson
rta-dedup --ttl 10m in.ndjson

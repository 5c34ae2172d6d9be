# A bad record: file:line message, exit 1, the rest goes on; a last
# line without a newline is read.
printf '{"event_id":"a","timestamp":"2026-01-01T00:00:00Z","event_type":"t","tenant_id":"x","payload":{}}\n{bad\n{"event_id":"b","timestamp":"2026-01-01T00:00:00Z","event_type":"t","tenant_id":"x","payload":{}}' >in.ndjson
rta-dedup in.ndjson
echo "exit $?"

# A last line with no newline is a record like the others.
printf '%s\n%s' \
    '{"event_id":"a","timestamp":"2026-01-01T00:00:01Z","event_type":"v","tenant_id":"t"}' \
    '{"event_id":"b","timestamp":"2026-01-01T00:00:02Z","event_type":"v","tenant_id":"t"}' >in.ndjson
rta-store init -s st
rta-store ingest -s st -d ev in.ndjson
echo "exit $?"
rta-store cat -s st -d ev -o ndjson

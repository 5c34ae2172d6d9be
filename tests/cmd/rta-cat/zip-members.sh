# Zip members are read in order and named as archive(member):line.
rta-gen -c 2 -s 1 >a.ndjson
printf '{"event_id":"x","timestamp":"2026-01-01T00:00:00Z","event_type":"t"}\n' >b.ndjson
zip -q x.zip a.ndjson b.ndjson
rta-cat x.zip >out
echo "exit $?"
cmp a.ndjson out && echo "a read"

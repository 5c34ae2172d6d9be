# Aggregate records (rta-format(5)) pass through rta-cat in either
# encoding and come back the same: NDJSON to frames of type A and back,
# in the canonical key order.  --events-only keeps them (they are data);
# a malformed one is rejected like a bad event, and counted.
printf '%s\n' \
 '{"version":3,"$rta":"aggregate","record_id":"r1","window":"tumbling","start":"2026-01-01T01:00:00+01:00","tenant_id":"acme","end":"2026-01-01T00:01:00.000000Z","group":{"tenant_id":"acme"},"results":{"count":2}}' \
 '{"event_id":"e1","timestamp":"2026-01-01T00:00:01Z","event_type":"v","tenant_id":"acme"}' \
 '{"$rta":"aggregate","record_id":"r2","window":"tumbling","start":1767225600000000,"tenant_id":"acme","version":1}' \
 '{"$rta":"aggregate","record_id":"r3","window":"tumbling","start":"2026-01-01T00:00:00Z","tenant_id":"acme"}' \
 '{"$rta":"watermark","watermark":"2026-01-01T00:01:00Z"}' \
 >in.ndjson
rta-cat -o rta --metrics m in.ndjson >in.rta
echo "exit $?"
grep -E '^rta_records_(in|out|rejected)_total' m
rta-cat -o ndjson in.rta
echo "exit $?"
echo "-- events only"
rta-cat --events-only -o ndjson in.rta
echo "exit $?"
echo "-- damage before aggregate frames: only the damage is skipped"
head -c 12 in.rta >bad.rta
printf 'xyz' >>bad.rta
tail -c +13 in.rta >>bad.rta
rta-cat -o ndjson bad.rta 2>&1 | grep -c '"\$rta":"aggregate"'

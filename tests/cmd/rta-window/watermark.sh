# Watermark records from upstream are honoured: a window closes when one
# passes its end, though no later event came; they are not passed on,
# the stage writing its own.  Aggregate records read pass through.
printf '%s\n' \
 '{"event_id":"a","timestamp":"2026-01-01T00:00:10Z","event_type":"v","tenant_id":"x"}' \
 '{"$rta":"watermark","watermark":"2026-01-01T00:00:30Z"}' \
 '{"event_id":"b","timestamp":"2026-01-01T00:00:20Z","event_type":"v","tenant_id":"x"}' \
 '{"$rta":"watermark","watermark":"2026-01-01T00:01:00Z"}' \
 '{"$rta":"aggregate","record_id":"r0","window":"tumbling","start":"2025-12-31T23:59:00Z","tenant_id":"x","version":1}' \
 '{"event_id":"c","timestamp":"2026-01-01T00:00:40Z","event_type":"v","tenant_id":"x"}' \
 '{"$rta":"position","topic":"events","partition":0,"offset":7}' \
 >in.ndjson
rta-window --tumbling 1m --late late in.ndjson |
    sed 's/"record_id":"[^"]*",//; s/,"states":.*/}/'
echo "exit $?"
wc -l <late

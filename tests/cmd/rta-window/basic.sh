# One-minute tumbling windows per tenant: a window's record comes out
# when the watermark (here the largest event time, --max-delay 0)
# reaches its end, and the end of the input closes the rest.
printf '%s\n' \
 '{"event_id":"a","timestamp":"2026-01-01T00:00:10Z","event_type":"v","tenant_id":"x","payload":{"n":1}}' \
 '{"event_id":"b","timestamp":"2026-01-01T00:00:20Z","event_type":"v","tenant_id":"y","payload":{"n":2.5}}' \
 '{"event_id":"c","timestamp":"2026-01-01T00:00:50Z","event_type":"v","tenant_id":"x","payload":{"n":4}}' \
 '{"event_id":"d","timestamp":"2026-01-01T00:01:05Z","event_type":"v","tenant_id":"x","payload":{"n":-1}}' \
 '{"event_id":"e","timestamp":"2026-01-01T00:01:30Z","event_type":"v","tenant_id":"x","payload":{}}' \
 >in.ndjson
rta-window --tumbling 1m --agg count,sum:payload.n,avg:payload.n,min:payload.n,max:payload.n,stddev:payload.n,first:payload.n,last:payload.n \
    --metrics m in.ndjson
echo "exit $?"
grep -E '^rta_(records|window)_[a-z_]+' m | sed 's/{stage="rta-window"}//'

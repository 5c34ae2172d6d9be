# An event too far ahead of the watermark is rejected (dead letter,
# reason too-far-ahead) and does not move it; an event that would open
# more windows than --max-groups is rejected (too-many-groups).  Counts
# balance: in = out + rejected + dropped.
printf '%s\n' \
 '{"event_id":"a","timestamp":"2026-01-01T00:00:10Z","event_type":"v","tenant_id":"x"}' \
 '{"event_id":"b","timestamp":"2026-01-02T00:00:00Z","event_type":"v","tenant_id":"x"}' \
 '{"event_id":"c","timestamp":"2026-01-01T00:00:20Z","event_type":"v","tenant_id":"y"}' \
 '{"event_id":"d","timestamp":"2026-01-01T00:00:30Z","event_type":"v","tenant_id":"z"}' \
 '{"event_id":"e","timestamp":"2026-01-01T00:00:40Z","event_type":"v","tenant_id":"x"}' \
 '{"event_id":"f","timestamp":"2026-01-01T00:00:50Z","event_type":"w","tenant_id":"x"' \
 >in.ndjson
rta-window --tumbling 1m --max-future 1h --max-groups 2 --dead-letter dl \
    --metrics m in.ndjson | grep -o '"group":{[^}]*},"results":{[^}]*}'
echo "exit $?"
grep -o '"reason":"[a-z-]*"' dl
grep -E '^rta_(records|window)_[a-z_]+' m | sed 's/{stage="rta-window"}//'

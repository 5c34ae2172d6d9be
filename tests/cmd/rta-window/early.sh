# --emit-every: each time the watermark passes a multiple of the period,
# the open windows that changed come out with "final":false and the next
# version; the final record follows when the window closes.
printf '%s\n' \
 '{"event_id":"a","timestamp":"2026-01-01T00:00:01Z","event_type":"v","tenant_id":"x"}' \
 '{"event_id":"b","timestamp":"2026-01-01T00:00:12Z","event_type":"v","tenant_id":"x"}' \
 '{"event_id":"c","timestamp":"2026-01-01T00:00:14Z","event_type":"v","tenant_id":"y"}' \
 '{"event_id":"d","timestamp":"2026-01-01T00:00:31Z","event_type":"v","tenant_id":"x"}' \
 '{"event_id":"e","timestamp":"2026-01-01T00:00:45Z","event_type":"v","tenant_id":"y"}' \
 '{"event_id":"f","timestamp":"2026-01-01T00:01:02Z","event_type":"v","tenant_id":"x"}' \
 >in.ndjson
rta-window --tumbling 1m --emit-every 20s in.ndjson |
    grep -o '"tenant_id":"[a-z]","version":[0-9]*\|"final":[a-z]*\|"results":{[^}]*}\|"watermark":"[^"]*"' |
    paste -sd' ' | sed 's/ "tenant_id"/\n"tenant_id"/g; s/ "watermark"/\n"watermark"/g'
echo
echo "exit $?"

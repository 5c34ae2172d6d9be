# Sliding windows of 3 minutes every minute: each event is in three of
# them; by event type, no tenant: the records say tenant "_all".
printf '%s\n' \
 '{"event_id":"a","timestamp":"2026-01-01T00:00:10Z","event_type":"v","tenant_id":"x"}' \
 '{"event_id":"b","timestamp":"2026-01-01T00:01:20Z","event_type":"v","tenant_id":"y"}' \
 '{"event_id":"c","timestamp":"2026-01-01T00:02:50Z","event_type":"w","tenant_id":"x"}' \
 >in.ndjson
rta-window --sliding 3m --every 1m --by event_type in.ndjson |
    grep -o '"start":"[^"]*","tenant_id":"[^"]*","version":[0-9]*,"end":"[^"]*","final":[a-z]*,"group":{[^}]*},"results":{[^}]*}'
echo "exit $?"

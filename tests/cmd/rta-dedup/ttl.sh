# --ttl forgets keys in event time; --max-delay holds the watermark
# back; older events are handled by --beyond-horizon.
printf '%s\n' \
 '{"event_id":"a","timestamp":"2026-01-01T00:00:00Z","event_type":"t","tenant_id":"x","payload":{}}' \
 '{"event_id":"a","timestamp":"2026-01-01T00:00:30Z","event_type":"t","tenant_id":"x","payload":{}}' \
 '{"event_id":"b","timestamp":"2026-01-01T00:02:00Z","event_type":"t","tenant_id":"x","payload":{}}' \
 '{"event_id":"a","timestamp":"2026-01-01T00:02:01Z","event_type":"t","tenant_id":"x","payload":{}}' \
 '{"event_id":"c","timestamp":"2026-01-01T00:00:10Z","event_type":"t","tenant_id":"x","payload":{}}' \
 >in.ndjson
ids() { grep -o '"event_id":"[a-z]","timestamp":"[^"]*"' "$1"; }
echo "-- ttl 1m"
rta-dedup --ttl 1m in.ndjson >out
echo "exit $?"; ids out
echo "-- ttl 1m, drop"
rta-dedup --ttl 1m --beyond-horizon drop --metrics m in.ndjson >out
echo "exit $?"; ids out
grep beyond_horizon_total m | tail -1
echo "-- ttl 1m, dead-letter"
rta-dedup --ttl 1m --beyond-horizon dead-letter --dead-letter dl in.ndjson \
    >out
echo "exit $?"; ids out
grep -c beyond-horizon dl
echo "-- ttl 1m, max-delay 5m"
rta-dedup --ttl 1m --max-delay 5m in.ndjson >out
echo "exit $?"; ids out

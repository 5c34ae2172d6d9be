# --metrics FILE holds Prometheus text at exit: records in, out, rejected
# by reason, dropped, per-tenant counts and event time; in = out +
# rejected + dropped.
. "$DATA/balance.inc"
rta-gen -c 300 -s 3 -t 3 --malformed 0.1 --duplicates 0.1 \
    --watermark-every 10s >in.ndjson
rta-cat --metrics m.prom in.ndjson >out 2>/dev/null
echo "exit $?"
grep -v '^rta_event_time_lag_seconds\|^rta_start_time_seconds' m.prom
balanced m.prom
echo "events in the output: $(grep -c event_id out)"
echo "watermarks in the output: $(grep -c watermark out)"

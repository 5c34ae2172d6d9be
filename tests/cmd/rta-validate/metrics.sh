# --metrics: the common counters balance (in = out + rejected + dropped),
# per tenant, and rta-validate's own: events per schema and result,
# unknown types, violations per reason.
. "$DATA/balance.inc"
cp -R "$DATA/validate/schemas" schemas
rta-gen -c 300 -s 4 -t 3 --malformed 0.05 >in.ndjson
cat >>in.ndjson <<'END'
{"event_id":"m1","timestamp":"2026-01-01T01:00:00Z","event_type":"page_view","tenant_id":"t0001","schema_version":1,"payload":{"url":"x","user_id":"u1"}}
{"event_id":"m2","timestamp":"2026-01-01T01:00:00Z","event_type":"purchase","tenant_id":"t0002","schema_version":1,"payload":{}}
{"event_id":"m3","timestamp":"2026-01-01T01:00:00Z","event_type":"signup","tenant_id":"t0002","schema_version":1,"payload":{}}
{"event_id":"m4","timestamp":"2026-01-01T01:00:00Z","event_type":"error","tenant_id":"t0002","schema_version":7,"payload":{}}
END
rta-validate -s schemas -q --metrics m.prom in.ndjson >out
echo "exit $?"
grep -v '^rta_event_time_lag_seconds\|^rta_start_time_seconds' m.prom
balanced m.prom
echo "events in the output: $(grep -c event_id out)"

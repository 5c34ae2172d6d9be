# Session windows: a group's events with gaps under --session make one
# session; its record has the first and last event times, the duration,
# the event count and the first and last event types, with --agg's
# results.  An event bridging two sessions joins them: the one written
# first keeps its record id, and the other's record is replaced by an
# empty one naming it (merged_into), so an upserting store counts each
# event once.
show() {
	grep -o '"record_id":"[^"]*"\|"start":"[^"]*"\|"end":"[^"]*"\|"version":[0-9]*\|"merged_into":"[^"]*"\|"results":{[^}]*}\|"session":{[^}]*}\|"\$rta":"watermark","watermark":"[^"]*"' "$1" |
	    sed 's/\.000000Z/Z/' | paste -sd' ' |
	    sed 's/ "record_id"/\n"record_id"/g; s/ "\$rta"/\n"$rta"/g'
	echo
}
printf '%s\n' \
 '{"event_id":"a","timestamp":"2026-01-01T00:00:00Z","event_type":"view","tenant_id":"x","payload":{"page":"/a","v":1}}' \
 '{"event_id":"b","timestamp":"2026-01-01T00:10:00Z","event_type":"cart","tenant_id":"x","payload":{"page":"/b","v":2}}' \
 '{"event_id":"c","timestamp":"2026-01-01T00:05:00Z","event_type":"view","tenant_id":"y","payload":{"page":"/c","v":3}}' \
 '{"event_id":"d","timestamp":"2026-01-01T01:00:00Z","event_type":"buy","tenant_id":"x","payload":{"page":"/d","v":4}}' \
 '{"event_id":"e","timestamp":"2026-01-01T00:40:00Z","event_type":"view","tenant_id":"x","payload":{"page":"/e","v":5}}' \
 >in.ndjson
echo "-- 30m gap, out of order, first/last of a field"
rta-window --session 30m --agg count,sum:payload.v,first:payload.page,last:payload.page \
    in.ndjson >out
echo "exit $?"; show out
echo "-- the same record ids from frames"
rta-cat -o rta in.ndjson | rta-window --session 30m \
    --agg count,sum:payload.v,first:payload.page,last:payload.page -o ndjson >out2
cmp out out2 && echo same
echo "-- a late event bridges two written sessions (--allowed-lateness)"
printf '%s\n' \
 '{"event_id":"a","timestamp":"2026-01-01T00:00:00Z","event_type":"view","tenant_id":"x"}' \
 '{"event_id":"b","timestamp":"2026-01-01T00:40:00Z","event_type":"cart","tenant_id":"x"}' \
 '{"event_id":"c","timestamp":"2026-01-01T01:30:00Z","event_type":"view","tenant_id":"y"}' \
 '{"event_id":"d","timestamp":"2026-01-01T00:20:00Z","event_type":"buy","tenant_id":"x"}' \
 >bridge.ndjson
rta-window --session 30m --allowed-lateness 2h --metrics m bridge.ndjson >out
echo "exit $?"; show out
grep -E '^rta_(records|window)_[a-z_]+' m | sed 's/{stage="rta-window"}//' |
    grep -v 'alerts\|open'
echo "-- without lateness the bridging event is late"
rta-window --session 30m --late late bridge.ndjson >out
echo "exit $?"; show out
grep -o '"reason":"[a-z-]*"' late
echo "-- gaps of exactly --session split"
printf '%s\n' \
 '{"event_id":"a","timestamp":"2026-01-01T00:00:00Z","event_type":"v","tenant_id":"x"}' \
 '{"event_id":"b","timestamp":"2026-01-01T00:10:00Z","event_type":"v","tenant_id":"x"}' \
 '{"event_id":"c","timestamp":"2026-01-01T00:19:59.999999Z","event_type":"v","tenant_id":"x"}' |
    rta-window --session 10m | grep -o '"events":[0-9]*' | paste -sd' ' -
echo "-- --max-groups caps open sessions"
rta-window --session 30m --max-groups 1 --dead-letter dl in.ndjson |
    grep -c '"window":"session"'
grep -o '"reason":"[a-z-]*"' dl | sort | uniq -c
echo "-- usage"
for a in "--session 30m --detect zscore:3" "--session 0s" \
    "--session 1m --tumbling 1m"; do
	{ rta-window $a in.ndjson 2>&1 >/dev/null; echo "exit $?"; } |
	    sed -n '1p;$p'
done
echo "-- against awk: sessions per tenant and user of a generated stream"
# out of order by up to 30s; --max-delay 1m keeps every event in time
rta-gen -c 20000 --eps 20 -t 4 --users 40 --disorder 30s \
    --start 2026-01-01T01:00:00Z >gen.ndjson
rta-window --session 2m --by tenant_id,payload.user_id --max-delay 1m \
    --late late2 gen.ndjson >out
echo "exit $? late $(wc -l <late2)"
grep '"\$rta":"aggregate"' out |
awk '{ t = $0; sub(/.*"group":\{"tenant_id":"/, "", t); sub(/".*/, "", t);
    u = $0; sub(/.*"payload.user_id":"/, "", u); sub(/".*/, "", u);
    s = $0; sub(/.*"start":"/, "", s); sub(/".*/, "", s);
    e = $0; sub(/.*"end":"/, "", e); sub(/".*/, "", e);
    n = $0; sub(/.*"events":/, "", n); sub(/,.*/, "", n);
    f = $0; sub(/.*"first_type":"/, "", f); sub(/".*/, "", f);
    l = $0; sub(/.*"last_type":"/, "", l); sub(/".*/, "", l);
    print t, u, s, e, n, f, l }' | sort >got
# the events sorted by tenant, user and time; a gap of 2m or more splits
awk '{ t = $0; sub(/.*"tenant_id":"/, "", t); sub(/".*/, "", t);
    u = $0; sub(/.*"user_id":"/, "", u); sub(/".*/, "", u);
    s = $0; sub(/.*"timestamp":"/, "", s); sub(/".*/, "", s);
    y = $0; sub(/.*"event_type":"/, "", y); sub(/".*/, "", y);
    print t, u, s, y }' gen.ndjson | sort -k1,1 -k2,2 -k3,3 |
awk 'function sec(ts) { return substr(ts, 12, 2) * 3600 + substr(ts, 15, 2) * 60 + substr(ts, 18) }
    function out() { if (n) print k, s0, e0, n, f, l }
    { key = $1 " " $2; x = sec($3)
      if (key != k || x - last >= 120) { out(); k = key; s0 = $3; f = $4; n = 0 }
      e0 = $3; l = $4; last = x; n++ }
    END { out() }' | sort >want
if cmp -s got want; then
	echo "$(wc -l <want) sessions equal"
else
	echo "differ:"; diff got want | head
fi
echo "-- the same bytes from frames in random pieces, and three days on"
rta-gen -c 5000 --eps 20 -t 4 --users 40 --disorder 30s --late 0.02 \
    --late-by 3m -o rta >gen.rta
run() {
	rta-window --session 1m --by tenant_id,payload.user_id \
	    --agg count,p95:payload.latency_ms,distinct:payload.url \
	    --max-delay 20s --allowed-lateness 2m --emit-every 30s -o rta "$@"
}
run gen.rta >a
echo "exit $? records $(rta-cat -o ndjson a | grep -c aggregate)" \
    "merged $(rta-cat -o ndjson a | grep -c merged_into)"
for seed in 1 2; do
	rta-trickle "$seed" gen.rta 300 | run - >b
	cmp a b && echo "seed $seed: same"
done
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
    faketime -f '+3d' sh -c 'rta-window --session 1m --by tenant_id,payload.user_id --agg count,p95:payload.latency_ms,distinct:payload.url --max-delay 20s --allowed-lateness 2m --emit-every 30s -o rta gen.rta' >c
cmp a c && echo "three days on: same"
echo "-- a late event reopening a closed session: final again only when"
echo "   the watermark passes its new end plus the gap"
printf '%s\n' \
 '{"event_id":"1","timestamp":"2026-01-01T00:00:00Z","event_type":"a","tenant_id":"t"}' \
 '{"event_id":"2","timestamp":"2026-01-01T00:00:15Z","event_type":"a","tenant_id":"t"}' \
 '{"event_id":"3","timestamp":"2026-01-01T00:00:08Z","event_type":"a","tenant_id":"t"}' \
 '{"event_id":"4","timestamp":"2026-01-01T00:00:16Z","event_type":"a","tenant_id":"t"}' \
 '{"event_id":"5","timestamp":"2026-01-01T00:00:40Z","event_type":"a","tenant_id":"t"}' |
    rta-window --session 10s --allowed-lateness 100s --metrics m2 |
    sed -E 's/.*"version":([0-9]+),"end":"[^T]*T([^.]*).*"final":(true|false).*"events":([0-9]+).*/v\1 end \2 final \3 events \4/;
        s/.*"watermark":"[^T]*T([^.]*).*/  watermark \1/'
grep -E '^rta_window_(records|updates|sessions_merged)_total' m2

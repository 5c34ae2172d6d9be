# --drift --baseline-from: each hour scored against a stored baseline
# that does not move.  Two tenants send 60 events an hour; the week of
# 2026-09-14 is the reference, kept in a store as hourly aggregates.
# From 2026-09-22 on, t1's values are 40% higher and a fifth of its
# countries are new (US), for three days.  Against the stored week, t1
# alerts every hour of those three days; against a rolling baseline of
# one day the shift becomes the baseline and the alerts stop.  The
# baseline read from the store (rta-query --partial), from rta-window's
# own records and from the raw events gives the same scores; a file
# that cannot be a baseline stops the run with its place named.
awk 'BEGIN {
	srand(11)
	t0 = 1789344000		# 2026-09-14, a Monday
	for (i = 0; i < 11 * 24 * 60; i++) {
		ts = t0 + i * 60
		for (k = 0; k < 2; k++) {
			z = sqrt(-2 * log(rand())) * cos(6.2831853 * rand())
			v = 80 + 12 * z
			c = rand() < 0.7 ? "PL" : "DE"
			if (k == 1 && ts >= t0 + 8 * 86400) {
				v = v * 1.4
				if (rand() < 0.2)
					c = "US"
			}
			printf "{\"event_id\":\"e%d-%d\",\"timestamp\":%d," \
			    "\"event_type\":\"purchase\",\"tenant_id\":" \
			    "\"t%d\",\"payload\":{\"value\":%.2f," \
			    "\"country\":\"%s\"}}\n", i, k, ts, k, v, c
		}
	}}' >all.ndjson
jq -c 'select(.timestamp < 1789344000 + 7 * 86400)' all.ndjson >ref.ndjson
jq -c 'select(.timestamp >= 1789344000 + 7 * 86400)' all.ndjson >cur.ndjson
# tenant, day, alerts that day
perday() {
	jq -r 'select(.event_type == "rta.alert") | .tenant_id + " " +
	    .payload.window_start[0:10]' "$1" | sort | uniq -c |
	    awk '{ print $2, $3, $1 }'
}
echo "-- the reference week stored as hourly aggregates"
rta-store init -s st
rta-window --tumbling 1h --agg count,p50:payload.value,top10:payload.country \
    -o ndjson ref.ndjson | rta-store ingest -s st -d purchases_1h
rta-query -s st -d purchases_1h --from 2026-09-14 --to 2026-09-21 \
    --group-by tenant_id --agg p50:payload.value,top10:payload.country \
    --partial -o rta >week.rta
echo "query exit $?"
echo "-- numbers against it"
rta-window --drift payload.value --baseline-from week.rta --every 1h \
    --alerts al --metrics m -o ndjson cur.ndjson >out
echo "exit $? aggregates $(grep -c '"\$rta":"aggregate"' out)," \
    "drift records $(grep -c '"rta.drift"' al)," \
    "alerts $(grep -c '"rta.alert"' al)"
jq -c 'select(.event_type == "rta.drift") | .payload | {field, count,
    baseline_count, baseline_windows}' al | sort -u
perday al
jq -r 'select(.event_type == "rta.drift" and .tenant_id == "t0") |
    .payload.drifted' al | sort | uniq -c | awk '{ n += $1 }
    $2 == "true" { d = $1 } END { printf "t0: %d of %d hours over the " \
	"threshold (%s 1%%)\n", d, n, d * 100 <= n ? "at most" : "MORE THAN" }'
grep '^rta_window_drift' m
echo "-- the same baseline from rta-window's records and from the events"
rta-window --tumbling 1d --agg p50:payload.value -o ndjson ref.ndjson >days
rta-window --drift payload.value --baseline-from days --every 1h \
    --alerts al2 -o ndjson cur.ndjson >/dev/null
rta-window --drift payload.value --baseline-from ref.ndjson --every 1h \
    --alerts al3 -o ndjson cur.ndjson >/dev/null
jq -c .payload al >p1
jq -c .payload al2 >p2
jq -c .payload al3 >p3
cmp -s p1 p2 && echo "daily records: the same drift records"
cmp -s p1 p3 && echo "raw events: the same drift records"
echo "-- against a rolling day instead, the shift becomes the baseline"
rta-window --drift payload.value --baseline 1d --every 1h --alerts alr \
    -o ndjson all.ndjson >/dev/null
perday alr | grep '^t1 '
echo "-- categories against the stored top-10 state"
rta-window --drift cat:payload.country --baseline-from week.rta --every 1h \
    --alerts alc -o ndjson cur.ndjson >/dev/null
perday alc
jq -c 'select(.event_type == "rta.alert") | .payload |
    {kind, top: .shifted[0].category}' alc | sort -u
echo "-- by another field: no baseline for those groups"
rta-window --drift payload.value --baseline-from week.rta --every 1h \
    --by tenant_id,payload.country -o ndjson cur.ndjson >out4 2>err
echo "exit $? drift records $(grep -c '"rta.drift"' out4)"
cat err
echo "-- stopped and started again with --state"
D="--drift payload.value --baseline-from week.rta --every 1h -o ndjson"
rta-window $D cur.ndjson >whole
jq -c 'select(.timestamp < 1789344000 + 9 * 86400)' cur.ndjson >c1
jq -c 'select(.timestamp >= 1789344000 + 9 * 86400)' cur.ndjson >c2
rta-window $D --state sd c1 >part
rta-window $D --state sd c2 >>part
echo "restart exit $?"
grep -v '"\$rta":"watermark"' whole >w1
grep -v '"\$rta":"watermark"' part >w2
cmp -s w1 w2 && echo "the same records as one run" || echo "DIFFERENT"
echo "-- what cannot be a baseline"
rta-window --tumbling 1h --agg count -o rta ref.ndjson >counts.rta
printf '{"event_id":"x","timestamp":"2026-09-14T00:00:00Z"}\n' >bad.ndjson
: >empty
jq -c 'del(.payload.value)' ref.ndjson >novalue.ndjson
for f in counts.rta bad.ndjson empty novalue.ndjson nosuch; do
	rta-window --drift payload.value --baseline-from $f --every 1h \
	    cur.ndjson >o 2>err
	echo "$f: exit $?, $(wc -l <o) lines out"
	sed 's/record [0-9a-f-]*:/record R:/' err
done
rta-window --drift payload.value --baseline-from week.rta --baseline 7d \
    --every 1h cur.ndjson 2>&1 | head -1
rta-window --tumbling 1h --baseline-from week.rta cur.ndjson 2>&1 | head -1
rta-window --drift payload.value --baseline-from - --every 1h <cur.ndjson \
    2>&1 | head -1
rta-window --drift payload.value --baseline-from - --every 1h cur.ndjson \
    <week.rta | grep -c '"rta.drift"'

# --drift: each closed hour's distribution of a field against the seven
# days before it, from the sketches the windows keep.  Two tenants send
# 120 events an hour for ten days, values normal (mean 100, sd 15) and
# countries PL/DE/FR; from day 9, 12:00, tenant t1's values move up by
# two standard deviations (scenario a), or spread twice as wide (b), and
# 30% of its countries become US.  Only t1 alerts after the change, from
# its first hour; the hours before it stay below the threshold (at most
# 1% of them over it); the drift records go to --alerts with the alerts,
# stdout keeps the aggregate records; stored, rta-query shows the scores
# over time per tenant; a run killed and resumed from --state writes
# what an uninterrupted one does.
gen() {
	awk -v mode="$1" 'BEGIN {
	srand(3)
	t0 = 1789344000		# 2026-09-14, a Monday
	for (i = 0; i < 240 * 120; i++) {
		ts = t0 + i * 30
		for (k = 0; k < 2; k++) {
			z = sqrt(-2 * log(rand())) * cos(6.2831853 * rand())
			c = rand() < 0.5 ? "PL" : rand() < 0.6 ? "DE" : "FR"
			v = 100 + 15 * z
			if (k == 1 && ts >= t0 + 9 * 86400 + 43200) {
				v = mode == "a" ? v + 30 : 100 + 30 * z
				if (rand() < 0.3)
					c = "US"
			}
			printf "{\"event_id\":\"e%d-%d\",\"timestamp\":%d," \
			    "\"event_type\":\"page_view\",\"tenant_id\":" \
			    "\"t%d\",\"payload\":{\"value\":%.2f," \
			    "\"country\":\"%s\"}}\n", i, k, ts, k, v, c
		}
	}}'
}
# tenant, window, psi (2 places), quantile distance or new share, top shift
show() {
	jq -r 'select(.event_type == "rta.alert") | .payload |
	    "\(.group.tenant_id) \(.window_start) psi \(.psi * 100 | round /
	    100) \(if .kind == "numeric" then "qdist \(.quantile_distance *
	    100 | round / 100)" else "new \(.new_share * 100 | round / 100)"
	    end) top \(.shifted[0] | (.quantile // .category))"' "$1"
}
# the windows before the change that scored past the threshold, of all
before() {
	jq -r 'select(.event_type == "rta.drift" and .payload.window_start <
	    "2026-09-23T12") | .payload.drifted' "$1" |
	    awk '{ n++ } $1 == "true" { d++ }
	    END { w = d * 100 <= n ? "at most" : "MORE THAN"
		printf "before the change: %d of %d windows over the " \
		    "threshold (%s 1%%)\n", d, n, w }'
}
gen a >a.ndjson
gen b >b.ndjson
echo "-- a: t1's mean moves up 2 sd"
rta-window --drift payload.value --baseline 7d --every 1h --alerts al \
    --metrics m -o ndjson a.ndjson >out
echo "exit $? aggregates $(grep -c '"\$rta":"aggregate"' out)," \
    "drift events on stdout $(grep -c '"rta\.' out)"
echo "drift records $(grep -c '"rta.drift"' al), alerts $(grep -c \
    '"rta.alert"' al)"
jq -c 'select(.event_type == "rta.drift") | .payload | del(.psi,
    .quantile_distance, .shifted)' al | head -1
show al | head -4
echo "t0 alerts: $(show al | grep -c '^t0 ')"
echo "t1 alerts from the change on: $(show al | awk '$2 >= "2026-09-23T12"' |
    wc -l) of 12 hours"
before al
grep -E '^rta_window_(drift|alerts)' m
echo "-- b: t1's spread doubles"
rta-window --drift payload.value --every 1h -o ndjson b.ndjson |
    jq -c 'select(.event_type == "rta.alert")' >alb
show alb | head -2
echo "t1 alerts from the change on: $(show alb | awk '$2 >= "2026-09-23T12"' |
    wc -l), before it: $(show alb | awk '$2 < "2026-09-23T12"' | wc -l)"
echo "-- categorical: countries"
rta-window --drift cat:payload.country --baseline 3d --every 1h \
    --alerts alc -o ndjson a.ndjson >/dev/null
show alc | head -2
before alc
jq -c 'select(.event_type == "rta.alert") | .payload.shifted[0]' alc |
    head -1 | sed 's/0\.[0-9]*/share/g'
echo "-- an aggregate of the field in --agg is the one read"
rta-window --tumbling 1h --agg count,p95:payload.value \
    --drift num:payload.value --alerts al2 -o ndjson a.ndjson >out2
jq -c .payload al >p1
jq -c .payload al2 >p2
cmp -s p1 p2 && echo "the same drift as from its own p50"
jq -r 'select(."$rta" == "aggregate") | .states | keys | join(",")' out2 |
    sort -u
jq -r 'select(."$rta" == "aggregate") | .states | keys | join(",")' out |
    sort -u
echo "-- stored, scores over time"
rta-store init -s st
rta-store ingest -s st -d drift --dedup-horizon 400d al 2>&1
rta-query -s st -d drift --where "event_type = 'rta.drift'" \
    --from 2026-09-21 --to 2026-09-24 --bucket 1d \
    --group-by tenant_id,payload.field --agg max:payload.psi,count \
    -o csv | awk -F, 'NR == 1 { print; next }
    { s = $5 >= 0.25 ? "over" : "under"
	printf "%s,%s,%s,%s,%s,%s\n", $1, $2, $3, $4, s, $6 }'
echo "-- killed partway and resumed from --state"
D="--drift payload.value --every 1h -o ndjson --checkpoint-every 2000r"
rta-window $D a.ndjson >whole
mkfifo fifo
rta-trickle 7 a.ndjson 40000 >fifo &
tp=$!
rta-window $D --state st-k <fifo >part &
wp=$!
sleep 1
kill -9 "$wp" 2>/dev/null && echo "killed partway"
{ wait "$wp"; } 2>/dev/null
kill "$tp" 2>/dev/null
{ wait "$tp"; } 2>/dev/null
[ -s part ] && echo "some records written before the kill"
rta-window $D --state st-k --resume <a.ndjson >>part
echo "restart exit $?"
cmp -s part whole && echo "the same records as one run, drift ones too" ||
    echo "DIFFERENT from one run"
echo "-- usage"
rta-window --drift payload.value --sliding 2h --every 1h a.ndjson 2>&1 |
    head -1
rta-window --drift payload.value --every 1h --baseline 30m a.ndjson 2>&1 |
    head -1
rta-window --tumbling 1h --baseline 7d a.ndjson 2>&1 | head -1
rta-window --drift payload.value --every 1h --drift-alert 0 a.ndjson 2>&1 |
    head -1
rta-window --drift cat: --every 1h a.ndjson 2>&1 | head -1

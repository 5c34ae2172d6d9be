#!/bin/sh
# Distribution drift.  rta-window compares each hour's distribution of a
# field with the week before it, from the sketches it keeps anyway: the
# population stability index (PSI) and the largest move of a quantile,
# and for categories the share of new ones.  Every scored hour writes an
# rta.drift event and a shift past the threshold an rta.alert; stored,
# their scores over time are a query away.
set -eu
cd "$(dirname "$0")"
bin=${RTA_BIN:+$RTA_BIN/}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
export RTA_NOW=2026-11-26T12:00:00Z

# ten days of checkout amounts and countries for two shops; from day 9,
# 12:00, globex's amounts are a third higher and a new market appears
awk 'BEGIN {
	srand(24)
	t0 = 1789344000		# 2026-09-14
	for (i = 0; i < 240 * 60; i++) {
		ts = t0 + i * 60
		for (k = 0; k < 2; k++) {
			z = sqrt(-2 * log(rand())) * cos(6.2831853 * rand())
			v = 50 + 10 * z
			c = rand() < 0.6 ? "PL" : "DE"
			if (k == 1 && ts >= t0 + 9 * 86400 + 43200) {
				v = v * 1.33
				if (rand() < 0.25)
					c = "CZ"
			}
			printf "{\"event_id\":\"e%d-%d\",\"timestamp\":%d," \
			    "\"event_type\":\"purchase\",\"tenant_id\":\"%s\"," \
			    "\"payload\":{\"value\":%.2f,\"country\":\"%s\"}}\n",
			    i, k, ts, k ? "globex" : "acme", v, c
		}
	}
}' >"$tmp/ev.ndjson"

echo "# hourly windows against the week before, drift events to a file"
"${bin}rta-window" --drift payload.value --baseline 7d --every 1h \
    --alerts "$tmp/drift.ndjson" -o ndjson "$tmp/ev.ndjson" >/dev/null
echo "$(grep -c '"rta.drift"' "$tmp/drift.ndjson") hours scored," \
    "$(grep -c '"rta.alert"' "$tmp/drift.ndjson") alerts"
jq -r 'select(.event_type == "rta.alert") | .tenant_id + " " +
    (if .payload.window_start < "2026-09-23T12" then "before" else "after"
    end)' "$tmp/drift.ndjson" | sort | uniq -c |
    awk '{ printf "%s: %d alert(s) %s the change\n", $2, $1, $3 }'
jq -c 'select(.event_type == "rta.alert" and .tenant_id == "globex") |
    .payload | {hour: .window_start, psi: (.psi * 100 | round / 100),
    moved: (.shifted[0] | {quantile, baseline: (.baseline | round),
    current: (.current | round)})}' "$tmp/drift.ndjson" | head -n 2

echo "# the countries: a new one"
"${bin}rta-window" --drift cat:payload.country --baseline 7d --every 1h \
    --alerts "$tmp/cat.ndjson" -o ndjson "$tmp/ev.ndjson" >/dev/null
jq -c 'select(.event_type == "rta.alert") | .payload |
    {tenant: .group.tenant_id, hour: .window_start, new_share:
    (.new_share * 100 | round / 100), top: .shifted[0].category}' \
    "$tmp/cat.ndjson" | head -n 1

echo "# against a stored reference week that does not move"
# the first week's hourly windows, as a store would keep them, merged
# per shop into one baseline; every hour after it is scored against it
"${bin}rta-window" --tumbling 1h --agg p50:payload.value -o rta \
    "$tmp/ev.ndjson" >"$tmp/hours.rta"
"${bin}rta-query" --merge --from 2026-09-14 --to 2026-09-21 \
    --group-by tenant_id --agg p50:payload.value --partial -o rta \
    "$tmp/hours.rta" >"$tmp/week.rta"
jq -c 'select(.timestamp >= 1789948800)' "$tmp/ev.ndjson" |
    "${bin}rta-window" --drift payload.value --every 1h \
    --baseline-from "$tmp/week.rta" --alerts "$tmp/fixed.ndjson" \
    -o ndjson >/dev/null
jq -r 'select(.event_type == "rta.alert") | .tenant_id + " " +
    .payload.window_start[0:10]' "$tmp/fixed.ndjson" | sort | uniq -c |
    awk '{ printf "%s %s: %d alert(s)\n", $2, $3, $1 }'

echo "# stored: the daily worst PSI per shop"
s=$tmp/store
"${bin}rta-store" init -s "$s"
"${bin}rta-store" ingest -s "$s" -d drift --dedup-horizon 400d \
    "$tmp/drift.ndjson"
"${bin}rta-query" -s "$s" -d drift --where "event_type = 'rta.drift'" \
    --from 2026-09-21 --to 2026-09-24 --bucket 1d --group-by tenant_id \
    --agg max:payload.psi -o csv |
    awk -F, 'NR > 1 { $4 = sprintf("%.2f", $4) } { print }' OFS=,

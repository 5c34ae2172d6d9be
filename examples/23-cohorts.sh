#!/bin/sh
# Weekly retention.  Users are counted in the week (from Monday) of their
# first event, and a cohort's row says how many of them viewed a page in
# each week after it.  rta-query computes the matrix from the raw events;
# a cohort dataset, refreshed from cron like a rollup, keeps each user's
# first week and active weeks, so the same query then reads one record
# per user instead of every event, and a late event is taken in by the
# next refresh.
set -eu
cd "$(dirname "$0")"
bin=${RTA_BIN:+$RTA_BIN/}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
export RTA_NOW=2026-11-26T12:00:00Z

# six weeks of two tenants' users, new ones arriving every week
awk 'BEGIN {
	srand(23)
	t0 = 1791158400		# 2026-10-05, a Monday
	for (i = 0; i < 6000; i++) {
		ts = t0 + int(rand() * 42 * 86400)
		w = int((ts - t0) / 604800)
		u = int(rand() * (40 + 30 * w))
		type = rand() < 0.8 ? "page_view" : "purchase"
		tenant = rand() < 0.5 ? "acme" : "globex"
		printf "{\"event_id\":\"e%d\",\"timestamp\":%d,\"event_type\":" \
		    "\"%s\",\"tenant_id\":\"%s\",\"payload\":{\"user_id\":" \
		    "\"u%d\"}}\n", i, ts, type, tenant, u
	}
}' >"$tmp/ev.ndjson"
s=$tmp/store
"${bin}rta-store" init -s "$s"
"${bin}rta-store" ingest -s "$s" -d events --dedup-horizon 400d \
    "$tmp/ev.ndjson"

Q="--cohort first:payload.user_id --cohort-bucket 1w --activity page_view"
echo "# acme's weekly cohorts, from the raw events"
"${bin}rta-query" -s "$s" -d events --tenant acme $Q --periods 5 \
    --from 2026-10-05 -o table

echo "# a cohort dataset, defined once and refreshed (cron: hourly)"
"${bin}rta-store" cohort -s "$s" --define --from-dataset events \
    --to-dataset cohorts_1w --bucket 1w --user payload.user_id \
    --activity page_view
"${bin}rta-store" cohort -s "$s" --all |
    jq -c '{cohort, changed_buckets, events_in, users, records_out}'
"${bin}rta-query" -s "$s" -d events --tenant acme $Q --periods 5 \
    --from 2026-10-05 --explain | sed -n '1,2p'
"${bin}rta-query" -s "$s" -d events --tenant acme $Q --periods 5 \
    --from 2026-10-05 -o csv | head -n 3

echo "# a late event: u3 of acme was first seen in September"
echo '{"event_id":"late-1","timestamp":"2026-09-30T09:00:00Z","event_type":"page_view","tenant_id":"acme","payload":{"user_id":"u3"}}' |
    "${bin}rta-store" ingest -s "$s" -d events --dedup-horizon 400d
"${bin}rta-store" cohort -s "$s" --all |
    jq -c '{changed_buckets, events_in, moved, records_out}'
"${bin}rta-query" -s "$s" -d events --tenant acme $Q --periods 2 \
    --from 2026-09-28 --to 2026-10-12 -o table

#!/bin/sh
# The whole pipeline as one script, pipeline.sh: rta-cat, rta-validate,
# rta-dedup, rta-enrich, a tee to the raw events' dataset, one-minute
# windows into an aggregate dataset and a watch that stores its alerts.
# Run with rta frames between the stages (the default) and with NDJSON
# (-f ndjson), it stores the same records; every stage's counts balance
# and each stage reads what the one before it passed on.
set -eu
cd "$(dirname "$0")"
bin=${RTA_BIN:+$RTA_BIN/}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

"${bin}rta-gen" --seed 20 --count 20000 --tenants 5 --eps 20 \
    --duplicates 0.02 --malformed 0.01 --late 0.01 --disorder 2s \
    --watermark-every 10s >"$tmp/in.ndjson"

# in, out, rejected and dropped of a stage's metrics file
counts() {
	awk '/^rta_records_(in|out|rejected|dropped)_total\{stage="[^"]*"\} / {
		printf "%s%s", sep, $2; sep = " " } END { print "" }' "$1"
}

for f in rta ndjson; do
	echo "# pipeline.sh -f $f"
	status=0
	sh pipeline.sh -f "$f" -s "$tmp/store-$f" -w "$tmp/work-$f" \
	    -R data/users.csv "$tmp/in.ndjson" || status=$?
	echo "exit status $status"
	printf '%-14s %6s %6s %8s %7s\n' stage in out rejected dropped
	for s in cat validate dedup enrich store-events window store-metrics \
	    watch store-alerts; do
		# shellcheck disable=SC2046
		printf '%-14s %6s %6s %8s %7s\n' $s $(counts "$tmp/work-$f/$s.prom")
	done
	for d in events metrics_1m alerts; do
		"${bin}rta-store" cat -s "$tmp/store-$f" -d "$d" -o ndjson \
		    >"$tmp/$f.$d"
	done
done

echo "# the stores hold the same records"
for d in events metrics_1m alerts; do
	cmp -s "$tmp/rta.$d" "$tmp/ndjson.$d" &&
	    echo "$d: $(wc -l <"$tmp/rta.$d") records, the same"
done
echo "# an event as stored, enriched from data/users.csv"
jq -c 'select(.payload.users) | {tenant_id, event_type, user: .payload.user_id,
    users: .payload.users}' "$tmp/rta.events" | head -n 1

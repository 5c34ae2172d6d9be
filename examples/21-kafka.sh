#!/bin/sh
# Kafka through kcat, against mock-kafka (librdkafka's mock cluster in a
# process of its own; `make` builds it into build/tests/ for the tests).
# Events are produced keyed by tenant, so each tenant stays on one
# partition; the pipeline consumes them with their positions into the
# store; after a stop half way, kcat resumes from `rta-store offsets`
# and the store ends with every event once.
set -eu
cd "$(dirname "$0")"
bin=${RTA_BIN:+$RTA_BIN/}
tmp=$(mktemp -d)
trap 'exec 9>&-; rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
export RTA_NOW=2026-11-26T12:00:00Z

# the broker lives while fd 9 is open: the end of this script stops it
mkfifo "$tmp/ctl"
"${RTA_BIN:-../build}/tests/mock-kafka" -b 3 -t events:4 <"$tmp/ctl" >"$tmp/boot" &
exec 9>"$tmp/ctl"
while [ ! -s "$tmp/boot" ]; do sleep 0.05; done
B=$(cat "$tmp/boot")
C="-b $B -q -X fetch.wait.max.ms=10"

pipeline() {
	"${bin}rta-cat" --from kcat-json -o rta |
	    "${bin}rta-validate" -s data/schemas |
	    "${bin}rta-dedup" |
	    "${bin}rta-store" ingest -s "$tmp/store" -d events
}

echo "# produce 2,000 events keyed by tenant_id, the first half"
"${bin}rta-gen" --seed 20 --count 2000 --tenants 6 >"$tmp/ev.ndjson"
"${bin}rta-cat" --kafka-key tenant_id "$tmp/ev.ndjson" >"$tmp/keyed"
head -1 "$tmp/keyed" | cut -c 1-60
head -1000 "$tmp/keyed" | kcat -P -b "$B" -q -t events -K '\t'

echo "# consume what is there into the store"
"${bin}rta-store" init -s "$tmp/store"
kcat -C $C -t events -o beginning -e -u -J | pipeline
"${bin}rta-store" offsets -s "$tmp/store" -d events | sort -k4

echo "# the second half, and resume each partition where the store ends"
tail -n +1001 "$tmp/keyed" | kcat -P -b "$B" -q -t events -K '\t'
"${bin}rta-store" offsets -s "$tmp/store" -d events | while read -r args
do
	kcat -C $C $args -e -u -J
done | pipeline
"${bin}rta-store" offsets -s "$tmp/store" -d events | sort -k4

echo "# each tenant on one partition"
kcat -C $C -t events -o beginning -e -f '%k %p\n' | sort | uniq -c

echo "# stored: every event once"
"${bin}rta-store" cat -s "$tmp/store" -d events -o ndjson | sort >"$tmp/got"
wc -l <"$tmp/got"
sort "$tmp/ev.ndjson" | cmp -s - "$tmp/got" &&
    echo "the same events as produced"

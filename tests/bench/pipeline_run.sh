#!/bin/sh
# pipeline_run.sh BIN SCHEMAS USERS STORE DIR [rta-window options]: the
# pipeline section's pipeline, on NDJSON from stdin, into the store STORE
# (made by rta-store init): the stages and options of
# examples/pipeline.sh but its watch,
#
#	rta-cat | rta-validate | rta-dedup | rta-enrich
#	    | tee -> rta-store ingest -d events         (the raw events)
#	    | rta-window --tumbling 1m | rta-store ingest -d m
#
# windows by tenant and event type, count and sum:payload.value.  DIR
# gets each stage's --metrics file (NAME.prom), the dead letters, the
# duplicates, the late events, each stage's exit status (status/NAME)
# and its user and system CPU seconds and peak RSS in KiB (time/NAME,
# from /usr/bin/time).  Exit status 0 when every stage ended with 0 or 1
# (records rejected, all accounted for), else 3.  rta-dedup keeps no
# checkpoint before the store, as examples/pipeline.sh.
set -u
[ $# -ge 5 ] || {
	echo "usage: pipeline_run.sh BIN SCHEMAS USERS STORE DIR" \
	    "[rta-window options]" >&2
	exit 2
}
b=$1 schemas=$2 users=$3 store=$4 dir=$5
shift 5

mkdir -p "$dir/status" "$dir/time" || exit 3
rm -f "$dir/raw.fifo"
mkfifo "$dir/raw.fifo" || exit 3

run() {
	name=$1
	shift
	/usr/bin/time -f '%U %S %M' -o "$dir/time/$name" "$@"
	echo $? >"$dir/status/$name"
}

run store-events "$b/rta-store" ingest -q -s "$store" -d events \
    --max-future 0 --dead-letter "$dir/dead-letters.ndjson" \
    --metrics "$dir/store-events.prom" <"$dir/raw.fifo" &
run cat "$b/rta-cat" -q -o rta --dead-letter "$dir/dead-letters.ndjson" \
    --metrics "$dir/cat.prom" |
run validate "$b/rta-validate" -q -s "$schemas" \
    --dead-letter "$dir/invalid.ndjson" --metrics "$dir/validate.prom" |
run dedup "$b/rta-dedup" -q --ttl 1h \
    --duplicates "$dir/duplicates.ndjson" --metrics "$dir/dedup.prom" |
run enrich "$b/rta-enrich" -q --ref "$users" --on payload.user_id \
    --metrics "$dir/enrich.prom" |
run tee tee "$dir/raw.fifo" |
run window "$b/rta-window" -q --tumbling 1m --by tenant_id,event_type \
    --agg count,sum:payload.value --max-delay 5s --allowed-lateness 15m \
    --late "$dir/late.ndjson" --metrics "$dir/window.prom" "$@" |
run store-m "$b/rta-store" ingest -q -s "$store" -d m --max-future 0 \
    --dead-letter "$dir/dead-letters.ndjson" --metrics "$dir/store-m.prom"
wait
rm -f "$dir/raw.fifo"

status=0
for s in cat validate dedup enrich tee window store-events store-m; do
	rc=$(cat "$dir/status/$s" 2>/dev/null || echo missing)
	case $rc in
	0|1) ;;
	*) echo "pipeline_run.sh: $s failed (exit $rc)" >&2; status=3 ;;
	esac
done
exit $status

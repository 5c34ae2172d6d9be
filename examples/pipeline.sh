#!/bin/sh
# pipeline.sh: the whole rta pipeline, from an event stream to a store.
#
#	usage: pipeline.sh [-l] [-f rta|ndjson] [-K keys -P privacy.conf]
#	           [-R users.csv] [-S schemas] -s store -w workdir [file ...]
#
# Reads NDJSON or rta frames (the files, or standard input: kcat, socat,
# a FIFO) and runs
#
#	rta-cat | rta-validate | rta-dedup | rta-enrich
#	    | tee -> rta-store ingest -d events         (the raw events)
#	    | tee -> rta-window --detect ...            (the pipeline's watch)
#	          -> rta-store ingest -d alerts
#	    | rta-window --tumbling 1m ... | rta-store ingest -d metrics_1m
#
# -f is the encoding between the stages: rta frames (the default, the
# fast path) or NDJSON (to read the stream with jq, or splice in tools
# that speak only text); the store holds the same records either way.
# -l is for a live stream: windows also give early results every 5 s of
# event time and close on the wall clock when input stops (--idle), so a
# dashboard moves.  -R joins each event's payload.user_id with a user
# table, -P and -K apply privacy rules (rta-privacy(5)).
#
# The workdir gets each stage's metrics (NAME.prom, Prometheus text),
# dead letters (dead-letters.ndjson, invalid.ndjson), the duplicates set
# aside (duplicates.ndjson), events too late for their window
# (late.ndjson) and each stage's exit status (status/NAME).  rta-dedup
# keeps no checkpoint: the store, after it, is the one that acknowledges
# (rta-dedup(1), CAVEATS).  The exit status is 0 when every stage
# ended with 0 or 1 (1: some records rejected, all of them accounted
# for), else 3.  RTA_BIN names the directory of the programs (default:
# $PATH).
set -u
here=$(cd "$(dirname "$0")" && pwd)
b=${RTA_BIN:+$RTA_BIN/}

usage() {
	echo "usage: pipeline.sh [-l] [-f rta|ndjson] [-K keys -P privacy.conf]" \
	    "[-R users.csv] [-S schemas] -s store -w workdir [file ...]" >&2
	exit 2
}

fmt=rta live='' keys='' privacy='' ref='' store='' work=''
schemas=$here/data/schemas
while getopts f:K:lP:R:S:s:w: opt; do
	case $opt in
	f) fmt=$OPTARG ;;
	K) keys=$OPTARG ;;
	l) live=1 ;;
	P) privacy=$OPTARG ;;
	R) ref=$OPTARG ;;
	S) schemas=$OPTARG ;;
	s) store=$OPTARG ;;
	w) work=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
case $fmt in rta|ndjson) ;; *) usage ;; esac
{ [ -n "$store" ] && [ -n "$work" ]; } || usage
[ -z "$privacy" ] || [ -n "$keys" ] || usage

mkdir -p "$work/status" || exit 3
[ -f "$store/rta-store" ] || "${b}rta-store" init -s "$store" || exit 3

# The tee's second and third readers take their input from FIFOs.
rm -f "$work/events.fifo" "$work/watch.fifo" "$work/alerts.fifo"
mkfifo "$work/events.fifo" "$work/watch.fifo" "$work/alerts.fifo" || exit 3
pids=
trap 'kill $pids 2>/dev/null' INT TERM HUP

# run NAME COMMAND...: run one stage and keep its exit status.
run() {
	name=$1
	shift
	"$@"
	echo $? >"$work/status/$name"
}

# Live streams: early results, and windows that close on the wall clock.
wopts=
[ -z "$live" ] || wopts="--emit-every 5s --idle 10s"

# The raw events, each stored once per tenant and event_id.
run store-events "${b}rta-store" ingest -q -s "$store" -d events \
    --dead-letter "$work/dead-letters.ndjson" \
    --metrics "$work/store-events.prom" <"$work/events.fifo" &
pids="$pids $!"

# The watch: page latency and error counts over all tenants in 5-minute
# windows, compared with the last hour; an alert is an rta.alert event,
# stored in the dataset the dashboard marks its charts from.  The
# windows themselves are not kept (metrics_1m holds finer ones).
run store-alerts "${b}rta-store" ingest -q -s "$store" -d alerts \
    --dead-letter "$work/dead-letters.ndjson" \
    --metrics "$work/store-alerts.prom" <"$work/alerts.fifo" &
pids="$pids $!"
# shellcheck disable=SC2086
run watch "${b}rta-window" -q --tumbling 5m --by event_type \
    --agg p95:payload.latency_ms,count --max-delay 5s \
    --detect zscore:6 --min-history 12 $wopts \
    --alerts "$work/alerts.fifo" --metrics "$work/watch.prom" \
    <"$work/watch.fifo" >/dev/null &
pids="$pids $!"

# rta-enrich is given only the options it was asked for, and is left
# out when there is nothing to join and no privacy rule.
enrich() {
	set --
	[ -z "$ref" ] || set -- "$@" --ref "$ref" --on payload.user_id
	[ -z "$privacy" ] || set -- "$@" --privacy "$privacy" --keys "$keys"
	if [ $# = 0 ]; then
		run enrich cat
		return
	fi
	run enrich "${b}rta-enrich" -q -o "$fmt" "$@" \
	    --metrics "$work/enrich.prom"
}

# shellcheck disable=SC2086
run cat "${b}rta-cat" -q -o "$fmt" --dead-letter "$work/dead-letters.ndjson" \
    --metrics "$work/cat.prom" "$@" |
run validate "${b}rta-validate" -q -o "$fmt" -s "$schemas" --upgrade \
    --max-future 5m --dead-letter "$work/invalid.ndjson" \
    --metrics "$work/validate.prom" |
run dedup "${b}rta-dedup" -q -o "$fmt" --ttl 1h \
    --duplicates "$work/duplicates.ndjson" --metrics "$work/dedup.prom" |
enrich |
tee "$work/events.fifo" "$work/watch.fifo" |
run window "${b}rta-window" -q -o "$fmt" --tumbling 1m \
    --by tenant_id,event_type \
    --agg count,sum:payload.value,p95:payload.latency_ms,distinct:payload.user_id \
    --max-delay 5s --allowed-lateness 15m --late "$work/late.ndjson" \
    $wopts --metrics "$work/window.prom" |
run store-metrics "${b}rta-store" ingest -q -s "$store" -d metrics_1m \
    --dead-letter "$work/dead-letters.ndjson" \
    --metrics "$work/store-metrics.prom"
wait
rm -f "$work/events.fifo" "$work/watch.fifo" "$work/alerts.fifo"

status=0
for s in cat validate dedup enrich window watch store-events store-alerts \
    store-metrics; do
	rc=$(cat "$work/status/$s" 2>/dev/null || echo missing)
	case $rc in
	0|1) ;;
	*) echo "pipeline.sh: $s failed (exit $rc)" >&2; status=3 ;;
	esac
done
exit $status

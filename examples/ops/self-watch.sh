#!/bin/sh
# self-watch.sh: rta's own metrics as events, for rta-window's anomaly
# detection to watch the pipeline itself.
#
#	usage: self-watch.sh [-i seconds] [-n samples] file.prom ...
#
# Every -i seconds (default 10) it reads each stage's --metrics file and
# writes an NDJSON event per file: event_type "rta.metrics", tenant
# "_rta", and a payload of the stage, the file and, since the sample
# before, the records in, out, rejected and dropped, and the event-time
# lag in seconds.  -n stops after so many samples (default: never).
# Fed to rta-window, an alert is a stage whose rate or lag stands out
# from its last hour:
#
#	self-watch.sh /var/lib/rta/work/*.prom |
#	    rta-window --tumbling 1m --by payload.file \
#	        --agg sum:payload.rejected,max:payload.lag_seconds,sum:payload.in \
#	        --detect zscore:4 --min-history 30 --idle 30s \
#	        --alerts /var/lib/rta/work/self-alerts.ndjson >/dev/null
set -eu
interval=10 samples=0
while getopts i:n: opt; do
	case $opt in
	i) interval=$OPTARG ;;
	n) samples=$OPTARG ;;
	*) echo "usage: self-watch.sh [-i seconds] [-n samples] file.prom ..." >&2
	   exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { echo "usage: self-watch.sh [-i seconds] [-n samples] file.prom ..." >&2; exit 2; }
state=$(mktemp "${TMPDIR:-/tmp}/self-watch.XXXXXX")
trap 'rm -f "$state"' EXIT
trap 'exit 143' INT TERM HUP

n=0
while :; do
	now=$(date -u +%Y-%m-%dT%H:%M:%S.%6NZ)
	i=0
	for f in "$@"; do
		i=$((i + 1))
		[ -r "$f" ] || continue
		# the unlabelled-by-reason series of the file, then the
		# previous sample's counters to subtract
		awk -v f="$f" -v i="$i" -v now="$now" -v state="$state" '
		function num(s) { return s + 0 }
		BEGIN {
			while ((getline l < state) > 0) {
				split(l, p, "\t")
				if (p[1] == f) {
					was["in"] = p[2]; was["out"] = p[3]
					was["rejected"] = p[4]; was["dropped"] = p[5]
					seen = 1
				}
			}
		}
		/^rta_records_(in|out|rejected|dropped)_total\{stage="[^"]*"\} / {
			k = $1; sub(/^rta_records_/, "", k); sub(/_total.*/, "", k)
			v[k] = num($2)
			st = $1; sub(/.*stage="/, "", st); sub(/".*/, "", st)
		}
		/^rta_event_time_lag_seconds\{/ { lag = num($2) }
		END {
			if (st == "") exit
			printf "%s\t%d\t%d\t%d\t%d\n", f, v["in"], v["out"],
			    v["rejected"], v["dropped"] >> (state ".new")
			if (!seen) exit	# a first sample has no rates yet
			printf "{\"event_id\":\"self-%s-%d\",\"timestamp\":\"%s\"," \
			    "\"event_type\":\"rta.metrics\",\"tenant_id\":\"_rta\"," \
			    "\"schema_version\":1,\"payload\":{\"stage\":\"%s\"," \
			    "\"file\":\"%s\",\"in\":%d,\"out\":%d,\"rejected\":%d," \
			    "\"dropped\":%d,\"lag_seconds\":%.3f}}\n", now, i, now,
			    st, f, v["in"] - was["in"], v["out"] - was["out"],
			    v["rejected"] - was["rejected"],
			    v["dropped"] - was["dropped"], lag
		}' "$f"
	done
	[ -e "$state.new" ] && mv "$state.new" "$state"
	n=$((n + 1))
	[ "$samples" -gt 0 ] && [ "$n" -ge "$samples" ] && break
	sleep "$interval"
done

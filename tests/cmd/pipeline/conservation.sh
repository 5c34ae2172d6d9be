# Nothing is lost, nothing is made up: a generated stream with known
# numbers of valid, malformed, duplicate, late and future events through
# the whole pipeline (examples/pipeline.sh).  rta-gen --stats says what it
# made; every stage balances and passes on what the one before it gave
# it; each record set aside is in its file; the store holds exactly the
# event ids an oracle outside rta (jq and grep on the NDJSON) finds
# valid, each once; the 1-minute windows' counts sum to the events on
# time.  rta frames from rta-gen are checked the same way against the
# oracle of their NDJSON twin (without malformed records, rta-gen's
# formats draw the same events; with them, each format breaks its own
# records and the streams part ways), and against rta-gen's counts with
# flipped bits.  NDJSON between the stages gives the same store.
. "$TESTS/cmd/pipeline/pipeline.inc"

gen() {
	rta-gen --seed 11 --count 3000 --tenants 6 --start 2026-11-26T09:00:00Z \
	    --late 0.03 --duplicates 0.05 --malformed 0.03 --future 0.01 \
	    --future-by 2h --late-by 30m --disorder 2s --watermark-every 10s --stats "$@"
}
gen >in.ndjson 2>in.stats
gen -o rta >in.rta 2>rta.stats
gen --malformed 0 >twin.ndjson 2>twin.stats
gen --malformed 0 -o rta >clean.rta 2>clean.stats
cmp -s twin.stats clean.stats || echo "rta-gen: the twins' stats differ"

# The oracle: the ids of the lines that are UTF-8, JSON objects with the
# four fields as strings, a real month in the timestamp and no more than
# rta-validate's --max-future 5m ahead of RTA_NOW (10:00); each id once.
oracle() {
	LC_ALL=C.UTF-8 grep -ax '.*' "$1" |
    jq -R -r 'fromjson? | objects | select(has("$rta") | not) |
	select((.event_id | type) == "string" and
	    (.tenant_id | type) == "string" and
	    (.event_type | type) == "string" and
	    (.timestamp | type) == "string") |
	select(.timestamp | test("^[0-9]{4}-(0[1-9]|1[0-2])-")) |
	select(.timestamp <= "2026-11-26T10:05:00") | .event_id' |
	    sort -u
}

# check NAME STATS [ORACLE]: the run's ledger, rta-gen's counts, and the
# stored ids
check() {
	w=$1.work s=$1.store ids=${3:-}
	echo "== $1: exit $(cat $w.exit)"
	sed 's/^rta-gen: /generated: /' $2
	set -- $1 $(sed -n 's/.*: \([0-9]*\) records: \([0-9]*\) events, \([0-9]*\) duplicates, \([0-9]*\) malformed, \([0-9]*\) late, \([0-9]*\) future, \([0-9]*\) watermarks$/\1 \2 \3 \4 \5 \6 \7/p' $2)
	records=$2 events=$3 dups=$4 malformed=$5 late=$6 future=$7 wms=$8
	ledger $w $s
	i=$(metric rta_records_in_total cat $w)
	r=$(metric rta_records_rejected_total cat $w)
	vr=$(metric rta_records_rejected_total validate $w)
	dd=$(metric rta_records_dropped_total dedup $w)
	wd=$(metric rta_records_dropped_total window $w)
	echo "rta-cat read $i (records $records - watermarks $wms:" \
	    "$((records - wms))), rejected $r (malformed $malformed)"
	echo "rta-validate rejected $vr + rta-dedup dropped $dd = $((vr + dd))" \
	    "(future $future + duplicates $dups = $((future + dups)))"
	echo "rta-window: $wd late (rta-gen stamped $late late)"
	rta-store cat -s $s -d events -o ndjson | jq -r .event_id | sort >$1.ids
	echo "stored $(wc -l <$1.ids) events (rta-gen: $events events -" \
	    "$future in the future = $((events - future)))"
	[ -z "$ids" ] || if cmp -s $1.ids $ids; then
		echo "stored event ids: the oracle's ($(wc -l <$ids)), each once"
	else
		echo "stored event ids differ from the oracle's:"
		diff $ids $1.ids | head -5
	fi
	rta-store cat -s $s -d events -o ndjson >$1.events
	rta-store cat -s $s -d metrics_1m -o ndjson >$1.metrics
}

oracle in.ndjson >in.ids
oracle twin.ndjson >twin.ids
pipe ndjson.store ndjson.work in.ndjson
check ndjson in.stats in.ids
pipe text.store text.work -f ndjson in.ndjson
check text in.stats in.ids
pipe clean.store clean.work clean.rta
check clean clean.stats twin.ids
pipe rta.store rta.work in.rta
check rta rta.stats
for f in events metrics; do
	cmp -s ndjson.$f text.$f &&
	    echo "$f: the same store with NDJSON between the stages" ||
	    echo "$f: NDJSON between the stages gives another store"
done

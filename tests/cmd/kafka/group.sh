# Two pipelines in one consumer group (kcat -G): the group splits the
# partitions between them, each stores what it was given, and together
# they store every event once, while the producer is still writing.
. "$TESTS/kafka/kafka.sh"
start_mock -b 3 -t events:4
trap 'kill_all TERM kcat' EXIT

# A new member waits out the mock's 3 s join delay; a short session
# timeout keeps a rejoin short (it must stay above that delay).
G="-X session.timeout.ms=6000 -X heartbeat.interval.ms=500
    -X auto.offset.reset=earliest"
for i in 1 2; do
	rta-store init -s st$i
	{ spawn kcat kcat -b "$B" -X fetch.wait.max.ms=10 $G -G rta -u -J \
	    events 2>kcat$i.err |
	    rta-cat --from kcat-json -o rta |
	    rta-validate -s "$DATA/validate/schemas" |
	    rta-dedup |
	    rta-store ingest -s st$i -d events --sync-every 20ms
	  echo $? >exit$i; } &
	eval pipe$i=\$!
done
# settled: each member's last rebalance assigned it partitions, and
# together they hold all four
split() {
	for i in 1 2; do
		grep 'rebalanced' kcat$i.err | tail -1 | grep 'assigned:' |
		    grep -o 'events \[[0-9]*\]'
	done | sort -u | wc -l | grep -qx 4
}
wait_for 30 split || echo "the group did not settle in 30 s"

rta-gen -s 9 -c 6000 -t 16 --duplicates 0.01 >in.ndjson
rta-cat --kafka-key tenant_id in.ndjson | kcat -P $KP -t events -K '\t'
grep -o '"event_id":"[^"]*"' in.ndjson | sort -u >want
stored() {
	n=0
	for i in 1 2; do
		n=$((n + $(rta-store cat -s st$i -d events -o ndjson | wc -l)))
	done
	[ "$n" -ge "$(wc -l <want)" ]
}
wait_for 30 stored || echo "not all stored in 30 s"
kill_all TERM kcat
wait "$pipe1" "$pipe2"
echo "pipelines: exit $(cat exit1) and $(cat exit2)"

for i in 1 2; do
	rta-store offsets -s st$i -d events | awk '{ print $4 }' >parts$i
	echo "st$i: $(wc -l <parts$i) partitions"
done
sort parts1 parts2 | uniq -d | awk 'END { print NR,
    "partitions in both stores" }'
for i in 1 2; do
	rta-store cat -s st$i -d events -o ndjson |
	    grep -o '"event_id":"[^"]*"' | sort >ids$i
	echo "st$i: $(wc -l <ids$i | awk '{ print ($1 > 0) ? "some" : "no" }') events"
done
sort ids1 ids2 >ids
echo "together: $(wc -l <ids) events of $(wc -l <want)," \
    "$(comm -23 want ids | wc -l) missing, $(uniq -d ids | wc -l) duplicated"
end_offsets events | awk '{ print "-t events -p", $1, "-o", $2 }' >want.off
{ rta-store offsets -s st1 -d events; rta-store offsets -s st2 -d events; } |
    sort -k4 | cmp -s want.off - &&
    echo "their offsets: the end of every partition"
stop_mock

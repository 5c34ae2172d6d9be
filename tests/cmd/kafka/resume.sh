# Crash and resume on a live stream: while a producer writes, each stage
# of the pipeline in turn (kcat, rta-cat, rta-validate, rta-dedup,
# rta-store) is killed with kill -9, and the pipeline restarts from
# rta-store offsets.  The store ends with every produced event once.
#
# One kcat per partition starts at the partition's resume offset (kcat -C
# takes one -o).  Each feeds its own rta-cat -u, whose every record is one
# write of one NDJSON line, so that the lines of four writers into one
# pipe never tear.
. "$TESTS/kafka/kafka.sh"
start_mock -b 3 -t events:4
trap 'kill_all TERM kcat' EXIT

rta-gen -s 10 -c 24000 -t 16 --duplicates 0.01 >in.ndjson
grep -o '"event_id":"[^"]*"' in.ndjson | sort -u >want
rta-cat --kafka-key tenant_id in.ndjson | split -l 1000 -a 2 - chunk.
ls chunk.* >chunks
rta-store init -s st

start() {
	rm -f pid.*
	rta-store offsets -s st -d events >resume.off 2>/dev/null
	# killed stages make their neighbours complain: kept aside
	{
		for p in 0 1 2 3; do
			o=$(awk -v p=$p '$4 == p { print $6 }' resume.off)
			spawn kcat kcat -C $KC -t events -p $p \
			    -o "${o:-beginning}" -u -J |
			    spawn cat rta-cat --from kcat-json -o ndjson -u &
		done |
		    spawn validate rta-validate -s "$DATA/validate/schemas" \
		    -o rta |
		    spawn dedup rta-dedup |
		    spawn store rta-store ingest -s st -d events \
		    --sync-every 20ms
	} 2>>pipeline.err &
	wait_for 10 '[ -s pid.store ] && [ "$(cat pid.kcat 2>/dev/null |
	    wc -l)" = 4 ]' ||
	    echo "the pipeline did not start"
}

# the supervisor's part: whatever died, stop the rest, wait for the store
stop() {
	kill_all TERM kcat
	wait_for 20 '! kill -0 $(cat pid.store) 2>/dev/null' ||
	    echo "rta-store did not stop"
}

stored() {
	rta-store cat -s st -d events -o ndjson | wc -l
}

start
for stage in kcat cat validate dedup store; do
	before=$(stored)
	produce 4 &
	producer=$!
	# mid-stream: some of this batch stored, the producer still writing
	wait_for 30 '[ $(stored) -ge $((before + 1500)) ]' ||
	    echo "$stage: nothing stored"
	kill_all KILL "$stage" && echo "killed $stage ($(wc -l <pid.$stage))"
	stop
	wait "$producer"
	start
done
produce 100
wait_for 30 '[ $(stored) -ge $(wc -l <want) ]' || echo "not all stored"
stop

rta-store cat -s st -d events -o ndjson |
    grep -o '"event_id":"[^"]*"' | sort >ids
echo "$(wc -l <ids) events of $(wc -l <want):" \
    "$(comm -23 want ids | wc -l) missing," \
    "$(uniq -d ids | wc -l) duplicated, $(comm -13 want ids | wc -l) unknown"
end_offsets events | awk '{ print "-t events -p", $1, "-o", $2 }' >want.off
rta-store offsets -s st -d events | sort -k4 | cmp -s want.off - &&
    echo "offsets: the end of every partition"
rta-store fsck -s st -d events >/dev/null && echo "fsck: clean"
stop_mock

# Crash and resume of a stateful stage: kcat, rta-cat and rta-window
# (with --state) are each killed with kill -9 on a live stream, and the
# pipeline restarts from rta-window offsets.  The window results (the
# last version of each record) equal those of an uninterrupted run.
#
# rta-window reads a FIFO that the supervisor (this script) holds open,
# so that a crash upstream is not the end of the input (which closes
# every window, as a finished file does).  The supervisor stops
# rta-window with SIGTERM instead, which keeps the open windows in its
# checkpoint, and restarts every stage from there.
. "$TESTS/kafka/kafka.sh"
start_mock -b 3 -t events:4
trap 'kill_all TERM kcat; kill_all TERM window' EXIT

rta-gen -s 11 -c 16000 -t 8 --disorder 20s >in.ndjson
rta-cat --kafka-key tenant_id in.ndjson | split -l 1000 -a 2 - chunk.
ls chunk.* >chunks
# the lateness allowed is longer than the stream's 34 minutes of event
# time: the partitions are read in no fixed order (one kcat reading a
# partition ahead moves the watermark), and no event may be too late
# for one run and not for the other
set -- --tumbling 1m --by tenant_id,event_type --max-delay 2m \
    --allowed-lateness 3h \
    --agg count,sum:payload.latency_ms,max:payload.value,p95:payload.latency_ms

# $1: kcat options beyond the offset (-e for the last run)
start() {
	rm -f pid.* in.fifo
	mkfifo in.fifo
	spawn window rta-window --state W --checkpoint-every 300r "$@" \
	    <in.fifo >>win.ndjson 2>>pipeline.err &
	exec 7<>in.fifo
	rta-window offsets --state W >resume.off 2>/dev/null
	for p in 0 1 2 3; do
		o=$(awk -v p=$p '$4 == p { print $6 }' resume.off)
		spawn kcat kcat -C $KC -t events -p $p -o "${o:-beginning}" \
		    -u -J $kopt |
		    spawn cat rta-cat --from kcat-json -o ndjson -u &
	done >in.fifo 2>>pipeline.err
	wait_for 10 '[ -s pid.window ] && [ "$(cat pid.kcat 2>/dev/null |
	    wc -l)" = 4 ]' || echo "the pipeline did not start"
}

# whatever died: stop the window with SIGTERM (it keeps its open
# windows), then the rest
stop() {
	kill_all TERM window
	wait_for 20 '! kill -0 $(cat pid.window) 2>/dev/null' ||
	    echo "rta-window did not stop"
	kill_all TERM kcat
	exec 7>&-
}

handled() {
	rta-window offsets --state W 2>/dev/null |
	    awk '{ n += $6 } END { print n + 0 }'
}

kopt=
start "$@"
for stage in kcat cat window; do
	before=$(handled)
	produce 4 &
	producer=$!
	wait_for 30 '[ $(handled) -ge $((before + 1500)) ]' ||
	    echo "$stage: nothing handled"
	kill_all KILL "$stage" && echo "killed $stage ($(wc -l <pid.$stage))"
	stop
	wait "$producer"
	start "$@"
done
produce 100
# the last run reads to the end of every partition, and its end closes
# every window
stop
kopt=-e
start "$@"
wait_for 30 '[ "$(cat pid.kcat | while read p; do kill -0 $p 2>/dev/null &&
    echo $p; done)" = "" ]' || echo "kcat did not reach the end"
exec 7>&-
wait_for 30 '! kill -0 $(cat pid.window) 2>/dev/null' ||
    echo "rta-window did not end"

kcat -C $KC -t events -o beginning -e -u -J |
    rta-cat --from kcat-json -o rta | rta-window -o ndjson "$@" >ref.ndjson
last() {
	jq -c -s 'group_by(.record_id) | map(max_by(.version)) |
	    .[] | [.record_id, .results]' "$1" | sort
}
last ref.ndjson >ref.last
last win.ndjson >win.last
echo "$(wc -l <ref.last) windows; after the crashes:" \
    "$(comm -23 ref.last win.last | wc -l) differ or missing," \
    "$(comm -13 ref.last win.last | wc -l) extra"
cmp -s ref.last win.last && echo "the same results"
stop_mock

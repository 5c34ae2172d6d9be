# examples/ops/tcp-ingest.sh, the socat recipe for many producers at
# once: eight producers send NDJSON at the same time, in 4 KiB pieces,
# and one pipeline takes every record untorn: its rta-cat reads every
# line and rejects none, and the store holds each event exactly once.
ex=$TESTS/../examples
# the real clock: the stages rewrite their metrics every 5 s of it
unset RTA_NOW
for i in 1 2 3 4 5 6 7 8; do
	rta-gen -s $i -c 3000 --tenants 4 | sed "s/\"event_id\":\"/&p$i-/" \
	    >p$i.ndjson
done
cat p?.ndjson >want

# a free port, from a random base: socat says whether it listens
base=$(($(od -An -N2 -tu2 /dev/urandom) % 12000 + 20000))
for try in 0 1 2 3 4 5 6 7 8 9; do
	port=$((base + try))
	setsid sh "$ex/ops/tcp-ingest.sh" $port "$PWD/in.fifo" -s "$PWD/st" \
	    -w "$PWD/work" 2>ingest.err &
	pid=$!
	i=0
	while [ $i -lt 100 ] && ! socat -u /dev/null TCP:127.0.0.1:$port \
	    2>/dev/null; do
		sleep 0.05
		i=$((i + 1))
	done
	[ $i -lt 100 ] && break
	kill -- -$pid 2>/dev/null
	wait $pid
done
# the probe above was an empty connection: nothing to ingest

for i in 1 2 3 4 5 6 7 8; do
	# 4 KiB pieces, so that lines are cut between two writes
	dd if=p$i.ndjson bs=4096 2>/dev/null | socat -u -b 4096 STDIN \
	    TCP:127.0.0.1:$port &
done
wait_producers() {
	for p in $(jobs -p); do
		[ "$p" = "$pid" ] || wait "$p"
	done
}
wait_producers

# until the store and rta-cat's metrics have them all (or 60 s): the
# metrics are rewritten every few seconds
i=0
while [ $i -lt 600 ]; do
	n=$(awk '$1 == "rta_store_records_stored_total" { print $2 }' \
	    work/store-events.prom 2>/dev/null)
	c=$(awk '/^rta_records_in_total/ { print $2 }' work/cat.prom 2>/dev/null)
	[ "${n:-0}" -ge 24000 ] && [ "${c:-0}" -ge 24000 ] && break
	sleep 0.1
	i=$((i + 1))
done
kill -- -$pid
wait $pid 2>/dev/null

echo "sent: $(cat p?.ndjson | wc -l) events from 8 producers at once"
awk '/^rta_records_(in|out|rejected)_total\{stage="rta-cat"\} /' \
    work/cat.prom
echo "dead letters: $(cat work/dead-letters.ndjson 2>/dev/null | wc -l)"
ids() {
	sed 's/^{"event_id":"\([^"]*\)".*/\1/' | sort
}
rta-store cat -s st -d events -o ndjson | ids >got
echo "stored: $(wc -l <got)"
ids <want | cmp -s - got && echo "each event once"

# A dataset of aggregate records (rta-window's output) keeps every
# version and reads back, per (tenant, record id), the highest version
# (the later one on a tie): with --emit-every, cat equals the final
# records, whatever order the versions came in.  A dataset holds one
# kind: a record of the other kind is dead-lettered "wrong-kind".
rta-gen -s 24 -c 6000 --tenants 4 >ev.ndjson
W="--tumbling 1m --by tenant_id --agg count,sum:payload.value --emit-every 20s"
rta-window $W -o ndjson ev.ndjson >agg.ndjson
rta-window $W -o rta ev.ndjson >agg.rta
grep '"final":true' agg.ndjson | sort >final
echo "window: $(grep -c '"$rta":"aggregate"' agg.ndjson) records, $(wc -l <final) final"
grep -o '"version":[0-9]*' final | sort | uniq -c
rta-store init -s st
check() {
	# $1 dataset, $2 expected (sorted), $3... cat options
	ds=$1 w=$2
	shift 2
	rta-store cat -s st -d "$ds" -o ndjson "$@" >got
	e=$?
	if sort got | cmp -s - "$w"; then r="the final records"; else
		r="NOT the final records"; fi
	echo "cat $ds${*:+ $*}: exit $e, $(wc -l <got) records, $r"
}
rta-store ingest -s st -d m1 agg.rta
echo "ingest: exit $?"
check m1 final
rta-store ingest -s st -d m1 agg.rta
echo "ingest again: exit $?"
check m1 final
echo "-- the versions backwards"
tac agg.ndjson >back.ndjson
rta-store ingest -s st -d m2 back.ndjson
echo "ingest: exit $?"
check m2 final
echo "-- by tenant and by window start"
grep '"tenant_id":"t0001"' final >final1
check m2 final1 --tenant t0001
awk -F'"' '$16 >= "2026-01-01T00:02:00" && $16 < "2026-01-01T00:04:00"' final >final2
echo "$(wc -l <final2) final windows start in [00:02, 00:04)"
check m2 final2 --from 2026-01-01T00:02:00Z --to 2026-01-01T00:04:00Z
echo "-- a tie: the later one"
head -1 final | sed 's/"results":{"count":[0-9]*/"results":{"count":999999/' >tie.ndjson
rta-store ingest -s st -d m2 tie.ndjson || echo "tie: exit $?"
rta-store cat -s st -d m2 -o ndjson | grep -c '"results":{"count":999999'
head -1 final >orig.ndjson
rta-store ingest -s st -d m2 orig.ndjson || echo "orig: exit $?"
rta-store cat -s st -d m2 -o ndjson | grep -c '"results":{"count":999999'
check m2 final
echo "-- wrong kinds"
rta-store ingest -s st -d m1 --dead-letter dl1 ev.ndjson 2>err1
echo "events into aggregates: exit $?, $(grep -c . err1) messages"
head -1 err1
rta-store ingest -s st -d raw ev.ndjson
rta-store ingest -s st -d raw --dead-letter dl2 agg.ndjson 2>err2
echo "aggregates into events: exit $?"
head -1 err2
grep -o '"reason":"[^"]*"' dl1 | sort | uniq -c
grep -o '"reason":"[^"]*"' dl2 | sort | uniq -c
check m1 final
rta-store cat -s st -d raw -o ndjson | sort >got
sort ev.ndjson | cmp - got && echo "raw: the events, nothing else"

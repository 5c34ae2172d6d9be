# rollup --threads: a bucket's tenants divided between threads give the
# records one thread gives, byte for byte and in the same order, and
# those equal windows computed directly.  300 tenants, an hour in one
# storage bucket (its one-minute windows ingested twice, so that every
# record has a superseded copy), rolled up to hours by 1, 2, 3 and 7
# threads (each thread at least 4,096 records).
rta-gen -s 5 -t 300 --eps 40 -d 1h --start 2026-11-20T00:00:00Z -o rta \
    >ev.rta
rta-window --tumbling 1m --by tenant_id,event_type \
    --agg count,sum:payload.value,max:payload.value -o rta ev.rta >w1m.rta
rta-window --tumbling 1h --by tenant_id,event_type \
    --agg count,sum:payload.value,max:payload.value -o ndjson ev.rta >want
for t in 1 2 3 7; do
	rta-store init -s s$t >/dev/null
	rta-store ingest -s s$t -d m w1m.rta
	rta-store ingest -s s$t -d m w1m.rta
	rta-store rollup -s s$t --from-dataset m --to-dataset h --bucket 1h \
	    --threads $t
	echo "threads $t: exit $?"
	rta-store cat -s s$t -d h -o rta >got$t
	rm -rf s$t
done
rm ev.rta
for t in 2 3 7; do
	cmp -s got1 got$t && echo "threads $t: the records of 1 thread"
done
line='select(."$rta" == "aggregate") | [.tenant_id, .start, .end,
    (.group | tojson), .results.count, .results["max:payload.value"]] |
    map(tostring) | join(" ")'
rta-cat -o ndjson got2 | jq -r "$line" | sort >a
jq -r "$line" want | sort >b
echo "$(wc -l <a) rolled up, $(wc -l <b) direct"
cmp -s a b && echo "counts and maxima equal"
rta-store rollup -s s1 --all --threads 0 2>&1 | head -1
# A byte changed in the log's last quarter, then one in its first: the
# log (36 MB) is walked in two halves, and either way the refresh fails
# as one thread's does, naming the same frame.
rta-store init -s sd >/dev/null
rta-store ingest -s sd -d m w1m.rta
rta-store ingest -s sd -d m w1m.rta
log=$(ls sd/m/*.log)
for q in 3 1; do
	python3 -c 'import sys
p, q = sys.argv[1], int(sys.argv[2])
with open(p, "r+b") as f:
    f.seek(0, 2)
    at = f.tell() * q // 4
    f.seek(at)
    b = f.read(1)
    f.seek(at)
    f.write(bytes([b[0] ^ 0x20]))' "$log" $q
	for t in 1 2; do
		rta-store rollup -s sd --from-dataset m --to-dataset h \
		    --bucket 1h --threads $t >/dev/null 2>err$t
		echo "quarter $q, threads $t: exit $?"
	done
	cmp -s err1 err2 && echo "quarter $q: the same error"
	sed 's/offset [0-9]*/offset N/' err2
done

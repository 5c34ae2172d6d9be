# Refreshes run while ingest writes the source (20 ingest runs of
# 1-minute windows with early versions, refreshes in a loop meanwhile):
# every refresh succeeds, and once ingest is done one more gives the
# same rollup as a store that took everything before its first refresh
# (but for the versions, which count the refreshes).
rta-gen -s 17 -t 2 --eps 5 -d 3h --start 2026-11-20T00:00:00Z -o rta >ev.rta
rta-window --tumbling 1m --by tenant_id --agg count,max:payload.value \
    --emit-every 20s -o ndjson ev.rta >m.ndjson
split -n l/20 -d m.ndjson part.
rta-store init -s st
rta-store rollup -s st --define --from-dataset m1 --to-dataset h1 --bucket 1h
rta-store rollup -s st --define --from-dataset h1 --to-dataset d1 --bucket 1d
(for p in part.*; do rta-store ingest -s st -d m1 --bucket 1h "$p"; done
 touch ingest.done) &
runs=0 bad=0
while [ ! -e ingest.done ] || [ $runs -lt 5 ]; do
	rta-store rollup -s st --all >/dev/null 2>err || { bad=1; cat err; }
	runs=$((runs + 1))
done
wait
rta-store rollup -s st --all >/dev/null
[ $bad = 0 ] && echo "every refresh during ingest succeeded"
rta-store init -s clean
rta-store ingest -s clean -d m1 m.ndjson
rta-store rollup -s clean --from-dataset m1 --to-dataset h1 --bucket 1h \
    >/dev/null
rta-store rollup -s clean --from-dataset h1 --to-dataset d1 --bucket 1d \
    >/dev/null
for d in h1 d1; do
	for s in st clean; do
		rta-store cat -s $s -d $d -o ndjson | jq -c 'del(.version)' |
		    sort >$s.$d
	done
	cmp -s st.$d clean.$d && echo "$d: $(wc -l <st.$d) records, as if" \
	    "rolled up once"
done
rta-store rollup -s st --all | jq -c '{rollup, changed_buckets}'

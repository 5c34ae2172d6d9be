# Refreshes read only what changed.  A second refresh with nothing new
# changes nothing (no commit, the same files); compacting the source
# changes nothing; a late update to one old window recomputes its hour
# alone, and the hour then counts it.  Retiring the source's buckets
# leaves the rollups as they are and drops their positions; a late
# update next to retired buckets recomputes its hour but not its day
# (the day's source is no longer whole), and a late record into a
# retired bucket is nothing to roll up.  Definitions: defining one
# again is a no-op, another for the same target or a loop is refused.
rta-gen -s 5 -t 2 --eps 1 -d 12h --start 2026-11-20T00:00:00Z -o rta >ev.rta
rta-window --tumbling 1m --by tenant_id --agg count,max:payload.value \
    -o ndjson ev.rta >m.ndjson
rta-store init -s st
rta-store ingest -s st -d m1 --bucket 1h --close-after 0 m.ndjson
show() {
	jq -c '{changed_buckets, buckets, records_out, commit}'
}
snap() {
	(cd st/h1 && ls -l --time-style=+%s.%N && md5sum -- *)
}
rta-store rollup -s st --from-dataset m1 --to-dataset h1 --bucket 1h | show
rta-store cat -s st -d h1 -o ndjson | sort >first
snap >files
rta-store rollup -s st --from-dataset m1 --to-dataset h1 --bucket 1h | show
snap | cmp -s - files && echo "again: the same files"
rta-store compact -s st -d m1 >/dev/null
ls st/m1 | grep -c 'seg$'
rta-store rollup -s st --from-dataset m1 --to-dataset h1 --bucket 1h | show
echo "-- a late update to a window of 02:xx"
grep -m1 '"start":"2026-11-20T02:17' m.ndjson |
    sed 's/"version":[0-9]*/"version":99/;
	s/"results":{"count":[0-9]*/"results":{"count":1000/;
	s/"type":"count","count":[0-9]*/"type":"count","count":1000/' >late
t=$(jq -r .tenant_id late)
was=$(grep -m1 '"start":"2026-11-20T02:17' m.ndjson | jq .results.count)
rta-store ingest -s st -d m1 late
rta-store rollup -s st --from-dataset m1 --to-dataset h1 --bucket 1h | show
rta-store cat -s st -d h1 -o ndjson >second
f=$(grep -h "\"tenant_id\":\"$t\"" first | grep -m1 '"start":"2026-11-20T02')
s=$(grep -h "\"tenant_id\":\"$t\"" second | grep -m1 '"start":"2026-11-20T02')
echo "02:00 count: was $(echo "$f" | jq .results.count), now" \
    "$(echo "$s" | jq .results.count) (+ 1000 - $was)"
echo "02:00 version: $(echo "$f" | jq .version) -> $(echo "$s" | jq .version)"
sort second | grep -v '"start":"2026-11-20T02' >a
grep -v '"start":"2026-11-20T02' first | cmp -s - a &&
    echo "the other hours as they were"
echo "-- the source retired up to 10:00, with a daily rollup of it"
rta-store rollup -s st --from-dataset m1 --to-dataset d1 --bucket 1d | show
rta-store cat -s st -d d1 -o ndjson >day
rta-store retain -s st -d m1 --days 6 | tail -n 1
echo "m1: $(rta-store cat -s st -d m1 -o ndjson | wc -l) records"
rta-store rollup -s st --from-dataset m1 --to-dataset h1 --bucket 1h | show
rta-store cat -s st -d h1 -o ndjson | cmp -s - second && echo "h1 as it was"
echo "positions kept: $(rta-store offsets -s st -d h1 --format json | wc -l)"
echo "-- a late update to 11:xx: its hour is recomputed, its day is not"
grep -m1 '"start":"2026-11-20T11:30' m.ndjson |
    sed 's/"version":[0-9]*/"version":99/' >late11
rta-store ingest -s st -d m1 late11
for r in h1:1h d1:1d; do
	rta-store rollup -s st --from-dataset m1 --to-dataset ${r%:*} \
	    --bucket ${r#*:} |
	    jq -c '{changed_buckets, buckets, skipped_buckets, records_out}'
done
rta-store cat -s st -d d1 -o ndjson | cmp -s - day && echo "d1 as it was"
echo "-- a late record into a retired bucket: nothing to roll up"
sed 's/"version":99/"version":100/' late | rta-store ingest -s st -d m1
rta-store rollup -s st --from-dataset m1 --to-dataset h1 --bucket 1h | show
echo "-- definitions"
def() {
	rta-store rollup -s st --define "$@"
	echo "exit $?"
}
def --from-dataset m1 --to-dataset h1 --bucket 1h
def --from-dataset m1 --to-dataset h1 --bucket 1h
def --from-dataset m1 --to-dataset h1 --bucket 2h
def --from-dataset h1 --to-dataset d1 --bucket 1d
def --from-dataset d1 --to-dataset m1 --bucket 1d
cat st/rollups.conf
rta-store rollup -s st --from-dataset nosuch --to-dataset x --bucket 1h
echo "no source: exit $?"
rta-gen -c 3 | rta-store ingest -s st -d raw
rta-store rollup -s st --from-dataset raw --to-dataset x --bucket 1h
echo "raw events: exit $?"
rta-store rollup -s st --all --bucket 1h 2>&1 | head -1
rta-store rollup -s st --from-dataset m1 2>&1 | head -1
rta-store rollup -s st --from-dataset m1 --to-dataset m1 --bucket 1h 2>&1 |
    head -1
rta-store rollup -s st --from-dataset m1 --to-dataset h1 --bucket 0.5s 2>&1 |
    head -1

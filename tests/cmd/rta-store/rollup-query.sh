# rta-query reads the coarsest rollup that answers a query as the
# dataset itself would: its buckets divide the query's, the range falls
# on them, and it was refreshed since the source last changed in the
# range (--explain says which and why).  The answers are the same as
# from the 1-minute windows; a late update not yet rolled up sends the
# query back to the source, or to the rollup refreshed since, until the
# next refresh of all.
A=count,sum:payload.latency_ms,p95:payload.latency_ms,distinct:payload.user_id
rta-gen -s 13 -t 2 --eps 1 -d 30h --start 2026-11-20T00:00:00Z -o rta >ev.rta
rta-window --tumbling 1m --by tenant_id,event_type --agg $A -o ndjson \
    ev.rta >m.ndjson
rta-store init -s st
rta-store ingest -s st -d m1 --bucket 1h m.ndjson
q() {
	rta-query -s st -d m1 --agg $A --group-by tenant_id,event_type "$@"
}
D="--from 2026-11-20T00:00:00Z --to 2026-11-21T00:00:00Z"
H="--from 2026-11-20T03:00:00Z --to 2026-11-20T09:00:00Z"
q $D --bucket 1d -o ndjson >day.want
q $H --bucket 2h -o ndjson >h2.want
q $H --bucket 30m -o ndjson >m30.want
q $H -o ndjson >whole.want
rta-store rollup -s st --define --from-dataset m1 --to-dataset h1 --bucket 1h
rta-store rollup -s st --define --from-dataset h1 --to-dataset d1 --bucket 1d
rta-store rollup -s st --all >/dev/null
check() {
	# $1 name; the query's options follow
	n=$1
	shift
	q "$@" --explain | grep -v '^hot\|^groups'
	q "$@" -o ndjson | cmp -s - $n.want && echo "$n: the same answer"
}
check day $D --bucket 1d
check h2 $H --bucket 2h
check m30 $H --bucket 30m
check whole $H
echo "-- not on the rollup's buckets"
q --from 2026-11-20T03:30:00Z --to 2026-11-20T09:00:00Z --bucket 30m \
    --explain | grep -v '^hot\|^groups'
echo "-- a late update to a window of 05:xx"
grep -m1 '"start":"2026-11-20T05:42' m.ndjson |
    jq -c '.version = 2 | .results.count += 7 | .states.count.count += 7' |
    rta-store ingest -s st -d m1
q $D --bucket 1d -o ndjson >late.want
cmp -s day.want late.want || echo "the day's answer changed"
check late $D --bucket 1d
echo "-- the hours refreshed, not the days"
rta-store rollup -s st --from-dataset m1 --to-dataset h1 --bucket 1h |
    jq -c '{rollup, changed_buckets}'
check late $D --bucket 1d
echo "-- all refreshed"
rta-store rollup -s st --all | jq -c '{rollup, changed_buckets}'
check late $D --bucket 1d

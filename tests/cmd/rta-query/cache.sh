# rta-query --http's near-cache on one connection while the store
# changes under it: the same question is answered alike until the
# dataset commits, and a commit (ingest), a compaction and a retention
# each make the next answer come from the store again, so that it is
# never stale.  A hidden log shows that the second answer came from the
# cache.  The connection is held open through a FIFO; each answer
# is awaited before the store is touched.
export RTA_NOW=2026-01-03T00:00:00Z
rta-gen -s 5 -t 2 --start 2026-01-01T00:00:00Z -d 23h --eps 0.02 \
    >day1.ndjson
rta-gen -s 6 -t 2 --start 2026-01-02T00:00:00Z -d 23h --eps 0.005 \
    >day2.ndjson
rta-store init -s st
rta-store ingest -s st -d ev --close-after 0 --max-future 0 day1.ndjson
mkfifo in
rta-query --http -s st <in >out 2>err &
exec 3>in
n=0
ask() {
	printf 'GET /v1/query?dataset=ev&tenant=t0001&from=2026-01-01&to=2026-01-03&agg=count&bucket=1d HTTP/1.1\r\nHost: test\r\n\r\n' >&3
	n=$((n + 1))
	i=0
	while [ "$(grep -c '^{' out)" -lt $n ] && [ $i -lt 400 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	echo "$1: $(grep '^{' out | sed -n ${n}p)"
}
ask "first"
# with the day's log moved away, only the cache can answer
mv st/ev/20260101T0000.1.log hidden
ask "again, nothing committed"
mv hidden st/ev/20260101T0000.1.log
rta-store ingest -s st -d ev --close-after 0 --max-future 0 day2.ndjson
ask "after a commit of day 2"
rta-store compact -s st -d ev >/dev/null
# with the new segment moved away, only the store can fail to answer
for f in st/ev/*.seg; do mv "$f" "$f.away"; done
ask "after compaction, its segment away"
for f in st/ev/*.seg.away; do mv "$f" "${f%.away}"; done
ask "after compaction"
RTA_NOW=2026-01-04T12:00:00Z rta-store retain -s st -d ev --days 2 >/dev/null
ask "after day 1 is retired"
exec 3>&-
wait
grep -c '^HTTP/1.1 200' out
grep -c '^HTTP/1.1 500' out
cat err

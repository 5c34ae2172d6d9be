# rta-query --http keeps the store, its datasets and the sealed segments
# it has read open from one request to the next: on one connection,
# while the store changes under it, each answer (never the near-cache's:
# every question differs in its limit) equals a fresh rta-query's, after
# a commit, a compaction, a retention, the dataset's directory replaced
# by another and removed; and the server holds no mapping of a file
# that compaction or retention removed.
export RTA_NOW=2026-01-04T00:00:00Z
rta-gen -s 5 -t 3 --start 2026-01-01T00:00:00Z -d 23h --eps 0.02 \
    >day1.ndjson
rta-gen -s 6 -t 3 --start 2026-01-02T00:00:00Z -d 23h --eps 0.01 \
    >day2.ndjson
rta-gen -s 7 -t 3 --start 2026-01-02T00:00:00Z -d 23h --eps 0.005 \
    >other.ndjson
put() {
	rta-store ingest -s st -d ev --close-after 0 --max-future 0 "$@"
}
rta-store init -s st
put day1.ndjson
rta-store compact -s st -d ev >/dev/null
mkfifo fifo
rta-query --http -s st <fifo >out 2>err &
pid=$!
exec 3>fifo
q='dataset=ev&tenant=t0001&from=2026-01-01&to=2026-01-03&agg=count,sum:payload.value&bucket=6h'
n=0
# ask WHAT: the question on the connection, awaited, beside rta-query's
ask() {
	n=$((n + 1))
	printf 'GET /v1/query?%s&limit=%d HTTP/1.1\r\nHost: test\r\n\r\n' \
	    "$q" $((1000 + n)) >&3
	i=0
	while [ "$(grep -c '^{' out)" -lt $n ] && [ $i -lt 400 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	got=$(grep '^{' out | sed -n ${n}p)
	want=$(rta-query -s st -d ev --tenant t0001 --from 2026-01-01 \
	    --to 2026-01-03 --agg count,sum:payload.value --bucket 6h \
	    2>&1 | jq -sc '{rows: .}')
	if [ "$got" = "$want" ]; then
		echo "$1: the same, $(echo "$got" | jq '.rows | length') rows"
	else
		printf '%s: differs\n  http: %s\n  cli:  %s\n' "$1" "$got" \
		    "$want"
	fi
}
# the files of the store the server maps that are gone
gone() {
	echo "$1: $(grep -c '/st/.*(deleted)' /proc/$pid/maps) removed" \
	    "files mapped"
}
ask "day 1, compacted"
ask "again"
put day2.ndjson
ask "day 2 committed"
rta-store compact -s st -d ev >/dev/null
ask "day 2 compacted"
put day2.ndjson day1.ndjson
rta-store compact -s st -d ev >/dev/null
ask "both again, compacted: nothing new"
RTA_NOW=2026-01-03T12:00:00Z rta-store retain -s st -d ev --days 1 \
    >/dev/null
ask "day 1 retired"
gone "after retention"
# another directory in the dataset's place, files of the same names
mv st/ev old
put other.ndjson
rta-store compact -s st -d ev >/dev/null
rm -r old
ask "another dataset in its place"
gone "after the old one is removed"
rm -r st/ev
printf 'GET /v1/query?%s&limit=1 HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n' \
    "$q" >&3
exec 3>&-
wait $pid
echo "exit $?"
grep '^HTTP/1.1' out | sort | uniq -c
cat err

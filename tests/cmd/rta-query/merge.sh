# Two stores, each with half of the events: their --partial results,
# merged by --merge, equal one query over a store of all the events
# (distinct counts too: HyperLogLog sketches merge without loss).  The
# same from aggregate datasets, and through rta frames.
rta-gen -s 21 -c 5000 --tenants 3 >all.ndjson
awk 'NR % 2' all.ndjson >a.ndjson
awk 'NR % 2 == 0' all.ndjson >b.ndjson
for s in a b all; do
	rta-store init -s $s
	rta-store ingest -s $s -d ev $s.ndjson
done
Q='--from 2026-01-01 --to 2026-01-02 --bucket 5m --group-by tenant_id --agg count,sum:payload.items,max:payload.latency_ms,distinct:payload.user_id,p50:payload.latency_ms'
# shellcheck disable=SC2086
rta-query -s a -d ev $Q --partial >pa.ndjson
# shellcheck disable=SC2086
rta-query -s b -d ev $Q --partial -o rta >pb.rta
head -c 120 pa.ndjson; echo
# shellcheck disable=SC2086
cat pa.ndjson pb.rta | rta-query --merge $Q >merged.ndjson
echo "merge: exit $?, $(wc -l <merged.ndjson) rows"
# shellcheck disable=SC2086
rta-query -s all -d ev $Q >one.ndjson
cmp merged.ndjson one.ndjson && echo "merged = one query over all"
echo "-- files as operands, and the whole range in one bucket"
Q1='--from 2026-01-01 --to 2026-01-02 --agg count,distinct:payload.user_id'
# shellcheck disable=SC2086
rta-query -s a -d ev $Q1 --partial >p1a
# shellcheck disable=SC2086
rta-query -s b -d ev $Q1 --partial >p1b
# shellcheck disable=SC2086
rta-query --merge $Q1 p1a p1b
# shellcheck disable=SC2086
rta-query -s all -d ev $Q1
echo "-- a line that is not a record is reported and skipped"
# shellcheck disable=SC2086
{ cat p1a; echo '{"not":"a record"'; cat p1b; } | rta-query --merge $Q1
echo "exit $?"

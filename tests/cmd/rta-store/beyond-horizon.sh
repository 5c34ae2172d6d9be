# A raw event older than the dedup horizon (before the newest event
# stored) can no longer have its id checked, so by default it is
# rejected ("beyond-horizon"), counted and dead-lettered, and a replay
# of it cannot be stored twice.  --beyond-horizon store takes it
# unchecked, as for a backfill: the same file twice is then stored twice.
rta-cat emit --id e1 --time 2026-11-20T10:00:00Z page_view t1 n=1 >new.ndjson
rta-cat emit --id e0 --time 2026-11-01T10:00:00Z page_view t1 n=0 >old.ndjson
rta-cat emit --id e2 --time 2026-11-07T10:00:00Z page_view t1 n=2 >edge.ndjson
rta-store init -s st
rta-store ingest -s st -d ev new.ndjson
echo "newest: exit $?"
rta-store ingest -s st -d ev --dead-letter dl.ndjson --metrics m.prom \
    old.ndjson old.ndjson edge.ndjson edge.ndjson
echo "19 and 13 days older, twice each: exit $?"
sed 's/.*"reason":"\([^"]*\)".*event_id\\":\\"\([^\\]*\)\\".*/\1 \2/' dl.ndjson
grep 'rejected_total{' m.prom
rta-store ingest -s st -d ev --beyond-horizon store old.ndjson old.ndjson
echo "--beyond-horizon store: exit $?"
rta-store cat -s st -d ev -o ndjson | cut -d'"' -f4 | sort | uniq -c
rta-store ingest -s st -d ev --beyond-horizon keep old.ndjson
echo "exit $?"

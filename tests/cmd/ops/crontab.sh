# Every job of examples/ops/crontab, run as cron would (sh -c, with the
# crontab's variables, pointed at a store made here) against a store
# with two days of events and windows: each exits 0, and they did what
# they say (a compacted bucket, an exported day, a retained lake).
tab=$TESTS/../examples/ops/crontab
rta-gen -s 5 -c 20000 --tenants 3 --eps 0.2 -o rta >ev.rta
rta-store init -s st
rta-store ingest -s st -d events ev.rta
rta-window --tumbling 1h --by tenant_id --agg count -o rta ev.rta |
    rta-store ingest -s st -d metrics_1h
mkdir prom
# the variables as the crontab sets them, with this test's paths
export RTA_STORE=$PWD/st RTA_LAKE=$PWD/lake RTA_PROM=$PWD/prom
grep -v '^#' "$tab" | grep -v '^$' | grep -v '^[A-Z_]*=' |
    cut -f 2- | while IFS= read -r job; do
	sh -c "$job" </dev/null
	echo "exit $?: ${job%% -s*}"
done
echo "# variables the crontab sets"
grep '^[A-Z_]*=' "$tab" | cut -d= -f1
echo "# what they did"
for f in prom/*.prom; do
	echo "${f#prom/}: $(grep -c -v '^#' "$f") series"
done
grep -h '^rta_store_\(compacted_buckets\|exported_days\|retired_buckets\|fsck_damaged\)' \
    prom/*.prom
find lake -name '*.parquet' | sort

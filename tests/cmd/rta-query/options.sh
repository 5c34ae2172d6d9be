# Ordering, limits, the three output formats, --tenant and --since (with
# the clock pinned by RTA_NOW), and usage errors, each naming the option.
rta-gen -s 3 -c 3000 --tenants 4 >in.ndjson
rta-store init -s st
rta-store ingest -s st -d ev in.ndjson
R='--from 2026-01-01T00:00:00Z --to 2026-01-01T01:00:00Z'
echo "-- busiest tenant and type first, three rows"
# shellcheck disable=SC2086
rta-query -s st -d ev $R --group-by tenant_id,event_type \
    --agg count,max:payload.latency_ms --order-by 'count desc' --limit 3
echo "-- by tenant descending, then the count"
# shellcheck disable=SC2086
rta-query -s st -d ev $R --group-by tenant_id --order-by 'tenant_id desc'
echo "-- a table, and CSV with quoting"
# shellcheck disable=SC2086
rta-query -s st -d ev $R --group-by event_type --agg count,avg:payload.items \
    -o table
# shellcheck disable=SC2086
rta-query -s st -d ev $R --tenant t0002 --group-by payload.url \
    --agg count,top1:payload.country --order-by 'count desc,payload.url' \
    --limit 2 -o csv
echo "-- --since the last 2 minutes of the pinned clock"
RTA_NOW=2026-01-01T00:05:00Z rta-query -s st -d ev --since 2m --bucket 1m \
    --agg count
echo "-- errors"
rta-query -d ev --from 2026-01-01 2>&1; echo "exit $?"
rta-query -s st -d ev 2>&1; echo "exit $?"
rta-query -s st -d ev --from 2026-01-02 --to 2026-01-01 2>&1
echo "exit $?"
rta-query -s st -d ev --from 2026-01-01 --bucket 0 2>&1; echo "exit $?"
rta-query -s st -d ev --from 2026-01-01 --agg nope:x 2>&1; echo "exit $?"
rta-query -s st -d ev --from 2026-01-01 --order-by 'count sideways' 2>&1
echo "exit $?"
rta-query -s st -d ev --from 2026-01-01 --order-by payload.x 2>&1
echo "exit $?"
rta-query -s st -d ev --from 2026-01-01 --tenant '../x' 2>&1
echo "exit $?"
rta-query -s st -d nosuch --from 2026-01-01 2>&1; echo "exit $?"
rta-query -s nostore -d ev --from 2026-01-01 2>&1; echo "exit $?"
rta-query -s st -d ev --from 2026-01-01 -o csv --partial 2>&1
echo "exit $?"
rta-query --merge -s st --from 2026-01-01 2>&1; echo "exit $?"
rta-query -s st -d ev --from 2026-01-01 --group-by tenant_id \
    --max-groups 2 2>&1
echo "exit $?"

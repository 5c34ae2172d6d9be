# cat --cold reads a dataset back from the cold store's Parquet files,
# with --tenant, --from and --to as for the hot store: the same records
# (members in column order, numbers by value), reading only the
# partitions of that tenant and those days, and in a file only the row
# groups whose statistics overlap the range.
. "$DATA/balance.inc"
norm() { jq -cS . | sort; }
rta-gen -s 31 -c 6000 --tenants 3 --eps 0.03 >in.ndjson
rta-store init -s st
rta-store ingest -s st -d events in.ndjson
rta-store export -s st --cold cold --before 2030-01-01 --row-group-rows 500 \
    >/dev/null
run() {
	rta-store cat -s st -d events -o ndjson "$@" | norm >want
	rta-store cat --cold cold -d events -o ndjson --metrics m "$@" |
	    norm >got
	echo "[$*] $(wc -l <got) records, $(cmp -s want got && echo "as the hot store's" ||
	    echo DIFFERENT); $(balanced m)"
	grep '^rta_store_cold' m | sed 's/^rta_store_cold_//' | paste -sd' '
}
run
run --tenant t0001
run --tenant t0001 --from 2026-01-02T03:00:00Z --to 2026-01-02T05:00:00Z
run --from 2026-01-02 --to 2026-01-02T00:30:00Z
run --tenant nobody 2>&1 | sed "s/NOT balanced.*/nothing read/"
echo "-- the hot store's order: tenant by tenant, each in time order"
rta-store cat --cold cold -d events -o ndjson | jq -r '.tenant_id + " " + .timestamp' >order
sort -c order && echo sorted
echo "-- errors"
rta-store cat --cold cold -d nosuch -o ndjson
echo "exit $?"
rta-store cat --cold nodir -d events -o ndjson
echo "exit $?"
rta-store cat -s st --cold cold -d events -o ndjson
echo "exit $?"
f=cold/events/tenant_id=t0002/year=2026/month=1/day=1/part-00000.parquet
printf 'PAR1 broken' >"$f"
rta-store cat --cold cold -d events -o ndjson --tenant t0002 --metrics m >out
echo "exit $?, $(wc -l <out) records"
balanced m

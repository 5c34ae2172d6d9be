# Exporting again never duplicates rows: a day exported before and
# unchanged since is skipped; a day that got late records (or was
# compacted) is exported again and replaces its partitions as a whole; a
# partition of a tenant no longer in the day is removed.  retain --cold
# retires only buckets whose day the cold store holds as they are now.
. "$DATA/parquet.inc"
check() {
	rta-store cat -s st -d events -o ndjson >stored.ndjson
	ev_compare cold stored.ndjson
}
export_() {
	rta-store export -s st --cold cold "$@" | sed -E 's/[0-9]+ bytes/N bytes/'
}
rta-gen -s 3 -c 8000 --tenants 3 --eps 0.05 >in.ndjson
rta-store init -s st
rta-store ingest -s st -d events in.ndjson
echo "-- first export"
export_ --before 2030-01-01
check
echo "-- again: nothing changed"
export_ --before 2030-01-01
echo "-- late records for the first day"
rta-gen -s 4 -c 300 --tenants 3 --eps 0.01 --start 2026-01-01T05:00:00Z |
    sed 's/"event_id":"/"event_id":"late-/' >late.ndjson
rta-store ingest -s st -d events late.ndjson
export_ --before 2030-01-01
check
echo "-- after compaction"
rta-store compact -s st >/dev/null
export_ --before 2030-01-01
check
echo "-- a stale partition, then --force"
mkdir -p cold/events/tenant_id=gone/year=2026/month=1/day=1
cp cold/events/tenant_id=t0000/year=2026/month=1/day=1/part-00000.parquet \
    cold/events/tenant_id=gone/year=2026/month=1/day=1/
export_ --before 2030-01-01 --force
check
ls cold/events | sort
echo "-- --before: only earlier days"
rm -rf cold2
rta-store export -s st --cold cold2 --before 2026-01-02 | sed -E 's/[0-9]+ bytes/N bytes/'
echo "-- retain --cold keeps the buckets not exported as they are"
rta-gen -s 5 -c 50 --tenants 3 --eps 0.01 --start 2026-01-01T12:00:00Z |
    sed 's/"event_id":"/"event_id":"later-/' >later.ndjson
rta-store ingest -s st -d events later.ndjson
rta-store retain -s st --days 0 --cold cold
rta-store cat -s st -d events -o ndjson >left.ndjson
echo "left: $(wc -l <left.ndjson) records, days: $(jq -r '.timestamp[0:10]' left.ndjson | sort -u | paste -sd' ')"
echo "-- export, then retain retires the rest"
export_
rta-store retain -s st --days 0 --cold cold
rta-store cat -s st -d events -o ndjson >left.ndjson
echo "left: $(wc -l <left.ndjson) records, days: $(jq -r '.timestamp[0:10]' left.ndjson | sort -u | paste -sd' ')"

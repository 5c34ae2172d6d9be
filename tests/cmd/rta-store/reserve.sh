# Disk blocks reserved ahead of a log's end are for the run that writes
# it: once ingest has ended, a dataset takes about the room of its
# records, not 8 MiB per log.  24 events in 24 hourly buckets, twice.
awk 'BEGIN { for (i = 0; i < 24; i++)
	printf "{\"event_id\":\"h%d\",\"timestamp\":%d,\"event_type\":\"v\",\"tenant_id\":\"t\"}\n",
	    i, 1767225600 + 3600 * i }' >hours.ndjson
sed 's/"h/"k/' hours.ndjson >more.ndjson
rta-store init -s st
rta-store ingest -s st -d ev --bucket 1h hours.ndjson
echo "exit $?, $(ls st/ev | grep -c 'log$') logs, $(du -sk st | cut -f1 | awk '{ print ($1 < 1024 ? "under 1 MiB" : $1 " KiB") }')"
rta-store ingest -s st -d ev more.ndjson
echo "exit $?, $(du -sk st | cut -f1 | awk '{ print ($1 < 1024 ? "under 1 MiB" : $1 " KiB") }')"

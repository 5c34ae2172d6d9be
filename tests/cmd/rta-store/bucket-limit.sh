# --max-new-buckets N: in one run, records that would open a bucket past
# the Nth new one are dead-lettered "bucket-limit"; buckets the dataset
# has already do not count, nor do they in the next run.  0 means no
# limit.  (The default, 1000, is not tried: each new log reserves 8 MiB
# of disk.)
rta-gen -s 25 -c 500 --eps 0.02 --tenants 3 >in.ndjson	# 50 s apart, ~7 h
hours() { cut -d'"' -f8 "$1" | cut -c12-13 | sort | uniq -c | awk '{ printf "%s:%s ", $2, $1 }'; echo; }
echo "input by hour: $(hours in.ndjson)"
rta-store init -s st
rta-store ingest -s st -d ev --bucket 1h --max-new-buckets 2 --dead-letter dl1 in.ndjson 2>err
echo "limit 2: exit $?, $(grep -c 'more than 2 new time buckets in one run' err) messages"
rta-store cat -s st -d ev -o ndjson >out
echo "stored by hour: $(hours out)"
grep -o '"reason":"[^"]*"' dl1 | sort | uniq -c
sort out >got
awk -F'"' '$8 < "2026-01-01T02"' in.ndjson | sort | cmp - got &&
    echo "stored: the records of hours 00 and 01"
rta-store ingest -s st -d ev --max-new-buckets 2 --dead-letter dl2 in.ndjson 2>/dev/null
echo "again: exit $?"
rta-store cat -s st -d ev -o ndjson >out
echo "stored by hour: $(hours out)"
rta-store ingest -s st -d ev --max-new-buckets 0 in.ndjson
echo "no limit: exit $?"
rta-store cat -s st -d ev -o ndjson | sort >got
sort in.ndjson | cmp - got && echo "stored: the input"
ls st/ev | grep -c 'log$'

# Whatever the umask, the store's directories are 0700 and its files
# 0600: with umask 000, init, then ingest into new datasets and new
# buckets, and a recovery that cuts a torn tail.
umask 000
rta-gen -s 29 -c 300 --eps 0.01 >in.ndjson	# 100 s apart: 1 day, 1 h buckets
rta-store init -s st
rta-store ingest -s st -d ev --bucket 1h in.ndjson
head -c 10 in.ndjson >>st/ev/commits
rta-gen -s 30 -c 100 --eps 0.01 --start 2026-01-02T00:00:00Z |
    rta-store ingest -s st -d ev 2>/dev/null
rta-window --tumbling 1h --agg count -o rta in.ndjson |
    rta-store ingest -s st -d agg
find st -exec stat -c '%a %F' {} + | sort | uniq -c

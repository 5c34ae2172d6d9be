# A restored partition replaces the partition's current files as a
# whole (a file the archive does not hold is gone); partitions the
# archive does not hold are untouched.  restore makes the cold store
# if it is missing, and counts what it restored in --metrics.
P=tenant_id=acme/year=2026/month=1
mkdir -p cold/ev/$P/day=1 cold/ev/$P/day=2
printf 'one' >cold/ev/$P/day=1/part-00000.parquet
printf 'two' >cold/ev/$P/day=2/part-00000.parquet
rta-store archive --cold cold --before 2026-01-02 -o a.tar.zst 2>&1
echo "-- the partition changes after the archive"
printf 'ONE' >cold/ev/$P/day=1/part-00000.parquet
printf 'extra' >cold/ev/$P/day=1/part-00001.parquet
printf 'TWO' >cold/ev/$P/day=2/part-00000.parquet
rta-store restore --cold cold a.tar.zst --metrics prom 2>&1
echo "exit $?"
(cd cold && find . -type f | sort | xargs grep -H .)
grep -v -e '^#' -e start_time prom
echo "-- into a new store"
rta-store restore --cold new a.tar.zst 2>&1
echo "exit $?"
(cd new && find . | sort)

# An archive holds the partitions of days before --before, of every
# dataset or of -d, with MANIFEST first and the files in path order
# (as tar and zstd see it); restoring it into an emptied store gives
# back the same files.  Nothing to archive: a message, no file, exit 0.
part() {	# DATASET TENANT Y M D BYTES
	d=cold/$1/tenant_id=$2/year=$3/month=$4/day=$5
	mkdir -p "$d"
	printf '%s' "$6" >"$d/part-00000.parquet"
}
part events acme 2026 10 31 'oct-31'
part events acme 2026 11 1 'nov-1'
part events acme 2026 11 19 'nov-19'
part events acme 2026 11 20 'nov-20 (kept)'
part events 'a%2Fb' 2026 11 2 'tenant a/b'
part metrics_1m acme 2026 11 3 'metrics'
printf 'second file' >cold/events/tenant_id=acme/year=2026/month=11/day=1/part-00001.parquet
cp -R cold orig

rta-store archive --cold cold --before 2026-11-20 -o old.tar.zst 2>&1
echo "archive: exit $?"
echo "-- tar lists MANIFEST first, then the files in order"
tar --zstd -tf old.tar.zst
echo "-- zstd -d gives a tar"
zstd -dq old.tar.zst -o old.tar && tar -tf old.tar | head -1
echo "-- the manifest"
tar --zstd -xOf old.tar.zst MANIFEST
echo "-- the manifest's checksums are the files' (sha256sum -c)"
tar --zstd -xOf old.tar.zst MANIFEST | sed 1d |
    awk '{ print $1 "  " $3 }' >sums
(cd cold && sha256sum -c --quiet ../sums) && echo "all match"

echo "-- restore into an emptied store"
rm -rf cold
rta-store restore --cold cold old.tar.zst 2>&1
echo "restore: exit $?"
diff -r -x .rta-lock orig cold
rta-store restore --cold cold old.tar.zst 2>/dev/null
echo "again (replacing the same partitions): exit $?"
mkdir -p cold/events/tenant_id=acme/year=2026/month=11/day=20
cp orig/events/tenant_id=acme/year=2026/month=11/day=20/* \
    cold/events/tenant_id=acme/year=2026/month=11/day=20/
diff -r -x .rta-lock orig cold && echo "the same files as before"

echo "-- -d: one dataset"
rta-store archive --cold cold --before 2026-11-20 -d metrics_1m \
    -o m.tar 2>&1
echo "exit $?"
tar -tf m.tar
echo "-- .tar.gz and .tar.xz"
rta-store archive --cold cold --before 2026-11-02 -o g.tar.gz 2>/dev/null &&
    tar -tzf g.tar.gz | wc -l
rta-store archive --cold cold --before 2026-11-02 -o x.tar.xz 2>/dev/null &&
    tar -tJf x.tar.xz | wc -l
echo "-- --before as a duration back from the clock (2026-11-26)"
rta-store archive --cold cold --before 25d -o d.tar 2>&1
echo "exit $?"
tar -tf d.tar
echo "-- nothing to archive"
rta-store archive --cold cold --before 2026-10-01 -o none.tar.zst 2>&1
echo "exit $?"
rta-store archive --cold cold --before 2026-11-20 -d nosuch \
    -o none.tar.zst 2>&1
echo "no such dataset: exit $?"
ls none.tar.zst* 2>/dev/null || echo "no file"

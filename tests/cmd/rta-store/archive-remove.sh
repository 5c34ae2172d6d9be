# --remove: once the archive is synced and reads back clean, exactly the
# partitions it holds are removed (and parents left empty, up to the
# dataset); newer days and other datasets stay.  --metrics counts them.
# An existing archive is never overwritten.
part() {	# DATASET TENANT Y M D BYTES
	d=cold/$1/tenant_id=$2/year=$3/month=$4/day=$5
	mkdir -p "$d"
	printf '%s' "$6" >"$d/part-00000.parquet"
}
part events acme 2026 10 30 'a'
part events acme 2026 11 1 'bb'
part events acme 2026 11 20 'ccc'
part events beta 2026 9 1 'dddd'
part metrics_1m acme 2026 11 25 'eeeee'
cp -R cold orig
rta-store archive --cold cold --before 2026-11-20 -o old.tar.zst --remove \
    --metrics prom 2>&1
echo "exit $?"
echo "-- left in the store"
(cd cold && find . | sort)
grep -v -e '^#' -e start_time prom
echo "-- the archive puts them back"
rta-store restore --cold cold old.tar.zst 2>&1
diff -r -x .rta-lock orig cold && echo "the same files as before"
echo "-- an existing archive is not overwritten"
cp old.tar.zst keep
rta-store archive --cold cold --before 2026-11-20 -o old.tar.zst --remove 2>&1
echo "exit $?"
cmp -s old.tar.zst keep && echo "old.tar.zst unchanged"
diff -r -x .rta-lock orig cold && echo "nothing removed"
ls old.tar.zst.tmp 2>/dev/null || echo "no .tmp left"

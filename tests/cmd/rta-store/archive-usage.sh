# archive and restore: usage errors exit 2 before anything is made
# (and so does an archive that would be inside the cold store);
# a missing cold store is exit 3 for archive (restore makes it, but
# not for a missing archive); another archive, restore or export
# holding the store's lock is exit 5.
mkdir -p cold/ev/tenant_id=a/year=2026/month=1/day=1
printf x >cold/ev/tenant_id=a/year=2026/month=1/day=1/part-0.parquet
for args in "archive" "archive --cold cold --before 2026-02-01" \
    "archive --cold cold -o a.tar" "archive --before 2026-02-01 -o a.tar" \
    "archive --cold cold --before 2026-02-01 -o a.zip" \
    "archive --cold cold --before 2026-02-01 -o a.tar.bz2" \
    "archive --cold cold --before 2026-02-01 -o .tar" \
    "archive --cold cold --before x -o a.tar" \
    "archive --cold cold --before 2026-13-01 -o a.tar" \
    "archive --cold cold --before 2026-02-01 -o a.tar -d ../x" \
    "archive --cold cold --before 2026-02-01 -o a.tar extra" \
    "archive --cold cold --before 2026-02-01 -o a.tar -s st" \
    "archive --cold cold --before 2026-02-01 -o a.tar --days 3" \
    "restore" "restore --cold cold" "restore --cold cold a.tar b.tar" \
    "restore --cold cold -d ev a.tar" "restore --cold cold -o x a.tar" \
    "restore --cold cold --remove a.tar" \
    "restore --cold cold --before 2026-01-01 a.tar" \
    "cat -s st -d ev --cold cold" "compact -s st --remove"; do
	eval "set -- $args"
	rta-store "$@" </dev/null >out 2>err
	echo "[$args] exit $?: $(head -1 err)"
done
ls a.* 2>/dev/null
echo "-- no cold store"
rta-store archive --cold nosuch --before 2026-02-01 -o a.tar 2>&1
echo "archive: exit $?"
rta-store restore --cold new nosuch.tar 2>&1
echo "restore of a missing archive: exit $?"
ls -d nosuch new 2>&1
echo "-- never inside the cold store (--remove could take it away)"
rta-store archive --cold cold --before 2026-02-01 -o cold/ev/a.tar \
    --remove 2>&1
echo "exit $?"
find cold -name 'a.tar*'
echo "-- busy"
rta-store archive --cold cold --before 2026-02-01 -o a.tar 2>/dev/null
flock cold/.rta-lock sleep 3 &
sleep 1
rta-store archive --cold cold --before 2026-02-01 -o b.tar 2>&1
echo "archive: exit $?"
rta-store restore --cold cold a.tar 2>&1
echo "restore: exit $?"
wait
ls b.tar 2>/dev/null
echo "-- --help"
rta-store archive --help | sed -n '/^archive:/,/^$/p'

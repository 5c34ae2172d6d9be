# export killed at its Nth write, sync, rename, mkdir or unlink (strace
# fault injection), while it replaces the days exported before: after
# every kill each partition's file is byte for byte its old one or its new
# one (never a mix, never a partial file), and the next export finishes
# the job: the cold store then equals a clean export's, no staging
# directory is left, and DuckDB finds exactly the stored events.
. "$DATA/parquet.inc"
rta-gen -s 8 -c 3000 --tenants 3 --eps 0.02 >in.ndjson
rta-store init -s st
rta-store ingest -s st -d events in.ndjson
rta-store export -s st --cold cold --before 2030-01-01 >/dev/null
# late records: both days change
rta-gen -s 9 -c 200 --tenants 3 --eps 0.002 |
    sed 's/"event_id":"/"event_id":"late-/' >late.ndjson
rta-store ingest -s st -d events late.ndjson
rta-store cat -s st -d events -o ndjson >stored.ndjson
files() { (cd "$1" && find . -name '*.parquet' | sort); }
calls="write fsync rename renameat renameat2 mkdir mkdirat unlink unlinkat rmdir"
cp -a cold new
ASAN_OPTIONS=detect_leaks=0 strace -f -o trace \
    -e trace=$(echo $calls | tr ' ' ,) \
    rta-store export -s st --cold new --before 2030-01-01 >/dev/null
files cold >old.list
files new >new.list
cmp -s old.list new.list || echo "the partitions differ"
for f in $(cat new.list); do
	cmp -s "cold/$f" "new/$f" && echo "$f: the late records changed nothing?"
done
runs=0 bad=0
for c in $calls; do
	n=$(grep -c "^[0-9]* *$c(" trace)
	i=1
	while [ $i -le "$n" ]; do
		rm -rf ck
		cp -a cold ck
		ASAN_OPTIONS=detect_leaks=0 strace -f -o /dev/null -e trace=$c \
		    -e inject=$c:signal=SIGKILL:when=$i \
		    rta-store export -s st --cold ck --before 2030-01-01 \
		    >/dev/null 2>&1
		runs=$((runs + 1))
		files ck | grep -v '^./.rta-staging/' >got.list
		cmp -s got.list new.list ||
		    { echo "$c #$i: partitions missing or extra"; bad=1; }
		for f in $(cat got.list); do
			cmp -s "ck/$f" "cold/$f" || cmp -s "ck/$f" "new/$f" ||
			    { echo "$c #$i: $f is neither old nor new"; bad=1; }
		done
		rta-store export -s st --cold ck --before 2030-01-01 \
		    >/dev/null 2>&1 ||
		    { echo "$c #$i: the next export failed"; bad=1; }
		for f in $(cat new.list); do
			cmp -s "ck/$f" "new/$f" ||
			    { echo "$c #$i: $f not finished by the next run"; bad=1; }
		done
		[ -e ck/.rta-staging ] &&
		    { echo "$c #$i: staging left behind"; bad=1; }
		i=$((i + 1))
	done
done
echo "kills: $([ $runs -ge 50 ] && echo "50 or more" || echo "only $runs")"
ev_compare ck stored.ndjson
[ $bad = 0 ] && echo "every kill: old or new partitions, finished by the next run"

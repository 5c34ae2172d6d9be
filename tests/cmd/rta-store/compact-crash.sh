# Compaction killed at its Nth write, sync, rename or unlink (strace
# fault injection): after every kill the dataset reads exactly as
# before, fsck finds no damage, and the next compaction finishes the
# job and leaves no temporary file behind.
rta-gen -s 62 --tenants 2 --eps 1 -d 3d --start 2026-11-20T00:00:00Z \
    -o rta >ev.rta
rta-window --tumbling 1m --by tenant_id,event_type \
    --agg count,sum:payload.value -o rta ev.rta >agg.rta
rta-store init -s st
rta-store ingest -s st -d m --close-after 0 agg.rta
want=$(rta-store cat -s st -d m -o ndjson | sort | cksum)
calls="write fdatasync fsync renameat unlinkat"
cp -a st st0
ASAN_OPTIONS=detect_leaks=0 strace -f -o trace -e trace=$(echo $calls | tr ' ' ,) \
    rta-store compact -s st0 >/dev/null
clean=$(ls st0/m | grep -c -e tmp -e 'log$')
runs=0 bad=0
for c in $calls; do
	n=$(grep -c "^[0-9]* *$c(" trace)
	[ "$n" -gt 0 ] || { echo "no $c in a clean compaction"; bad=1; }
	i=1
	while [ $i -le "$n" ]; do
		rm -rf sk
		cp -a st sk
		ASAN_OPTIONS=detect_leaks=0 strace -f -o /dev/null -e trace=$c \
		    -e inject=$c:signal=SIGKILL:when=$i \
		    rta-store compact -s sk >/dev/null 2>&1
		runs=$((runs + 1))
		got=$(rta-store cat -s sk -d m -o ndjson 2>&1 | sort | cksum)
		[ "$got" = "$want" ] ||
		    { echo "$c #$i: reads differ after the kill"; bad=1; }
		rta-store fsck -s sk >fsck.out 2>&1 ||
		    { echo "$c #$i: fsck: $(cat fsck.out)"; bad=1; }
		rta-store compact -s sk >/dev/null 2>&1 ||
		    { echo "$c #$i: the next compaction failed"; bad=1; }
		got=$(rta-store cat -s sk -d m -o ndjson 2>&1 | sort | cksum)
		[ "$got" = "$want" ] ||
		    { echo "$c #$i: reads differ after recompaction"; bad=1; }
		left=$(ls sk/m | grep -c -e tmp -e 'log$')
		[ "$left" = "$clean" ] ||
		    { echo "$c #$i: $left logs and temporaries left"; bad=1; }
		rta-store fsck -s sk | grep -q ': clean$' ||
		    { echo "$c #$i: fsck not clean at the end"; bad=1; }
		# every write is too many runs: one in eight
		if [ $c = write ]; then i=$((i + 8)); else i=$((i + 1)); fi
	done
done
[ $runs -ge 30 ] && echo "at least 30 kills" || echo "only $runs kills"
[ $bad = 0 ] && echo "every kill: same records, fsck clean, recompaction clean"

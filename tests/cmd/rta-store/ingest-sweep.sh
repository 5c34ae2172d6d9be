# Ingest killed at its Nth write, sync, truncation, rename or unlink
# (strace fault injection), for every N a clean run makes: each time the
# next writer recovers on its first try, keeps every acknowledged event,
# stores none twice and leaves fsck clean, and a replay of the input
# then stores exactly the input, once.
rta-gen -s 63 -c 3000 --tenants 3 >in.ndjson
cut -d'"' -f4 in.ndjson >ids
sort ids >ids.sorted
rta-store init -s st
# a dataset that already holds records, so that recovery has work
head -n 1000 in.ndjson | rta-store ingest -s st -d e --sync-every 200r
calls="pwrite64 fdatasync fsync ftruncate fallocate renameat unlinkat"
cp -a st st0
ASAN_OPTIONS=detect_leaks=0 strace -f -o trace -e trace=$(echo $calls | tr ' ' ,) \
    rta-store ingest -s st0 -d e --sync-every 200r in.ndjson 2>/dev/null
runs=0 bad=0
for c in $calls; do
	n=$(grep -c "^[0-9]* *$c(" trace)
	i=1
	while [ $i -le "$n" ]; do
		rm -rf sk ack
		cp -a st sk
		ASAN_OPTIONS=detect_leaks=0 strace -f -o /dev/null -e trace=$c \
		    -e inject=$c:signal=SIGKILL:when=$i \
		    rta-store ingest -s sk -d e --sync-every 200r --ack-fd 3 \
		    in.ndjson 3>ack 2>/dev/null
		runs=$((runs + 1))
		h=$(sed -n 's/^{"commit":[0-9]*,"handled":\([0-9]*\),.*/\1/p' ack |
		    tail -1)
		rta-store ingest -s sk -d e </dev/null 2>rec ||
		    { echo "$c #$i: recovery failed: $(cat rec)"; bad=1; }
		rta-store cat -s sk -d e -o ndjson | cut -d'"' -f4 | sort >got
		l=$(head -n "${h:-0}" ids | sort | comm -23 - got | wc -l)
		t=$(uniq -d got | wc -l)
		[ "$l$t" = 00 ] ||
		    { echo "$c #$i: acked ${h:-0}: $l lost, $t twice"; bad=1; }
		rta-store fsck -s sk | grep -q ': clean$' ||
		    { echo "$c #$i: fsck: $(rta-store fsck -s sk)"; bad=1; }
		rta-store ingest -s sk -d e in.ndjson ||
		    { echo "$c #$i: replay failed"; bad=1; }
		rta-store cat -s sk -d e -o ndjson | cut -d'"' -f4 | sort |
		    cmp -s - ids.sorted ||
		    { echo "$c #$i: not the input once each"; bad=1; }
		i=$((i + 1))
	done
done
[ $runs -ge 30 ] && echo "at least 30 kills" || echo "only $runs kills"
[ $bad = 0 ] && echo "every kill: acknowledged events kept, none twice," \
    "fsck clean, replay exact"

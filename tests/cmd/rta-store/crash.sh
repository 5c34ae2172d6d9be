# kill -9 at 200 random moments of ingest runs (--ack-fd, a commit every
# 1000 records), each run restarted on the whole input; after each kill,
# half the time, 1 to 64 random bytes appended to the commit file and to
# the newest log (writes that never reached the disk's cache, or did
# only in part).  After each kill a writer's recovery must keep every
# acknowledged event (the first "handled" records of the input, the
# largest of any run so far), store none twice, and say what it cut;
# at the end each dataset holds the input's event ids, once each.
# The 200 cycles go to 20 datasets in turn, so that many kills hit runs
# writing new records (a restarted run absorbs what is stored quickly).
cycles=${RTA_CRASH_CYCLES:-200} per=10
rta-gen -s 41 -c 30000 --tenants 20 >in.ndjson
cut -d'"' -f4 in.ndjson >ids
sort ids >ids.sorted
rta-store init -s st
junk() { perl -e 'srand($ARGV[0]); print map { chr int rand 256 } 1 .. $ARGV[1]' "$@"; }
# kills fall in [0, 1.2 x a whole run's time)
t0=$(date +%s%N)
rta-store ingest -s st -d probe --sync-every 1000r in.ndjson
t1=$(date +%s%N)
rm -rf st/probe
ms=$(((t1 - t0) / 1000000))
awk -v n=$cycles -v ms=$ms 'BEGIN {
	srand(41)
	for (i = 0; i < n; i++)
		printf "%d %d %d %d\n", int(rand() * ms * 1.2),
		    rand() < 0.5 ? 1 + int(rand() * 64) : 0,
		    rand() < 0.5 ? 1 + int(rand() * 64) : 0, i
}' >plan
lost=0 twice=0 unreported=0 failed=0 killed=0 cut=0 unclean=0
while read -r delay cj lj i; do
	ds=d$((i / per))
	rta-store ingest -s st -d $ds --sync-every 1000r --ack-fd 3 \
	    in.ndjson 3>>ack.$ds 2>/dev/null &
	pid=$!
	sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
	kill -9 $pid 2>/dev/null && killed=$((killed + 1))
	wait $pid 2>/dev/null
	touch ack.$ds
	# (a run killed before it made the dataset: nothing to damage)
	[ -d st/$ds ] || cj=0
	[ $cj -gt 0 ] && junk $i $cj >>st/$ds/commits
	newest=$(ls -t st/$ds 2>/dev/null | grep 'log$' | head -1)
	[ -n "$newest" ] || lj=0
	[ $lj -gt 0 ] && junk $((i + 1000)) $lj >>"st/$ds/$newest"
	# recovery, then what a reader sees
	rta-store ingest -s st -d $ds </dev/null 2>rec
	e=$?
	[ $e = 0 ] ||
	    { failed=$((failed + 1)); echo "cycle $i: recovery: exit $e: $(cat rec)"; }
	grep -q 'cut [1-9]' rec && cut=$((cut + 1))
	sed -n 's/.*cut \([0-9]*\) uncommitted bytes from the commit file and \([0-9]*\) from the logs.*/\1 \2/p' \
	    rec >cuts
	read -r cc lc <cuts || cc=0 lc=0
	{ [ "$cc" -ge $cj ] && [ "$lc" -ge $lj ]; } ||
	    { unreported=$((unreported + 1))
	      echo "cycle $i: appended $cj and $lj bytes; $(cat rec)"; }
	h=$(sed -n 's/^{"commit":[0-9]*,"handled":\([0-9]*\),"stored":[0-9]*}$/\1/p' ack.$ds |
	    sort -n | tail -1)
	rta-store cat -s st -d $ds -o ndjson 2>rec | cut -d'"' -f4 | sort >got
	[ -s rec ] && { failed=$((failed + 1)); echo "cycle $i: cat: $(cat rec)"; }
	l=$(head -n "${h:-0}" ids | sort | comm -23 - got | wc -l)
	t=$(uniq -d got | wc -l)
	[ "$l$t" = 00 ] || echo "cycle $i: handled ${h:-0}: $l lost, $t twice"
	lost=$((lost + l))
	twice=$((twice + t))
	rta-store fsck -s st -d $ds >fsck.out 2>&1 &&
	    grep -q ': clean$' fsck.out ||
	    { unclean=$((unclean + 1)); echo "cycle $i: fsck: $(cat fsck.out)"; }
done <plan
echo "$cycles cycles: $lost lost, $twice duplicated," \
    "$unreported cuts unreported, $failed failed, $unclean fsck not clean"
[ $killed -ge $((cycles / 4)) ] && echo "killed mid-run: more than a quarter"
[ $cut -ge $((cycles / 4)) ] && echo "recoveries that cut: more than a quarter"
bad=0
for d in $(seq 0 $((cycles / per - 1))); do
	rta-store ingest -s st -d d$d --sync-every 1000r in.ndjson 2>/dev/null ||
	    { echo "d$d: last run: exit $?"; bad=1; }
	rta-store cat -s st -d d$d -o ndjson | cut -d'"' -f4 | sort |
	    cmp -s - ids.sorted || { echo "d$d: not the input's ids once each"; bad=1; }
done
[ $bad = 0 ] &&
    echo "$((cycles / per)) datasets: the input's $(wc -l <ids) event ids once each"

# The commit file is replaced by one holding its last record once it
# passes 1 MiB (here: 120 inputs with long names, so each commit record
# is large, one commit per record).  Readers see the same records; the
# new file is 0600 whatever the umask.  A failed or killed replacement
# (strace fault injection: the rename fails, or the process dies at the
# rename or at the directory sync after it) loses nothing acknowledged,
# leaves no temporary file after the next open, and the same inputs then
# go in once.  Renames are counted as done (returned 0): when the kill
# lands, strace may also print threads woken by it as if in renameat.
umask 000
name=$(printf '%0200d' 0 | tr 0 x)
rta-gen -s 51 -c 120 >all.ndjson
split -l 1 -a 3 -d all.ndjson "$name-"
cut -d'"' -f4 all.ndjson >ids
sort ids >ids.sorted
rta-store init -s base
rta-store ingest -s base -d ev --sync-every 1r $(ls "$name"-* | head -60)
echo "60 inputs: commits $(stat -c %s base/ev/commits | awk '{ print ($1 < 1048576 ? "under" : "over") }') 1 MiB"
ASAN_OPTIONS=detect_leaks=0
export ASAN_OPTIONS
run() {
	# $1 label, then strace options
	label=$1
	shift
	rm -rf st trace.*
	cp -a base st
	strace -ff -qq -o trace -e trace=renameat,renameat2,fsync "$@" \
	    rta-store ingest -s st -d ev --sync-every 1r --ack-fd 3 \
	    "$name"-* 3>ack 2>err
	e=$?
	echo "$label: exit $e, $(cat trace.* |
	    grep -c 'renameat.*"commits.tmp".*) *= 0$') renames done"
	h=$(tail -1 ack | sed -n 's/.*"handled":\([0-9]*\).*/\1/p')
	rta-store ingest -s st -d ev </dev/null 2>/dev/null ||
	    echo "$label: recovery: exit $?"
	ls st/ev | grep -v 'log$\|^commits$\|^lock$'
	rta-store cat -s st -d ev -o ndjson | cut -d'"' -f4 | sort >got
	lost=$(head -n "${h:-0}" ids | sort | comm -23 - got | wc -l)
	echo "$label: $lost acknowledged lost, $(uniq -d got | wc -l) twice"
	rta-store ingest -s st -d ev "$name"-* || echo "$label: again: exit $?"
	rta-store cat -s st -d ev -o ndjson | cut -d'"' -f4 | sort |
	    cmp -s - ids.sorted && echo "$label: then all, once each"
}
run "no fault"
stat -c '%a %s' st/ev/commits | awk '{ print "commits: " $1 ", " ($2 < 1048576 ? "under" : "over") " 1 MiB" }'
run "rename fails" -e inject=renameat:error=EIO:when=1
run "killed at the rename" -e inject=renameat:signal=KILL:when=1
run "killed at the directory sync" -e inject=fsync:signal=KILL:when=1
run "killed at the second rename" -e inject=renameat:signal=KILL:when=2

# A refresh killed at its Nth write, sync, truncation, rename or unlink
# (strace fault injection, every such call of a clean run of --all, which
# refreshes h1 then d1): each target then reads as before the refresh
# or as after it, never in between; the next refresh completes the job,
# equal to a clean run, and fsck finds the targets clean.
rta-gen -s 9 -t 2 --eps 1 -d 4h --start 2026-11-20T00:00:00Z -o rta >ev.rta
rta-window --tumbling 1m --by tenant_id --agg count,p95:payload.latency_ms \
    --emit-every 30s -o ndjson ev.rta >m.ndjson
half=$(($(wc -l <m.ndjson) / 2))
head -n $half m.ndjson >part1
tail -n +$((half + 1)) m.ndjson >part2
rta-store init -s st
rta-store rollup -s st --define --from-dataset m1 --to-dataset h1 --bucket 1h
rta-store rollup -s st --define --from-dataset h1 --to-dataset d1 --bucket 1d
rta-store ingest -s st -d m1 --bucket 1h part1
rta-store rollup -s st --all >/dev/null
rta-store ingest -s st -d m1 part2
reads() {
	rta-store cat -s "$1" -d "$2" -o ndjson 2>&1 | sort | cksum
}
cp -a st clean
rta-store rollup -s clean --all >/dev/null
for d in h1 d1; do
	eval "before_$d=\$(reads st $d) after_$d=\$(reads clean $d)"
done
[ "$before_h1" != "$after_h1" ] && [ "$before_d1" != "$after_d1" ] &&
    echo "the refresh changes h1 and d1"
calls="write pwrite64 fdatasync fsync ftruncate renameat unlinkat"
ASAN_OPTIONS=detect_leaks=0
export ASAN_OPTIONS
cp -a st st0
strace -f -o trace -e trace=$(echo $calls | tr ' ' ,) \
    rta-store rollup -s st0 --all >/dev/null
runs=0 bad=0 mid=0
for c in $calls; do
	n=$(grep -c "^[0-9]* *$c(" trace)
	i=1
	while [ $i -le "$n" ]; do
		rm -rf sk
		cp -a st sk
		strace -f -o /dev/null -e trace=$c \
		    -e inject=$c:signal=SIGKILL:when=$i \
		    rta-store rollup -s sk --all >/dev/null 2>&1
		runs=$((runs + 1))
		for d in h1 d1; do
			got=$(reads sk $d)
			eval "b=\$before_$d a=\$after_$d"
			if [ "$got" = "$a" ]; then
				mid=$((mid + 1))
			elif [ "$got" != "$b" ]; then
				echo "$c #$i: $d reads neither before nor after"
				bad=1
			fi
		done
		rta-store rollup -s sk --all >/dev/null 2>&1 ||
		    { echo "$c #$i: the next refresh failed"; bad=1; }
		for d in h1 d1; do
			eval "a=\$after_$d"
			[ "$(reads sk $d)" = "$a" ] ||
			    { echo "$c #$i: $d differs from a clean run"; bad=1; }
			rta-store fsck -s sk -d $d | grep -q ': clean$' ||
			    { echo "$c #$i: fsck $d not clean"; bad=1; }
		done
		i=$((i + 1))
	done
done
[ $runs -ge 10 ] && echo "at least 10 kills" || echo "only $runs kills"
[ $mid -gt 0 ] && echo "some kills came after a commit"
[ $bad = 0 ] && echo "every kill: before or after, then the same as a clean run"

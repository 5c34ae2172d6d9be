# A cohort refresh killed at its Nth write, sync, truncation, rename or
# unlink (strace fault injection, every such call of a clean run of
# --all, which refreshes a weekly dataset of page views, then a daily
# one of any event, after new days and late first events that move
# users): each target then reads as before the refresh or as after it,
# never in between; the next refresh completes the job, with the same
# records as a clean run and the same matrices, and fsck finds the
# targets clean.
. "$DATA/cohort.inc"
cohort_events 5 "$(date -d 2026-10-12 +%s)" 21 12 >all.ndjson
jq -r 'if .timestamp < "2026-10-26" then "1 " else "2 " end + tojson' \
    all.ndjson >split
sed -n 's/^1 //p' split >part1
sed -n 's/^2 //p' split >part2
# late first events for every 10th user, 8 days before
jq -s -c 'map(select(.payload.user_id | type == "string" or
    type == "number")) | group_by([.tenant_id, (.payload.user_id |
    tostring)]) | map(min_by(.timestamp)) | .[range(0; length; 10)] |
    .event_id = "late-" + .event_id | .timestamp = ((.timestamp[0:19] +
    "Z" | fromdate) - 8 * 86400 | todate)' part1 >>part2
rta-store init -s st
rta-store ingest -s st -d events --dedup-horizon 400d part1
rta-store cohort -s st --define --from-dataset events --to-dataset w \
    --bucket 1w --user payload.user_id --activity page_view
rta-store cohort -s st --define --from-dataset events --to-dataset d \
    --bucket 1d --user payload.user_id
rta-store cohort -s st --all >/dev/null
rta-store ingest -s st -d events --dedup-horizon 400d part2
reads() {
	rta-store cat -s "$1" -d "$2" -o ndjson 2>&1 | sort | cksum
}
matrices() {
	rta-query -s "$1" -d events --cohort first:payload.user_id \
	    --cohort-bucket 1w --activity page_view --explain | grep '^reading'
	rta-query -s "$1" -d events --cohort first:payload.user_id \
	    --cohort-bucket 1w --activity page_view
	rta-query -s "$1" -d events --cohort first:payload.user_id \
	    --cohort-bucket 1d --from 2026-10-12 --periods 20 --explain |
	    grep '^reading'
	rta-query -s "$1" -d events --cohort first:payload.user_id \
	    --cohort-bucket 1d --from 2026-10-12 --periods 20
}
cp -a st clean
rta-store cohort -s clean --all | jq -c '{cohort, moved, records_out}'
matrices clean >want
grep '^reading' want
for a in "1w --activity page_view" "1d --from 2026-10-12 --periods 20"; do
	# shellcheck disable=SC2086
	rta-query -s clean -d events --cohort first:payload.user_id \
	    --cohort-bucket $a --where "tenant_id != ''"
done >raw
grep -v '^reading' want | cmp -s - raw &&
    echo "the matrices: $(wc -l <raw) rows, as from raw events"
for d in w d; do
	eval "before_$d=\$(reads st $d) after_$d=\$(reads clean $d)"
done
[ "$before_w" != "$after_w" ] && [ "$before_d" != "$after_d" ] &&
    echo "the refresh changes w and d"
calls="write pwrite64 fdatasync fsync ftruncate renameat unlinkat"
ASAN_OPTIONS=detect_leaks=0
export ASAN_OPTIONS
cp -a st st0
strace -f -o trace -e trace=$(echo $calls | tr ' ' ,) \
    rta-store cohort -s st0 --all >/dev/null
runs=0 bad=0 mid=0
for c in $calls; do
	n=$(grep -c "^[0-9]* *$c(" trace)
	i=1
	while [ $i -le "$n" ]; do
		rm -rf sk
		cp -a st sk
		strace -f -o /dev/null -e trace=$c \
		    -e inject=$c:signal=SIGKILL:when=$i \
		    rta-store cohort -s sk --all >/dev/null 2>&1
		runs=$((runs + 1))
		for d in w d; do
			got=$(reads sk $d)
			eval "b=\$before_$d a=\$after_$d"
			if [ "$got" = "$a" ]; then
				mid=$((mid + 1))
			elif [ "$got" != "$b" ]; then
				echo "$c #$i: $d reads neither before nor after"
				bad=1
			fi
		done
		rta-store cohort -s sk --all >/dev/null 2>&1 ||
		    { echo "$c #$i: the next refresh failed"; bad=1; }
		for d in w d; do
			eval "a=\$after_$d"
			[ "$(reads sk $d)" = "$a" ] ||
			    { echo "$c #$i: $d differs from a clean run"; bad=1; }
			rta-store fsck -s sk -d $d | grep -q ': clean$' ||
			    { echo "$c #$i: fsck $d not clean"; bad=1; }
		done
		matrices sk | cmp -s - want ||
		    { echo "$c #$i: the matrices differ"; bad=1; }
		i=$((i + 1))
	done
done
[ $runs -ge 50 ] && echo "at least 50 kills" || echo "only $runs kills"
[ $mid -gt 0 ] && echo "some kills came after a commit"
[ $bad = 0 ] && echo "every kill: before or after, then the same as a clean run"

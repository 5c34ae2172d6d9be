# Two processes write 1.4 MiB frames, each in one write(2), into one pipe
# that rta-cat reads: whatever the kernel interleaves, no spliced record is
# accepted (each event out is one a writer wrote, whole), exit 0 or 1, and
# the counts balance.
. "$DATA/balance.inc"
pad=$(head -c 120000 /dev/zero | tr '\0' p)
for w in A B; do
	i=0
	while [ $i -lt 6 ]; do
		i=$((i + 1))
		printf '{"event_id":"%s-%d","timestamp":"2026-01-01T00:00:00Z","event_type":"t","tenant_id":"a","payload":{"p":"' $w $i
		j=0
		while [ $j -lt 12 ]; do
			printf '%s%s' $w "$pad"
			j=$((j + 1))
		done
		printf '"}}\n'
	done >$w.ndjson
	rta-cat --max-line 4M -o rta $w.ndjson >$w.rta
	# the frames alone, each the same size
	tail -c +13 $w.rta | head -c -12 >$w.frames
done
size=$(( $(wc -c <A.frames) / 6 ))
echo "frame size $size"
mkfifo p
rta-cat -o ndjson --max-line 4M --metrics m <p >out 2>err &
pid=$!
exec 3>p
for w in A B; do
	{ perl "$DATA/rtaframe.pl" header; dd if=$w.frames bs=$size 2>/dev/null; } >&3 &
done
exec 3>&-
wait $pid
st=$?
case $st in
0|1) echo "exit 0 or 1" ;;
*) echo "exit $st" ;;
esac
cat A.ndjson B.ndjson | rta-cat --max-line 4M >all
echo "$(grep -c -v -x -F -f all out) events not as written"
balanced m
echo "at most 12 events out: $(awk '/^rta_records_out_total/ { print ($2 <= 12 ? "yes" : $2) }' m)"

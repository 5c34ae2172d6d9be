# kill -9 at seeded random points, restart each time (from the start of
# the input, or --resume from the state's position), append to one
# output: every distinct key of the input is in it exactly once.  Run
# for NDJSON and for rta frames.
check() {
	# $1 input (NDJSON view), $2 output (NDJSON view)
	grep -o '"event_id":"[^"]*"' "$1" | sort -u >want
	grep -o '"event_id":"[^"]*"' "$2" | sort >got
	echo "missing $(comm -23 want got | wc -l) twice $(uniq -d got | wc -l) keys $(wc -l <want)"
}
run() {
	# $1 input file, $2 output, $3 seed
	rm -rf st
	: >"$2"
	i=0
	seed=$3
	while [ $i -lt 6 ]; do
		seed=$(( (seed * 1103515245 + 12345) % 2147483648 ))
		ms=$(( seed % 250 + 20 ))
		resume=
		[ $((i % 2)) = 1 ] && resume=--resume
		rta-dedup --state st --checkpoint-every 20000r $resume "$1" \
		    >>"$2" 2>/dev/null &
		pid=$!
		sleep "$(printf '0.%03d' $ms)"
		kill -9 $pid 2>/dev/null
		wait $pid 2>/dev/null
		i=$((i + 1))
	done
	rta-dedup --state st --resume "$1" >>"$2"
	echo "last run: exit $?"
}
rta-gen -c 300000 --duplicates 0.2 -s 11 >in.ndjson
run in.ndjson out.ndjson 7
check in.ndjson out.ndjson
rta-gen -c 300000 --duplicates 0.2 -s 12 -o rta >in.rta
run in.rta out.rta 8
rta-cat -o ndjson in.rta >in.view
rta-cat -o ndjson out.rta >out.view
check in.view out.view

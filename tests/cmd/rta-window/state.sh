# --state: a checkpoint of every open window, sketch, history and
# funnel user, with how far each input was handled.  After kill -9 and a
# restart (--resume for files; for Kafka, kcat from `rta-window offsets`)
# an output file appended to is byte for byte the uninterrupted run's
# (what the crashed run wrote after its checkpoint is cut and written
# again); through a pipe, the records since the checkpoint come twice.
rta-gen -c 30000 --eps 200 --disorder 5s --late 0.01 --late-by 20s \
    --duplicates 0.01 -o rta >in.rta
A="--tumbling 10s --by tenant_id,event_type --max-delay 2s -o ndjson"
A="$A --agg count,sum:payload.value,p95:payload.latency_ms,distinct:payload.user_id,top3:payload.url"
A="$A --allowed-lateness 30s --emit-every 5s"
S="--session 20s --by tenant_id,payload.user_id --agg count,first:payload.url -o ndjson --max-delay 2s --allowed-lateness 10s"
F="--tumbling 1m --funnel page_view,purchase --within 30s --user payload.user_id --max-delay 2s -o ndjson"
D="--tumbling 5s --agg count --detect zscore:2 --history 10 --min-history 3 --max-delay 2s -o ndjson"
# kill -9 partway, then go on from the checkpoint
crash() {
	name=$1
	shift
	rm -rf "st-$name" fifo
	mkfifo fifo
	rta-trickle 7 in.rta 40000 >fifo &
	tp=$!
	rta-window "$@" --state "st-$name" --checkpoint-every 1000r <fifo \
	    >"part-$name" &
	wp=$!
	sleep 1
	kill -9 "$wp" 2>/dev/null && echo "$name: killed partway"
	{ wait "$wp"; } 2>/dev/null
	kill "$tp" 2>/dev/null
	{ wait "$tp"; } 2>/dev/null
	rta-window "$@" --state "st-$name" --resume <in.rta >>"part-$name"
	echo "$name: restart exit $?"
	rta-window "$@" in.rta >"full-$name"
	if cmp -s "part-$name" "full-$name"; then
		echo "$name: $(wc -l <"full-$name") lines, the same"
	else
		echo "$name: differ"; diff "once-$name" "full-$name" | head -5
	fi
}
crash tumbling $A
crash session $S
crash funnel $F
crash detect $D
crash frames $A -o rta

echo "-- the --late and --alerts files are cut back too"
rm -rf st-side fifo
mkdir full-side
O="--tumbling 5s --agg count --detect zscore:1 --history 10 --min-history 3 --max-delay 2s -o ndjson"
mkfifo fifo
rta-trickle 5 in.rta 40000 >fifo &
tp=$!
rta-window $O --alerts al --late lt --state st-side --checkpoint-every 1000r \
    <fifo >out-side &
wp=$!
sleep 1
kill -9 "$wp" 2>/dev/null && echo "killed partway"
{ wait "$wp"; } 2>/dev/null
kill "$tp" 2>/dev/null
{ wait "$tp"; } 2>/dev/null
rta-window $O --alerts al --late lt --state st-side --resume <in.rta >>out-side
echo "restart exit $?"
(cd full-side && rta-window $O --alerts al --late lt <../in.rta >out-side)
for f in out-side al lt; do
	cmp -s "$f" "full-side/$f" &&
	    echo "$f: the same ($(wc -l <"$f") lines, $(sort "$f" | uniq -d | wc -l) repeated)"
done

echo "-- with --state and no crash, the same output"
rm -rf st
rta-window $A --state st --checkpoint-every 100r in.rta | cmp - full-tumbling &&
    echo same
echo "-- run again on the same files with --resume: nothing new"
rta-window $A --state st --resume --metrics m in.rta | wc -l
sed 's/{stage="rta-window"}//' m |
    grep -E '^rta_(records_(in|out|dropped)_total|window_(resume|checkpoint)[a-z_]*) '
rta-window offsets --state st --format json

echo "-- Kafka: go on from the offsets after each partition's last message"
rta-cat -o ndjson in.rta | head -20000 |
awk '{ p = NR % 2; o[p]++; gsub(/\\/, "\\\\"); gsub(/"/, "\\\"");
    printf "{\"topic\":\"ev\",\"partition\":%d,\"offset\":%d,\"payload\":\"%s\"}\n", p, o[p] + 99, $0 }' >k.jsonl
rta-cat --from kcat-json -o rta k.jsonl >k.rta
rm -rf stk fifo
mkfifo fifo
rta-trickle 3 k.rta 40000 >fifo &
tp=$!
rta-window $A --state stk --checkpoint-every 700r <fifo | cat >part-k &
wp=$(pgrep -n -f 'checkpoint-every 700r')
sleep 1
kill -9 "$wp" 2>/dev/null && echo "killed partway"
kill "$tp" 2>/dev/null
{ wait; } 2>/dev/null
# a torn last line goes (a store reading the pipe would reject it)
if [ -n "$(tail -c1 part-k)" ]; then
	sed '$d' part-k >x && mv x part-k
fi
rta-window offsets --state stk >offsets
sed 's/[0-9][0-9]*$/N/' offsets
# what kcat would fetch from those offsets
awk 'NR == FNR { o[$4] = $6; next }
    { p = $0; sub(/.*"partition":/, "", p); sub(/,.*/, "", p);
      f = $0; sub(/.*"offset":/, "", f); sub(/,.*/, "", f);
      if (!(p in o) || f + 0 >= o[p] + 0) print }' offsets k.jsonl |
    rta-cat --from kcat-json -o rta | rta-window $A --state stk | cat >>part-k
echo "restart exit $?"
rta-window $A k.rta >full-k
awk '!seen[$0]++' part-k | cmp - full-k && echo "kafka: once each, the same"

echo "-- refused: other options, a damaged checkpoint, a busy directory"
{ rta-window --tumbling 1m --state st in.rta 2>&1 >/dev/null; echo "exit $?"; } |
    sed 's/(rta-window.*/(...)/'
cp -r st st-bad
printf 'x' | dd of=st-bad/checkpoint bs=1 seek=40 conv=notrunc 2>/dev/null
rta-window $A --state st-bad in.rta 2>&1 >/dev/null
echo "exit $?"
rta-window offsets --state st-bad 2>&1
echo "exit $?"
rta-window $D --state st-detect --history 20 in.rta 2>&1 >/dev/null |
    sed 's/(rta-window.*/(...)/'

( flock -x 9; sleep 2 ) 9>st/lock &
sleep 0.5
rta-window $A --state st in.rta 2>&1 >/dev/null
echo "exit $?"
wait
echo "-- usage"
for a in "--tumbling 1m --resume" "offsets" "offsets --state st x" \
    "offsets --state st --tumbling 1m" "--tumbling 1m --format json" \
    "--tumbling 1m --checkpoint-every 0s" "offsets --state nowhere"; do
	{ rta-window $a 2>&1 >/dev/null </dev/null; echo "exit $?"; } |
	    sed -n '1p;$p'
done

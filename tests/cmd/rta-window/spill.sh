# --at-cap spill: when a new window would pass --max-groups, the windows
# of its end go to spill files in --state DIR/spill, with that end's
# later events; read back in order when the end closes, they give the
# records of a run without a cap, byte for byte, in bounded memory.
. "$DATA/rss.inc"
rta-gen -c 30000 -t 1000 --eps 500 --disorder 5s --late 0.01 --late-by 20s \
    -o rta >in.rta
AG="--agg count,sum:payload.value,min:payload.value,max:payload.value"
AG="$AG,avg:payload.latency_ms,p95:payload.latency_ms,distinct:payload.user_id"
AG="$AG,top5:payload.url"
same() {
	name=$1
	shift
	rta-window "$@" $AG --max-delay 2s -o ndjson in.rta >full
	rm -rf st
	rta-window "$@" $AG --max-delay 2s -o ndjson --max-groups 50 \
	    --at-cap spill --state st --metrics m in.rta >capped
	echo "$name: exit $?, $(wc -l <full) records," \
	    "$(cmp -s full capped && echo the same || echo differ)"
	sed 's/{stage="rta-window"}//' m |
	    grep -E '^rta_(records_(in|out|rejected|dropped)_total|window_(spilled_[a-z]*|open_peak)) '
	awk '/^rta_window_spill_bytes_total/ { print ($2 > 0) ? "spill bytes > 0" : "no spill bytes" }' m
	echo "spill files left: $(ls st/spill | wc -l)"
}
same tumbling --tumbling 10s
same sliding --sliding 30s --every 10s
same "sliding by type" --sliding 20s --every 5s --by tenant_id,event_type

echo "-- memory stays bounded: 1000 windows held of some 100000"
rta-gen -c 100000 -t 1000 --eps 2000 -o rta >many.rta
M="--tumbling 1m --by tenant_id,payload.user_id --agg count,p95:payload.latency_ms,distinct:payload.url -o rta"
rm -rf st
/usr/bin/time -o rss -f %M rta-window $M --max-groups 1000 --at-cap spill \
    --state st --metrics m many.rta >capped
rss_below 40960 rss
grep '^rta_window_open_peak' m
rta-window $M many.rta | cmp - capped && echo "the same records"

echo "-- kill -9 partway and restart: the same output"
crash() {
	name=$1
	at=$2
	shift 2
	rm -rf "st-$name" fifo
	mkfifo fifo
	rta-trickle "$at" in.rta 40000 >fifo &
	tp=$!
	rta-window "$@" $CAP --state "st-$name" --checkpoint-every 700r \
	    <fifo >"part-$name" &
	wp=$!
	sleep "0.$at"
	kill -9 "$wp" 2>/dev/null && echo "$name: killed partway"
	{ wait "$wp"; } 2>/dev/null
	kill "$tp" 2>/dev/null
	{ wait "$tp"; } 2>/dev/null
	rta-window "$@" $CAP --state "st-$name" --resume <in.rta \
	    >>"part-$name"
	echo "$name: restart exit $?"
	rta-window "$@" in.rta >"full-$name"
	if cmp -s "part-$name" "full-$name"; then
		echo "$name: $(wc -l <"full-$name") lines, the same"
	else
		echo "$name: differ"
	fi
}
# the uninterrupted run to compare with has no cap
CAP="--max-groups 40 --at-cap spill"
T="--tumbling 10s --max-delay 2s -o ndjson $AG"
S="--sliding 30s --every 10s --max-delay 2s -o ndjson $AG"
crash tumbling-early 3 $T
crash tumbling-late 9 $T
crash sliding 6 $S
crash frames 7 $T -o rta

echo "-- damaged spill files: a clear error, no crash"
rta-gen -c 10000 -t 1000 --eps 500 --disorder 5s -o rta >part.rta
O="--tumbling 10s --max-delay 2s --max-groups 20 --at-cap spill -o ndjson"
O="$O --checkpoint-every 1000r"
rta-window $O --state ref part.rta >/dev/null
want=$(rta-window offsets --state ref --format json)
# stopped with windows spilled: input that stops coming, then kill -9
rm -rf st
rm -f fifo
mkfifo fifo
rta-window $O --state st <fifo >/dev/null &
wp=$!
exec 8>fifo
cat part.rta >&8
i=0
while [ "$(rta-window offsets --state st --format json 2>/dev/null | sed 's/<stdin>/part.rta/')" != "$want" ] &&
    [ $i -lt 100 ]; do
	sleep 0.2
	i=$((i + 1))
done
kill -9 "$wp"
{ wait "$wp"; } 2>/dev/null
exec 8>&-
ls st/spill | wc -l
f=$(ls st/spill | head -1)
cp -r st st-flip
printf 'x' | dd of="st-flip/spill/$f" bs=1 seek=100 conv=notrunc 2>/dev/null
rta-window $O --state st-flip --resume <part.rta >/dev/null
echo "exit $?"
cp -r st st-cut
dd if=st/spill/$f of=st-cut/spill/$f bs=50 count=1 2>/dev/null
rta-window $O --state st-cut --resume <part.rta >/dev/null
echo "exit $?"
cp -r st st-gone
rm "st-gone/spill/$f"
rta-window $O --state st-gone --resume <part.rta 2>err >/dev/null
echo "exit $?"
sed 's/: No such file.*/: no such file/' err
# a file no checkpoint names (written after it) goes
cp -r st st-extra
echo junk >st-extra/spill/5-999.run
rta-window $O --state st-extra --resume <part.rta >/dev/null
echo "exit $?, left: $(ls st-extra/spill | wc -l)"

echo "-- reject, the default, is unchanged"
rta-window -q --tumbling 10s --max-groups 50 -o ndjson --dead-letter dl1 \
    in.rta >r1
echo "exit $?"
rta-window -q --tumbling 10s --max-groups 50 --at-cap reject -o ndjson \
    --dead-letter dl2 in.rta | cmp - r1 && cmp dl1 dl2 &&
    echo "the same, $(grep -c too-many-groups dl1) rejected"

echo "-- usage"
for a in "--tumbling 1m --at-cap spill" "--tumbling 1m --at-cap drop" \
    "--session 1m --at-cap spill --state s" \
    "--tumbling 1m --allowed-lateness 1m --at-cap spill --state s" \
    "--tumbling 1m --emit-every 1m --at-cap spill --state s" \
    "--tumbling 1m --detect zscore:3 --at-cap spill --state s"; do
	{ rta-window $a 2>&1 >/dev/null </dev/null; echo "exit $?"; } |
	    sed -n '1p;$p'
done

# A damaged checkpoint is a failed state: exit 3, for a run and for
# offsets, and nothing written.
rta-gen -c 50 >in.ndjson
rta-dedup --state st in.ndjson >/dev/null
echo "first run: exit $?"
size=$(wc -c <st/checkpoint)
printf 'x' | dd of=st/checkpoint bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
rta-dedup --state st in.ndjson >out 2>err
echo "exit $?, $(wc -l <out) lines out"
rta-dedup offsets --state st >>err 2>&1
echo "offsets: exit $?"
sed 's/^\(rta-dedup: \)[^:]*\/\(checkpoint\)/\1DIR\/\2/' err

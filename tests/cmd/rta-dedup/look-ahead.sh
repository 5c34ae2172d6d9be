# With enough keys, rta-dedup reads frames ahead of the current one to
# fetch the key set's buckets early; those bytes are hints only.  The
# frames give exactly what the same stream as NDJSON (never read ahead)
# gives, with the key event_id and with a payload key, and with a damaged
# frame in the middle.
rta-gen -c 400000 --duplicates 0.1 -s 21 -t 3 -o rta >in.rta
rta-cat -o ndjson in.rta >in.ndjson
for k in event_id tenant_id,payload.user_id,payload.url; do
	rta-dedup -k $k -o ndjson in.rta >a.ndjson
	rta-dedup -k $k in.ndjson >b.ndjson
	cmp a.ndjson b.ndjson && echo "$k: same $(wc -l <a.ndjson) events"
done
# a flipped byte in one frame's body: its checksum fails, the rest goes on
size=$(wc -c <in.rta)
head -c $((size / 2)) in.rta >bad.rta
printf 'X' >>bad.rta
tail -c $((size - size / 2 - 1)) in.rta >>bad.rta
rta-dedup -q -o ndjson bad.rta >c.ndjson
echo "exit $?"
rta-cat -q -o ndjson bad.rta | rta-dedup >d.ndjson
cmp c.ndjson d.ndjson && echo "damaged: same $(wc -l <c.ndjson) events"

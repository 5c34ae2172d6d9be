# Binary input is read ahead to fetch table rows early when a table is
# too big for the caches (users.csv, 100,000 rows, some 15 MB in memory);
# what is joined never depends on it.  The same events as NDJSON (read
# without looking ahead) give the same output, with several tables,
# string, number and missing keys, watermarks between events, inputs that
# span many read buffers, and damage that the look-ahead walks into before
# the reader does.
rta-gen -c 40000 -t 3 --users 100000 --types page_view,purchase,error \
    --watermark-every 1s -o rta >in.rta
awk 'BEGIN { print "user_id,plan,n"
	for (i = 0; i < 200000; i += 2)
		printf "u%06d,p%d,%d\n", i, i % 4, i }' >users.csv
printf 'country,region\nDE,eu\nPL,eu\nUS,na\n' >countries.csv
awk 'BEGIN { print "latency_ms,bucket"
	for (i = 0; i < 400; i += 3) printf "%d,b%d\n", i, i / 50 }' >lat.csv
set -- --ref users.csv --on payload.user_id \
    --ref countries.csv --on payload.country --prefix geo_ \
    --ref lat.csv --on payload.latency_ms --into lat
rta-cat -o ndjson in.rta >in.ndjson
rta-enrich "$@" -o ndjson in.rta >a.ndjson
echo "frames: exit $?"
rta-enrich "$@" -o ndjson in.ndjson >b.ndjson
echo "ndjson: exit $?"
cmp a.ndjson b.ndjson && echo "same output"
wc -l <a.ndjson
jq -r 'select(.payload.users) | "users"' a.ndjson | uniq -c
jq -r 'select(.payload.geo_region) | "geo"' a.ndjson | uniq -c
jq -r 'select(.payload.lat) | "lat"' a.ndjson | uniq -c
# frames out too: the same events
rta-enrich "$@" in.rta | rta-cat -o ndjson | cmp - a.ndjson &&
    echo "same as frames"
# damage: bytes overwritten inside the stream at three places
cp in.rta bad.rta
size=$(wc -c <in.rta)
for at in 1000 $((size / 2)) $((size - 5000)); do
	printf 'garbage\377\377\377\377' |
	    dd of=bad.rta bs=1 seek=$at conv=notrunc 2>/dev/null
done
rta-enrich "$@" -o ndjson bad.rta >c.ndjson 2>c.err
echo "damaged: exit $?"
rta-cat -o ndjson bad.rta 2>/dev/null | rta-enrich "$@" -o ndjson >d.ndjson
cmp c.ndjson d.ndjson && echo "same output after damage"
grep -c 'checksum mismatch' c.err

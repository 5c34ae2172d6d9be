# offsets: where each Kafka partition resumes (the offset after the last
# message stored), as kcat options or JSON (with the inputs' positions
# too).  Whatever the timing of the commits, every message of the input
# counts, the last ones included.  Resuming a consumer from there after
# a partial run stores every message once.
rta-cat --from kcat-json -o rta "$DATA/kcat.ndjson" >k.rta 2>/dev/null
for i in 1 2 3 4 5; do
	rm -rf st
	rta-store init -s st
	rta-store ingest -s st -d ev k.rta
	echo "run $i: exit $?, $(rta-store offsets -s st -d ev | paste -sd' ')"
done
rta-store offsets -s st -d ev --format json
echo "exit $?"
echo "-- two partitions, a partial run, then the rest from the offsets"
rta-gen -s 44 -c 6000 |
awk '{ p = NR % 2; o[p]++; gsub(/\\/, "\\\\"); gsub(/"/, "\\\"");
    printf "{\"topic\":\"ev\",\"partition\":%d,\"offset\":%d,\"payload\":\"%s\"}\n", p, o[p] + 99, $0 }' >k.jsonl
rta-cat --from kcat-json -o rta k.jsonl >all.rta
head -2500 k.jsonl | rta-cat --from kcat-json -o rta >part.rta
rm -rf st
rta-store init -s st
rta-store ingest -s st -d ev part.rta
rta-store offsets -s st -d ev >offsets
cat offsets
head -2500 k.jsonl | awk -F'"partition":|,"offset":|,"payload"' '
    { if ($3 + 1 > o[$2]) o[$2] = $3 + 1 }
    END { for (p in o) printf "-t ev -p %d -o %d\n", p, o[p] }' | sort -k4r |
    cmp -s - offsets && echo "the offsets after the last messages stored"
# what kcat would fetch from those offsets
awk 'NR == FNR { o[$4] = $6; next }
    { split($0, a, /"partition":|,"offset":|,"payload"/)
      if (!(a[2] in o) || a[3] + 0 >= o[a[2]] + 0) print }' offsets k.jsonl |
    rta-cat --from kcat-json -o rta >rest.rta
rta-store ingest -s st -d ev rest.rta
echo "the rest: exit $?"
rta-store offsets -s st -d ev
rta-store cat -s st -d ev -o ndjson | sort >got
rta-gen -s 44 -c 6000 | sort | cmp - got && echo "every message once"

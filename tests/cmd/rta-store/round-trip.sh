# What goes in comes out: NDJSON and rta frames of the same events make
# the same dataset; cat writes each record as it was given (sorted, the
# input and the output are the same bytes), in rta frames by default
# off a terminal, bucket by bucket and, in a bucket, tenant by tenant in
# time order.
rta-gen -s 21 -c 3000 --tenants 5 --eps 0.5 >in.ndjson
rta-gen -s 21 -c 3000 --tenants 5 --eps 0.5 -o rta >in.rta
rta-store init -s st
rta-store ingest -s st -d nd --bucket 1h in.ndjson
echo "ingest ndjson: exit $?"
rta-store ingest -s st -d fr --bucket 1h in.rta
echo "ingest rta: exit $?"
ls st/nd
rta-store cat -s st -d nd -o ndjson >nd.out
echo "cat -o ndjson: exit $?, $(wc -l <nd.out) records"
sort in.ndjson >want
sort nd.out | cmp - want && echo "sorted, the input's bytes"
rta-store cat -s st -d fr -o ndjson >fr.out
cmp nd.out fr.out && echo "frames in: the same records out"
rta-store cat -s st -d fr >fr.rta
echo "cat (default): exit $?"
head -c 4 fr.rta | od -An -c | tr -s ' '
rta-cat -o ndjson fr.rta | cmp - nd.out && echo "the frames decode to the same records"
rta-store cat -s st -d nd -o rta >nd.rta
cmp nd.rta fr.rta && echo "-o rta: the same bytes"
# bucket (the hour), then tenant, then time: never going back
awk -F'"' '{
	k = substr($8, 1, 13) " " $16 " " $8
	if (NR > 1 && k < last) { print "out of order at " NR ": " k; bad = 1 }
	last = k
} END { if (!bad) print "order: bucket, tenant, time" }' nd.out

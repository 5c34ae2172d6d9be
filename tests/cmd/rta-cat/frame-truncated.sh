# A stream cut inside a frame or a frame header: the complete frames are
# read, the cut one is reported (truncated), exit 1; and a cut stream
# followed by another one does not stop the reader.
. "$DATA/balance.inc"
rta-gen -c 10 -s 1 -o rta >s1.rta
rta-gen -c 10 -s 2 -o rta >s2.rta
rta-cat -o ndjson s1.rta >all1
for n in 1000 940 920; do
	head -c $n s1.rta >cut.rta
	rta-cat -o ndjson --metrics m cut.rta >out
	echo "cut at $n: exit $?, $(wc -l <out) events, $(balanced m)"
	head -$(wc -l <out) all1 | cmp - out && echo "the first events, intact"
done
head -c 1000 s1.rta | cat - s2.rta >joined.rta
rta-cat -o ndjson --metrics m joined.rta >out
echo "cut, then another stream: exit $?, $(wc -l <out) events, $(balanced m)"
rta-cat -o ndjson s2.rta | tail -5 >last5
tail -5 out | cmp - last5 && echo "the second stream's later events read"

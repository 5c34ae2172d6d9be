# A file and the same bytes through a trickling pipe (several seeds,
# NDJSON and frames) give the same output: nothing depends on timing.
command -v rta-trickle >/dev/null ||
    { echo "rta-trickle is not built (make check-cmd builds it)"; exit 1; }
rta-gen -c 3000 --duplicates 0.2 -s 4 --disorder 5s --watermark-every 1s \
    >in.ndjson
rta-cat -o rta in.ndjson >in.rta
for f in ndjson rta; do
	rta-dedup --ttl 3s --max-delay 1s --duplicates a.dups in.$f >a.out
	for s in 1 2 3; do
		rta-trickle $s in.$f 200 | rta-dedup --ttl 3s --max-delay 1s \
		    --duplicates b.dups >b.out
		cmp a.out b.out || echo "$f seed $s: output differs"
	done
	echo "$f: $(rta-cat -o ndjson a.out | wc -l) events"
done

# The output, messages and dead letters of rta-cat on a binary stream with
# bad checksums, a run of garbage, a second stream header and control
# records do not depend on how the input was split into reads
# (rta-trickle, 25 seeds), to rta or to NDJSON.
command -v rta-trickle >/dev/null ||
    { echo "rta-trickle is not built (make check-cmd builds it)"; exit 1; }
rta-gen -c 1500 -s 8 -o rta --malformed 0.05 --watermark-every 5s >a.rta
{
	head -c -12 a.rta
	perl "$DATA/noise.pl" 5 1 | head -c 5000
	rta-gen -c 300 -s 9 -o rta --duplicates 0.1
} >in.rta
for o in rta ndjson; do
	rm -f ref.dl
	rta-cat -o $o --dead-letter ref.dl <in.rta >ref.out 2>ref.err
	echo "-o $o: exit $?: $(wc -c <ref.out) bytes out, $(wc -l <ref.dl) dead letters"
	n=0
	for s in $(seq 1 25); do
		rm -f t.dl
		rta-trickle $s in.rta | rta-cat -o $o --dead-letter t.dl >t.out 2>t.err
		if cmp -s t.out ref.out && cmp -s t.err ref.err &&
		    cmp -s t.dl ref.dl
		then
			n=$((n + 1))
		else
			echo "seed $s: different"
		fi
	done
	echo "$n of 25 runs identical"
done

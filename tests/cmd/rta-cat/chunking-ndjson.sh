# The output, messages and dead letters of rta-cat on an NDJSON stream with
# bad records, control records and CRLF lines do not depend on how the
# input was split into reads (rta-trickle, 25 seeds).
command -v rta-trickle >/dev/null ||
    { echo "rta-trickle is not built (make check-cmd builds it)"; exit 1; }
{
	rta-gen -c 1500 -s 7 --malformed 0.05 --duplicates 0.05 \
	    --watermark-every 5s --disorder 1s
	rta-gen -c 200 -s 8 | sed 's/$/\r/'
	printf '\n\n{"event_id":"x"'
} >in.ndjson
rta-cat --dead-letter ref.dl <in.ndjson >ref.out 2>ref.err
echo "exit $?: $(wc -l <ref.out) out, $(wc -l <ref.dl) dead letters"
n=0
for s in $(seq 1 25); do
	rm -f t.dl
	rta-trickle $s in.ndjson | rta-cat --dead-letter t.dl >t.out 2>t.err
	if cmp -s t.out ref.out && cmp -s t.err ref.err && cmp -s t.dl ref.dl
	then
		n=$((n + 1))
	else
		echo "seed $s: different"
	fi
done
echo "$n of 25 runs identical"

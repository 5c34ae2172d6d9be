# The output, messages and dead letters of rta-validate do not depend on
# how its input was split into reads (rta-trickle, 20 seeds), for NDJSON
# and rta frames with valid, invalid and malformed records.
command -v rta-trickle >/dev/null ||
    { echo "rta-trickle is not built (make check-cmd builds it)"; exit 1; }
cp -R "$DATA/validate/schemas" schemas
rta-gen -c 1500 -s 12 --malformed 0.03 --watermark-every 5s \
    --types page_view=8,purchase=1,error=1,signup=1 >in.ndjson
cat "$DATA/validate/drift.ndjson" >>in.ndjson
rta-cat -q -o rta in.ndjson >in.rta
for f in ndjson rta; do
	rm -f ref.dl
	rta-validate -s schemas --dead-letter ref.dl <in.$f >ref.out 2>ref.err
	echo "$f: exit $?: $(wc -c <ref.out) bytes out, $(wc -l <ref.dl) dead letters"
	n=0
	for s in $(seq 1 20); do
		rm -f t.dl
		rta-trickle $s in.$f 200 |
		    rta-validate -s schemas --dead-letter t.dl >t.out 2>t.err
		if cmp -s t.out ref.out && cmp -s t.err ref.err &&
		    cmp -s t.dl ref.dl
		then
			n=$((n + 1))
		else
			echo "seed $s: different"
		fi
	done
	echo "$n of 20 runs identical"
done

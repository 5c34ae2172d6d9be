# CSV (with quoted newlines and bad rows) and kcat -J input give the same
# output and messages however the input is split into reads.
command -v rta-trickle >/dev/null ||
    { echo "rta-trickle is not built (make check-cmd builds it)"; exit 1; }
{
	cat "$DATA/events.csv"
	printf 'e5,2026-01-01T00:00:00Z,t,a,1\n'
	printf 'e6,2026-01-01T00:00:00Z,t,a,1,u,1,true,"a\nb\nc",\n'
} >in.csv
{ cat "$DATA/kcat.ndjson"; printf '{"topic":"x"}\n'; cat "$DATA/kcat.ndjson"; } >in.kcat
for f in csv kcat; do
	from=$f
	[ $f = kcat ] && from=kcat-json
	rta-cat --from $from <in.$f >ref.out 2>ref.err
	echo "$f: exit $?, $(wc -l <ref.out) out"
	n=0
	for s in $(seq 1 20); do
		rta-trickle $s in.$f 2000 | rta-cat --from $from >t.out 2>t.err
		cmp -s t.out ref.out && cmp -s t.err ref.err && n=$((n + 1))
	done
	echo "$n of 20 runs identical"
done

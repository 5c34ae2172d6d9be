# The dead letter of a too-long line does not depend on how the input was
# split into reads, and its original_length is the length of the line.
command -v rta-trickle >/dev/null ||
    { echo "rta-trickle is not built (make check-cmd builds it)"; exit 1; }
{
	rta-gen -c 1
	head -c 3000000 /dev/zero | tr '\0' a
	echo
} >in.ndjson
rta-cat -q --dead-letter ref <in.ndjson >/dev/null
grep -o '"original_length":[0-9]*' ref
for s in 1 2 3 4 5; do
	rta-trickle $s in.ndjson | rta-cat -q --dead-letter dl$s >/dev/null
	cmp -s ref dl$s || echo "seed $s: different dead letter: $(grep -o '"original_length":[0-9]*' dl$s)"
done

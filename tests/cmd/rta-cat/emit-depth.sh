# What rta-cat emit accepts, rta-cat reads back: around the nesting limit,
# emit either refuses a payload or writes one that the NDJSON and rta
# readers both accept.
for n in 61 62 63 64 65; do
	a=$(head -c $n /dev/zero | tr '\0' '[')
	b=$(head -c $n /dev/zero | tr '\0' ']')
	rta-cat emit --id x --time 0 t a "x:=$a$b" >e.ndjson 2>/dev/null
	s1=$?
	rta-cat emit -o rta --id x --time 0 t a "x:=$a$b" >e.rta 2>/dev/null
	s2=$?
	if [ $s1 != $s2 ]; then
		echo "depth $n: emit exit $s1 for ndjson, $s2 for rta"
	elif [ $s1 != 0 ]; then
		echo "depth $n: ok"
	else
		rta-cat e.ndjson >/dev/null 2>&1
		s3=$?
		rta-cat e.rta >/dev/null 2>&1
		s4=$?
		if [ $s3 = 0 ] && [ $s4 = 0 ]; then
			echo "depth $n: ok"
		else
			echo "depth $n: emitted, then rejected (ndjson exit $s3, rta exit $s4)"
		fi
	fi
done

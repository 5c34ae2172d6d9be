# NDJSON -> rta -> NDJSON is the identity on rta-gen streams of several
# seeds and shapes (control records, disorder, late and future events,
# duplicates, many tenants, custom types); and rta -> NDJSON -> rta too.
i=0
for args in "-s 1" "-s 2 --watermark-every 5s --disorder 3s" \
    "-s 3 --late 0.2 --future 0.2 --duplicates 0.3" \
    "-s 4 -t 1000 --skew 1.5 --users 7" \
    "-s 5 --types a=1,b-c=2,purchase=3,error=1 --eps 1000" \
    "-s 6 --start 0001-01-01T00:00:00Z" "-s 7 --start 9999-12-31T23:00:00Z"
do
	i=$((i + 1))
	rta-gen -c 500 $args >g$i.ndjson
	rta-cat -o rta g$i.ndjson >g$i.rta
	s1=$?
	rta-cat -o ndjson g$i.rta >back$i.ndjson
	s2=$?
	cmp -s g$i.ndjson back$i.ndjson && same=identical || same=DIFFERENT
	rta-gen -c 500 $args -o rta >h$i.rta
	rta-cat -o ndjson h$i.rta >h$i.ndjson
	rta-cat -o rta h$i.ndjson >h2$i.rta
	s3=$?
	cmp -s h$i.rta h2$i.rta && same2=identical || same2=DIFFERENT
	echo "$args: exit $s1 $s2 $s3, ndjson $same, rta $same2"
done

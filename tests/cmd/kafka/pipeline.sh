# The whole pipeline on a real Kafka consumer: kcat -J into rta-cat,
# rta-validate, rta-dedup and rta-store.  The store ends with every
# produced event once (the producer re-sent some), and its offsets are
# the end of every partition, where kcat would resume.
. "$TESTS/kafka/kafka.sh"
start_mock -b 3 -t events:4

rta-gen -s 8 -c 4000 --duplicates 0.02 >in.ndjson
rta-cat --kafka-key tenant_id in.ndjson | kcat -P $KP -t events -K '\t'
echo "produced: $(wc -l <in.ndjson) messages, $(grep -o '"event_id":"[^"]*"' \
    in.ndjson | sort -u | wc -l) distinct events"

rta-store init -s st
kcat -C $KC -t events -o beginning -e -u -J >kcat.out
echo "kcat: exit $?"
rta-cat --from kcat-json -o rta kcat.out >1.rta
echo "rta-cat: exit $?"
rta-validate -s "$DATA/validate/schemas" 1.rta >2.rta
echo "rta-validate: exit $?"
rta-dedup --duplicates dups.ndjson 2.rta >3.rta
echo "rta-dedup: exit $?, $(wc -l <dups.ndjson) duplicates"
rta-store ingest -s st -d events 3.rta
echo "rta-store ingest: exit $?"

# the same as one pipeline, as it runs in production
rta-store init -s st2
kcat -C $KC -t events -o beginning -e -u -J |
    rta-cat --from kcat-json -o rta |
    rta-validate -s "$DATA/validate/schemas" |
    rta-dedup |
    rta-store ingest -s st2 -d events
echo "pipeline: exit $?"

grep -o '"event_id":"[^"]*"' in.ndjson | sort -u >want
for s in st st2; do
	rta-store cat -s $s -d events -o ndjson >$s.ndjson
	grep -o '"event_id":"[^"]*"' $s.ndjson | sort >$s.ids
	echo "$s: $(wc -l <$s.ids) events," \
	    "$(comm -23 want $s.ids | wc -l) missing," \
	    "$(uniq -d $s.ids | wc -l) duplicated," \
	    "$(comm -13 want $s.ids | wc -l) unknown"
done
echo "-- rta-store offsets: the end of each partition"
rta-store offsets -s st -d events --format kcat | sort -k4 >offsets
cat offsets
end_offsets events | awk '{ print "-t events -p", $1, "-o", $2 }' |
    cmp -s - offsets && echo "= the end offsets kcat reports"
rta-store offsets -s st2 -d events --format kcat | sort -k4 |
    cmp -s - offsets && echo "= the pipeline's"
stop_mock

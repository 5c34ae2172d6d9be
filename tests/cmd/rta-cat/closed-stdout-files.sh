# With stdout closed, the dead-letter and metrics files opened by rta-cat
# must not take its place: no event is written into them.
rta-gen -c 6 -s 3 --malformed 0.3 >in.ndjson
rta-cat --dead-letter dl --metrics m in.ndjson >&- 2>/dev/null
echo "exit $?"
echo "dead letters: $(wc -l <dl), events in the dead-letter file: $(grep -c '^{"event_id"' dl)"
grep -c '^rta_records_in_total' m

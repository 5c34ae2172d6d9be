# examples/ops/self-watch.sh turns the stages' metrics files into
# rta.metrics events: the first sample only records the counters, the
# next ones give what happened since, per file, and rta-cat and
# rta-window take the events as they come.
ex=$TESTS/../examples
unset RTA_NOW
rta-gen -s 4 -c 3000 --tenants 2 --malformed 0.01 --duplicates 0.02 \
    >in.ndjson
sh "$ex/pipeline.sh" -s st -w work in.ndjson
# a second sample after more records: the counters of cat and dedup as
# a run that read the input twice would write them
sh "$ex/ops/self-watch.sh" -i 1 -n 2 work/cat.prom work/dedup.prom \
    work/missing.prom >events.ndjson &
sleep 0.5
for f in cat dedup; do
	awk '/^rta_records_[a-z]*_total\{stage="[^"]*"\} / { $2 *= 2 } 1' \
	    work/$f.prom >work/$f.prom.new
	mv work/$f.prom.new work/$f.prom
done
wait
echo "events: $(wc -l <events.ndjson)"
jq -c '{event_type, tenant_id, payload: (.payload | del(.lag_seconds) |
    .file |= sub(".*/"; ""))}' events.ndjson
rta-cat -q -o ndjson --metrics cat.prom events.ndjson >/dev/null
echo "rta-cat: exit $?"
grep '^rta_records_\(in\|rejected\)_total' cat.prom
rta-window -q --tumbling 1m --by payload.file \
    --agg sum:payload.rejected,max:payload.lag_seconds,sum:payload.in \
    --detect zscore:4 --min-history 30 events.ndjson |
    jq -c 'select(."$rta" == "aggregate") |
    {group, in: .results."sum:payload.in"}'

# --events-only leaves out watermark and position records, in either
# encoding; events pass unchanged.
rta-gen -c 40 --watermark-every 1s >in.ndjson
rta-cat --from kcat-json "$DATA/kcat.ndjson" >>in.ndjson
echo "input: $(grep -c '"\$rta"' in.ndjson) control records"
rta-cat --events-only in.ndjson >out
echo "exit $?: $(grep -c '"\$rta"' out) control records"
grep -v '"\$rta"' in.ndjson | cmp - out && echo "every event, unchanged"
rta-cat -o rta in.ndjson >in.rta
rta-cat --events-only -o ndjson in.rta >out2
echo "from rta: exit $?"
cmp out out2 && echo "the same"

# Bad records are reported with file:line, dead-lettered with a reason,
# skipped, and the run exits 1; --strict stops at the first; -q mutes
# the messages, not the status; --max-errors stops after N.
rta-gen -s 47 -c 200 >in.ndjson
{ head -50 in.ndjson; echo '{"event_id":"x"'; sed -n 51,100p in.ndjson
  echo '{"event_id":"y","timestamp":"2026-13-01T00:00:00Z","event_type":"v","tenant_id":"t"}'
  sed -n '101,$p' in.ndjson; } >mixed.ndjson
rta-store init -s st
rta-store ingest -s st -d ev --dead-letter dl --metrics m mixed.ndjson
echo "exit $?"
grep -o '"reason":"[^"]*"\|"line":[0-9]*' dl | paste -d' ' - -
. "$DATA/balance.inc"
balanced m
rta-store cat -s st -d ev -o ndjson | sort >got
sort in.ndjson | cmp - got && echo "the good records stored"
rta-store ingest -s st -d q -q mixed.ndjson
echo "-q: exit $?"
rta-store ingest -s st -d strict --strict mixed.ndjson
echo "--strict: exit $?, $(rta-store cat -s st -d strict -o ndjson | wc -l) stored"
rta-store ingest -s st -d max --max-errors 1 -q mixed.ndjson
echo "--max-errors 1: exit $?, $(rta-store cat -s st -d max -o ndjson | wc -l) stored"

# Output is flushed before rta-validate blocks on input, so events read
# from a slow pipe go on at once, in either encoding, and so do their
# dead letters.
cp -R "$DATA/validate/schemas" schemas
mkfifo p1 p2
rta-validate -s schemas --dead-letter dl1 <p1 >out1 2>/dev/null &
pid1=$!
rta-validate -s schemas -o rta <p2 >out2 &
pid2=$!
exec 3>p1 4>p2
rta-gen -c 3 >&3
printf '{"event_id":"bad","timestamp":"2026-11-26T09:00:00Z","event_type":"error","tenant_id":"a","schema_version":1,"payload":{}}\n' >&3
rta-gen -c 3 >&4
sleep 1
echo "ndjson, input still open: $(wc -l <out1) events, $(wc -l <dl1) dead letter"
echo "rta, input still open: $(rta-cat -o ndjson out2 2>/dev/null | grep -c event_id) events"
exec 3>&- 4>&-
wait $pid1
echo "exit $?"
wait $pid2
echo "exit $?"

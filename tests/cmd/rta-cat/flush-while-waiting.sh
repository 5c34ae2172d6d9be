# Output is flushed before rta-cat blocks on input, so records read from a
# slow pipe reach the reader at once, in either encoding.
mkfifo p1 p2
rta-cat <p1 >out1 &
pid1=$!
rta-cat -o rta <p2 >out2 &
pid2=$!
exec 3>p1 4>p2
rta-gen -c 3 >&3
rta-gen -c 3 >&4
sleep 1
echo "ndjson, input still open: $(wc -l <out1) records"
rta-cat -o ndjson out2 2>/dev/null | grep -c event_id
exec 3>&- 4>&-
wait $pid1
echo "exit $?"
wait $pid2
echo "exit $?"

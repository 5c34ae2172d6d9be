# -n/--head N stops after N events, even on an endless input; control
# records before the Nth event pass, later ones do not.
rta-gen -c 30 --watermark-every 1s >in.ndjson
rta-cat -n 12 in.ndjson >o1
echo "exit $?: $(grep -c event_id o1) events, $(grep -c '"\$rta"' o1) control"
head -13 in.ndjson | cmp - o1 && echo "the first 13 records"
rta-cat --head=1000 in.ndjson >o2
echo "more than there are: exit $?, $(wc -l <o2) lines"
mkfifo p
rta-gen -c 0 >p 2>/dev/null &
gen=$!
timeout 10 rta-cat -n 5 p >o3
echo "endless input: exit $?, $(wc -l <o3) lines"
wait $gen
echo "generator ended: $?"
rta-cat -n 0 in.ndjson
echo "-n 0: exit $?"

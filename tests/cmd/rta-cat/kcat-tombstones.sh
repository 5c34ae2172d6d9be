# A message without a payload (a tombstone: null, or none at all) is not an
# event: its position passes, the message is rejected as no-payload.
{
	head -1 "$DATA/kcat.ndjson"
	printf '{"topic":"events","partition":2,"offset":101,"key":"k1","payload":null}\n'
	printf '{"topic":"events","partition":2,"offset":102,"key":"k2"}\n'
	sed -n 3p "$DATA/kcat.ndjson"
} >in.ndjson
rta-cat --from kcat-json --dead-letter dl in.ndjson >out
echo "exit $?"
cat out
# the dead letter keeps the message envelope as the original
sed 's/"time":"[^"]*",//' dl

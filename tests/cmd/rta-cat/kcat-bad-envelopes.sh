# Lines that are not kcat -J envelopes (not JSON, no topic, a negative or
# string partition, an empty topic, a payload that is not a string) are
# rejected as bad-kcat; a bad event inside a good envelope is named by its
# Kafka coordinates.  Good messages around them pass.
{
	printf 'not json\n'
	printf '{"partition":1,"offset":1,"payload":"{}"}\n'
	printf '{"topic":"events","partition":-1,"offset":1,"payload":"{}"}\n'
	printf '{"topic":"events","partition":"1","offset":1,"payload":"{}"}\n'
	printf '{"topic":"","partition":1,"offset":1,"payload":"{}"}\n'
	printf '{"topic":"events","partition":1,"offset":-5,"payload":"{}"}\n'
	printf '{"topic":"events","partition":1,"offset":1.5,"payload":"{}"}\n'
	printf '{"topic":"events","partition":1,"offset":2,"payload":{"a":1}}\n'
	printf '[1,2]\n'
	printf '{"topic":"events","partition":1,"offset":3,"payload":"{\\"event_id\\":\\"x\\"}"}\n'
	head -1 "$DATA/kcat.ndjson"
} >in.ndjson
rta-cat --from kcat-json --dead-letter dl in.ndjson >out
echo "exit $?"
cat out
sed 's/"time":"[^"]*",//' dl

# Input bytes that reach a message (a bad timestamp, a Kafka topic, an
# archive member name) have ANSI escapes, CR and LF escaped: one message
# per line, nothing for the terminal to act on; dead letters are JSON.
{
	printf '{"event_id":"\\u001b[2J\\r\\nfake","timestamp":"bad\\u001b[31m\\r\\nx","event_type":"t","tenant_id":"a"}\n'
	printf '{"event_id":"\\u001b[2J\\r\\nid","timestamp":"2026-01-01T00:00:00Z","event_type":"t","tenant_id":"\\u001b]0;title\\u0007"}\n'
} >in.ndjson
rta-cat --dead-letter dl in.ndjson >out 2>err
echo "ndjson: exit $?"
echo "$(wc -l <err) line on stderr:"
cat -v err
sed 's/"time":"[^"]*",//' dl
cat out
printf '{"topic":"ev\\u001b[2J\\r\\nfake","partition":1,"offset":2,"payload":"{}"}\n' >in.kcat
rta-cat --from kcat-json in.kcat >out 2>err
echo "kcat: exit $?"
cat -v err
cat out
mkdir d
n=$(printf 'm\033[2J\r\nx.ndjson')
printf '{}\n' >"d/$n"
tar -C d -cf x.tar "$n"
rta-cat --dead-letter dl2 x.tar 2>err
echo "tar: exit $?"
cat -v err
sed 's/"time":"[^"]*",//' dl2

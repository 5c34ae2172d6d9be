# In NDJSON only the stream magic starts a binary stream: a line that
# merely begins with the byte 0x89 is one bad NDJSON line, and the good
# lines after it are still read (as NDJSON, into NDJSON output).
rta-gen -c 3 >good.ndjson
{ printf '\211 not a header\n'; cat good.ndjson; } >in.ndjson
rta-cat in.ndjson >out 2>err
echo "exit $?"
cmp good.ndjson out && echo "the 3 events, as NDJSON"
sed 's/\(rta-cat: [^:]*:[0-9]*\):.*/\1/' err
{ cat good.ndjson; printf '\211RTX\n'; cat good.ndjson; } >in2.ndjson
rta-cat in2.ndjson >out2 2>err
echo "exit $?, $(grep -c event_id out2) events"
sed 's/\(rta-cat: [^:]*:[0-9]*\):.*/\1/' err

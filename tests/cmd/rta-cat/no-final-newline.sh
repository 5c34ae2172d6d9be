# A last line without a newline is still a record, and is written with one.
rta-gen -c 2 >full.ndjson
head -c -1 full.ndjson >cut.ndjson
rta-cat cut.ndjson >out
echo "file: exit $?"
cmp full.ndjson out && echo "both records, newline added"
rta-cat <cut.ndjson >out2
echo "stdin: exit $?"
cmp full.ndjson out2 && echo "both records, newline added"
# a bad last line is reported with its line number
printf '{"event_id":"x"' >bad.ndjson
rta-cat bad.ndjson
echo "bad: exit $?"

# After 10 bad-record messages the rest are counted, not shown: one line
# "N more bad records not shown" at the end.
rta-gen -c 200 -s 3 --malformed 0.2 --stats >in.ndjson
rta-cat in.ndjson >out
echo "exit $?"

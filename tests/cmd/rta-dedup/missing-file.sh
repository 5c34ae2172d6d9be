# A missing operand between two good ones: reported, exit 3.
rta-gen -c 2 -s 1 >a.ndjson
rta-gen -c 2 -s 2 >b.ndjson
rta-dedup a.ndjson nosuch.ndjson b.ndjson >out
echo "exit $?"
cat a.ndjson b.ndjson | cmp - out && echo "both good inputs copied"

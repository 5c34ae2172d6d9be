# A missing file between two good ones: both good files are copied, the
# missing one is named on stderr, and the exit status is 3.
rta-gen -c 3 -s 1 >a.ndjson
rta-gen -c 3 -s 2 >b.ndjson
rta-cat a.ndjson nosuch.ndjson b.ndjson >out
echo "exit $?"
cat a.ndjson b.ndjson | cmp - out && echo "a and b copied"

# "-" reads stdin in its place among the operands.
rta-gen -c 2 -s 1 >a.ndjson
rta-gen -c 2 -s 2 >b.ndjson
rta-gen -c 2 -s 3 >c.ndjson
rta-cat a.ndjson - c.ndjson <b.ndjson >out
echo "exit $?"
cat a.ndjson b.ndjson c.ndjson | cmp - out && echo "a, stdin, c in order"

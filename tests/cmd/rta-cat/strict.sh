# --strict stops at the first bad record (no "stopping" line); exit 1.
rta-gen -c 100 -s 3 --malformed 0.3 >in.ndjson
rta-cat --strict in.ndjson >out
echo "exit $?: $(wc -l <out) out"
head -1 in.ndjson | cmp - out && echo "only the record before it"
rta-cat --strict -o rta in.ndjson >out.rta
echo "-o rta: exit $?"
rta-cat -o ndjson out.rta | cmp - out && echo "a complete rta stream of it"

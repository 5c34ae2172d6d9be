# --max-errors N stops after the Nth bad record, with a message; records
# after it are not read; the exit status is 1.
rta-gen -c 100 -s 3 --malformed 0.3 >in.ndjson
rta-cat --max-errors 3 in.ndjson >out
echo "exit $?: $(wc -l <out) out"
head -22 in.ndjson | rta-cat -q >expect
cmp out expect && echo "the good records before the third bad one"
rta-cat --max-errors 0 in.ndjson
echo "--max-errors 0: exit $?"

# -q silences bad-record messages (not the exit status, the dead letters
# or real errors).
rta-gen -c 40 -s 3 --malformed 0.3 >in.ndjson
rta-cat -q --dead-letter dl in.ndjson nosuch >out
echo "exit $?: $(wc -l <out) out, $(wc -l <dl) dead letters"
rta-cat --quiet --max-errors 2 in.ndjson >out
echo "--max-errors: exit $?"

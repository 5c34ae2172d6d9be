# A --metrics or --dead-letter file that cannot be written is found before
# any input is read: exit 3, a message naming it, nothing written.
rta-gen -c 3 >in.ndjson
rta-cat --metrics nodir/m.prom in.ndjson >out 2>err
echo "metrics: exit $?, $(wc -c <out) bytes"
echo "$(wc -l <err) line, naming it: $(grep -c '^rta-cat: nodir/m\.prom.*: No such file or directory$' err)"
rta-cat --dead-letter nodir/dl in.ndjson >out
echo "dead letter: exit $?, $(wc -c <out) bytes"

# A failed write to stdout is exit 3 with a message, in either encoding,
# also when the output is small enough to be written only at the end.
rta-gen -c 10000 >/dev/full
echo "ndjson: exit $?"
rta-gen -c 10000 -o rta >/dev/full
echo "rta: exit $?"
rta-gen -c 1 >/dev/full
echo "one record: exit $?"
rta-gen -c 5 --rate 1000 >/dev/full
echo "paced: exit $?"

# A failed write to stdout is exit 3 with a message, in either encoding.
rta-gen -c 100 >in.ndjson
rta-cat in.ndjson >/dev/full
echo "ndjson: exit $?"
rta-cat -o rta in.ndjson >/dev/full
echo "rta: exit $?"
rta-cat --compress in.ndjson >/dev/full
echo "compressed: exit $?"

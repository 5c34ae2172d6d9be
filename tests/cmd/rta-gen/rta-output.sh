# -o rta writes a valid binary stream: rta-cat reads it back with the same
# count and the same events as the NDJSON output of the same options.
rta-gen -c 1000 -o rta --watermark-every 10s --duplicates 0.1 >o.rta
echo "exit $?"
head -c 12 o.rta | od -A n -t x1
tail -c 12 o.rta | od -A n -t x1
rta-cat -o ndjson --metrics m o.rta >back
echo "rta-cat: exit $?"
grep -E '^rta_records_(in|out)_total' m
rta-gen -c 1000 --watermark-every 10s --duplicates 0.1 | cmp - back && echo "same as the NDJSON output"

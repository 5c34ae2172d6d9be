# --stats prints what was generated on stderr, and the numbers agree with
# what rta-cat finds in the stream.
rta-gen -c 1000 --malformed 0.1 --duplicates 0.1 --late 0.05 \
    --future 0.05 --watermark-every 10s --stats >o.ndjson
echo "exit $?"
rta-cat -q --metrics m o.ndjson >out
grep -E '^rta_records_(in|out)_total|^rta_records_rejected_total\{stage="rta-cat"\}' m
echo "watermarks in the output: $(grep -c '"\$rta":"watermark"' out)"
rta-gen -c 1000 -o rta --malformed 0.1 --duplicates 0.1 --stats >o.rta
rta-cat -q --metrics m2 -o ndjson o.rta >out2
grep -E '^rta_records_(in|out)_total|^rta_records_rejected_total\{stage="rta-cat"\}' m2

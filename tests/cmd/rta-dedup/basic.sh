# First occurrences pass in order; duplicates go to --duplicates with
# the first occurrence's position; counts balance in --metrics.
cp "$DATA/dedup/dups.ndjson" in.ndjson
rta-dedup --duplicates dups.ndjson --metrics m.prom in.ndjson
echo "exit $?"
cat dups.ndjson
grep -E '^rta_records|^rta_dedup' m.prom

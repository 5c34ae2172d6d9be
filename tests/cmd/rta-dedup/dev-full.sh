rta-dedup "$DATA/dedup/dups.ndjson" >/dev/full
echo "exit $?"

# --malformed F breaks that fraction of records: in NDJSON, bad JSON, bad
# timestamps, missing fields, bad UTF-8, wrong types; in rta frames, a bad
# checksum.  rta-cat rejects exactly that many.
rta-gen -c 3000 --malformed 0.2 --stats >o
rta-cat -q --metrics m o >/dev/null
echo "rta-cat: exit $?"
grep '^rta_records_rejected_total' m
rta-gen -c 3000 -o rta --malformed 0.2 --stats >o.rta
rta-cat -q --metrics m2 o.rta >/dev/null
echo "rta-cat: exit $?"
grep '^rta_records_rejected_total' m2

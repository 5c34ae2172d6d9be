# --approx: no false negatives here, and the rate is stated on stderr.
rta-dedup --approx 0.001 --expect 1000 --metrics m "$DATA/dedup/dups.ndjson" | wc -l
grep -c '^rta_dedup_false_positive_rate' m

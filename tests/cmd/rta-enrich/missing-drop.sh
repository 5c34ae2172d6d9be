# --missing drop: events without a row (unknown key, or no key field) are
# dropped and counted; the counts balance.
. "$DATA/balance.inc"
rta-enrich --ref "$DATA/enrich/users.csv" --on payload.user_id \
    --fields name --missing drop --metrics m "$DATA/enrich/events.ndjson"
echo "exit $?"
grep -E '^rta_records_(dropped|out)_total' m
balanced m

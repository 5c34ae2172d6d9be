# Several tables apply in order; a later --on may use a field an earlier
# table added.  NDJSON values are copied as they are (null, nesting).
rta-enrich --ref "$DATA/enrich/users.csv" --on payload.user_id \
    --fields org_id --prefix '' \
    --ref "$DATA/enrich/orgs.ndjson" --on payload.org_id --into org \
    "$DATA/enrich/events.ndjson"
echo "exit $?"

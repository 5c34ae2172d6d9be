# --metrics: per table version, rows, reloads, failures, hits and misses.
rta-enrich --ref "$DATA/enrich/users.csv" --on payload.user_id \
    --ref "$DATA/enrich/orgs.ndjson" --on payload.user_id --ref-key org_id \
    --metrics m "$DATA/enrich/events.ndjson" >/dev/null
echo "exit $?"
grep '^rta_enrich_' m | sed "s|$DATA/||g"

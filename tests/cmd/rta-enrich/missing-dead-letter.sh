# --missing dead-letter: events without a row are rejected: reported,
# written to the dead-letter file as they were read, exit 1.
. "$DATA/balance.inc"
rta-enrich --ref "$DATA/enrich/users.csv" --on payload.user_id \
    --fields name --missing dead-letter --dead-letter dl --metrics m \
    "$DATA/enrich/events.ndjson" 2>err
echo "exit $?"
sed "s|$DATA/||g" err
jq -c '[.line, .reason, .error, .original]' dl | sed "s|$DATA/||g"
grep -E '^rta_records_rejected_total' m
balanced m

# --default fills the columns given (typed like cells) for missing keys;
# other columns stay absent.  --default implies --missing default.
rta-enrich --ref "$DATA/enrich/users.csv" --on payload.user_id \
    --fields name,plan,score --into u --default plan=none \
    --default score=0 "$DATA/enrich/events.ndjson"
echo "exit $?"
rta-enrich --ref "$DATA/enrich/users.csv" --on payload.user_id \
    --default nosuch=1 "$DATA/enrich/events.ndjson" 2>err
echo "exit $?"
sed "s|$DATA/||" err

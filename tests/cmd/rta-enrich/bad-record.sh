# A malformed input line is reported with file:line and skipped (exit 1);
# the other events go on.
head -2 "$DATA/enrich/events.ndjson" >in.ndjson
echo '{"event_id":' >>in.ndjson
tail -1 "$DATA/enrich/events.ndjson" >>in.ndjson
rta-enrich --ref "$DATA/enrich/users.csv" --on payload.user_id \
    --fields name in.ndjson >out
echo "exit $?"
jq -c '[.event_id, .payload.users]' out

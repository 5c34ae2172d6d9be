# A last line with no newline, in events and in the table.
printf 'user_id,name\nu1,Ann' >t.csv
printf '%s' "$(head -1 "$DATA/enrich/events.ndjson")" >in.ndjson
rta-enrich --ref t.csv --on payload.user_id in.ndjson
echo "exit $?"

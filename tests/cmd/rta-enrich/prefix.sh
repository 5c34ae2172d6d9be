# --prefix puts the columns at the top of the payload, in --fields order,
# replacing members of the same name; --ref-key names the key column.
sed 's/^user_id,/id,/' "$DATA/enrich/users.csv" >people.csv
rta-enrich --ref people.csv --on payload.user_id --ref-key id \
    --fields score,name --prefix '' "$DATA/enrich/events.ndjson"
echo "exit $?"
rta-enrich --ref people.csv --on payload.user_id --ref-key id \
    --fields plan --prefix u_ "$DATA/enrich/events.ndjson"
echo "exit $?"

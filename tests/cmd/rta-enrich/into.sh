# By default the row goes into payload.<table's base name>: numbers,
# booleans and strings typed, an empty cell left out, a quoted "" kept;
# an existing member of that name is replaced.  Events with no row pass
# unchanged (keep).
rta-enrich --ref "$DATA/enrich/users.csv" --on payload.user_id \
    "$DATA/enrich/events.ndjson"
echo "exit $?"

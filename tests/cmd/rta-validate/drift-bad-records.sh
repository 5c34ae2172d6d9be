# drift reads like every stage: a malformed record is reported with its
# line and counted, and makes the exit status 1; the report still comes.
cp -R "$DATA/validate/schemas" schemas
{
	head -2 "$DATA/validate/drift.ndjson"
	echo '{"event_id":'
	sed -n 3,4p "$DATA/validate/drift.ndjson"
} >in.ndjson
rta-validate drift -s schemas in.ndjson
echo "exit $?"

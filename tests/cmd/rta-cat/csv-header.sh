# --from csv: the header's event_id, timestamp, event_type, tenant_id and
# schema_version columns fill the envelope; the other columns become
# payload fields in column order, numbers and booleans inferred, an empty
# unquoted field null; quoted fields may hold commas, quotes and newlines.
rta-cat --from csv "$DATA/events.csv" >out
echo "exit $?"
cat out

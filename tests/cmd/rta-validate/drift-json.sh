# drift --format json: one object per finding, no summaries.
cp -R "$DATA/validate/schemas" schemas
rta-validate drift -s schemas --format json <"$DATA/validate/drift.ndjson"
echo "exit $?"

# drift --format github: one ::warning annotation per finding (a warning,
# not an error: drift does not fail CI), at the schema's line.
cp -R "$DATA/validate/schemas" schemas
rta-validate drift -s schemas --format github <"$DATA/validate/drift.ndjson"
echo "exit $?"

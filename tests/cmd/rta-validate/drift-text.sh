# drift reports, per event type and version, fields the schema does not
# declare, declared fields never seen, type mismatches and how often
# optional fields are missing, each at the schema file and line that
# declares it; events of no known type are counted.  The stream is not
# failed (exit 0) and, without --report, not passed on.
cp -R "$DATA/validate/schemas" schemas
rta-validate drift -s schemas "$DATA/validate/drift.ndjson" 2>err
echo "exit $?"
cat err

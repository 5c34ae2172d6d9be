# A failed write to stdout is exit 3 with a message, in both encodings,
# and for the reports of check, compat and drift.
cp -R "$DATA/validate/schemas" schemas
cp -R "$DATA/validate/problems" problems
cp -R "$DATA/validate/history" history
rta-gen -c 2000 >in.ndjson
rta-validate -s schemas in.ndjson >/dev/full
echo "ndjson: exit $?"
rta-validate -s schemas -o rta in.ndjson >/dev/full
echo "rta: exit $?"
rta-validate check --format json problems >/dev/full
echo "check: exit $?"
rta-validate compat history >/dev/full
echo "compat: exit $?"
rta-validate drift -s schemas in.ndjson >/dev/full
echo "drift: exit $?"
rta-validate drift -s schemas --report /dev/full in.ndjson >/dev/null
echo "drift --report: exit $?"

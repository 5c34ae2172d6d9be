# A schema directory with no *.json files is a configuration error
# (exit 2): every event would be unknown.
mkdir schemas
echo '{"type":"object"}' >schemas/page_view.v1.txt
rta-validate -s schemas nosuch.ndjson
echo "exit $?"
rta-validate check schemas
echo "check: exit $?"

# --schema given a directory cannot read it: exit 3, naming it.
cp -R "$DATA/validate/schemas" schemas
rta-validate --schema schemas nosuch.ndjson
echo "exit $?"

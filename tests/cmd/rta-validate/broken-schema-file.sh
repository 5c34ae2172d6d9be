# The same for --schema FILE: the problems name the file.
cp "$DATA/validate/problems/click.v1.json" click.json
rta-validate --schema click.json nosuch.ndjson
echo "exit $?"

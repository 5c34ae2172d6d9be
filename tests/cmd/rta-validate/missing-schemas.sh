# A schema directory or file that cannot be read is exit 3, before any
# input is read; a file given as -s DIR is not a directory.
cp -R "$DATA/validate/schemas" schemas
cp "$DATA/validate/document.json" document.json
rta-validate -s nosuch nosuch.ndjson
echo "-s missing: exit $?"
rta-validate -s document.json nosuch.ndjson
echo "-s file: exit $?"
rta-validate --schema nosuch.json nosuch.ndjson
echo "--schema missing: exit $?"
rta-validate drift -s nosuch nosuch.ndjson
echo "drift -s missing: exit $?"

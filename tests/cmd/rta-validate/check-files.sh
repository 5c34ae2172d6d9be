# check takes schema files as well as directories; problems name the
# file; a missing one is reported (exit 3) and the others are checked.
cp -R "$DATA/validate/schemas" schemas
cp "$DATA/validate/problems/click.v1.json" click.json
rta-validate check schemas/purchase.v1.json nosuch.json click.json schemas
echo "exit $?"

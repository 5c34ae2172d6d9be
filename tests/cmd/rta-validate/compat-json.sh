# compat --format json: one object per breaking change (file and line of
# the narrower side, old, new, direction, path, keyword, reason, schema
# location, message), no verdict lines.
cp -R "$DATA/validate/history" history
cp -R "$DATA/validate/compat" compat
rta-validate compat --mode full --format json history
echo "exit $?"
rta-validate compat --format json compat/base.json compat/tightened-bounds.json
echo "exit $?"
rta-validate compat --format json compat/base.json compat/added-optional.json
echo "compatible: exit $?"

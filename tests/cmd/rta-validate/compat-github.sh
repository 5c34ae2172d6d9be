# compat --format github: one ::error annotation per breaking change, at
# the file and line of the narrower side.
cp -R "$DATA/validate/history" history
cp -R "$DATA/validate/compat" compat
rta-validate compat --mode full --format github history
echo "exit $?"
rta-validate compat --mode full --format github compat/base.json compat/changed-type.json
echo "exit $?"

# --mode defaults to backward.
cp -R "$DATA/validate/compat" compat
cd compat
rta-validate compat base.json required-added.json
echo "exit $?"
rta-validate compat required-added.json base.json
echo "exit $?"

# Adding an optional property is compatible in every mode (a property a
# schema does not declare is taken as absent from the events written
# under it), and so is taking it away again.
cp -R "$DATA/validate/compat" compat
cd compat
for m in backward forward full; do
	rta-validate compat --mode $m base.json added-optional.json
	echo "base -> added-optional, $m: exit $?"
done
rta-validate compat --mode forward added-optional.json base.json
echo "added-optional -> base, forward: exit $?"

# A type changed outright breaks both directions: --mode full lists each.
cp -R "$DATA/validate/compat" compat
cd compat
for m in backward forward full; do
	rta-validate compat --mode $m base.json changed-type.json
	echo "base -> changed-type, $m: exit $?"
done
rta-validate compat --mode forward changed-type.json base.json
echo "changed-type -> base, forward: exit $?"

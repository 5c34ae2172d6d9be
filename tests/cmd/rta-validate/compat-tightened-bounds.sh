# Tightened bounds (minimum, maximum, minLength) break backward
# compatibility, each listed; loosened ones forward compatibility.
cp -R "$DATA/validate/compat" compat
cd compat
for m in backward forward full; do
	rta-validate compat --mode $m base.json tightened-bounds.json
	echo "base -> tightened-bounds, $m: exit $?"
done
rta-validate compat --mode forward tightened-bounds.json base.json
echo "tightened-bounds -> base, forward: exit $?"

# Taking a value out of an enum breaks backward compatibility, adding one
# forward compatibility; the change names the value.
cp -R "$DATA/validate/compat" compat
cd compat
for m in backward forward full; do
	rta-validate compat --mode $m base.json narrowed-enum.json
	echo "base -> narrowed-enum, $m: exit $?"
done
rta-validate compat --mode forward narrowed-enum.json base.json
echo "narrowed-enum -> base, forward: exit $?"

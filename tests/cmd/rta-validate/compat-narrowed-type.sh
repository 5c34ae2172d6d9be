# Narrowing a property's type (string or null -> string) breaks backward
# compatibility; widening it breaks forward compatibility.
cp -R "$DATA/validate/compat" compat
cd compat
for m in backward forward full; do
	rta-validate compat --mode $m base.json narrowed-type.json
	echo "base -> narrowed-type, $m: exit $?"
done
rta-validate compat --mode forward narrowed-type.json base.json
echo "narrowed-type -> base, forward: exit $?"

# A newly required property breaks backward compatibility (old events
# lack it); dropping a required one breaks forward compatibility.
cp -R "$DATA/validate/compat" compat
cd compat
for m in backward forward full; do
	rta-validate compat --mode $m base.json required-added.json
	echo "base -> required-added, $m: exit $?"
done
rta-validate compat --mode forward required-added.json base.json
echo "required-added -> base, forward: exit $?"

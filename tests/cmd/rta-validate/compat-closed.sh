# Closing additionalProperties breaks backward compatibility; opening it
# forward compatibility.
cp -R "$DATA/validate/compat" compat
cd compat
for m in backward forward full; do
	rta-validate compat --mode $m base.json closed.json
	echo "base -> closed, $m: exit $?"
done
rta-validate compat --mode forward closed.json base.json
echo "closed -> base, forward: exit $?"

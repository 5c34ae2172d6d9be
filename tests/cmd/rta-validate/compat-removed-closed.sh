# Removing a property while closing additionalProperties breaks backward
# compatibility (old events that have it are refused): both changes are
# listed, at the additionalProperties that closes.
cp -R "$DATA/validate/compat" compat
cd compat
for m in backward forward full; do
	rta-validate compat --mode $m base.json removed-closed.json
	echo "base -> removed-closed, $m: exit $?"
done
rta-validate compat --mode forward removed-closed.json base.json
echo "removed-closed -> base, forward: exit $?"

# compat DIR compares each version of each type with its predecessor
# (order v1 -> v2 -> v3, click v1 -> v2; login has one version), in
# every mode; exit 1 when any pair is incompatible.
cp -R "$DATA/validate/history" history
for m in backward forward full; do
	rta-validate compat --mode $m history
	echo "$m: exit $?"
done
rm history/order.v3.json
rta-validate compat history
echo "without order v3, backward: exit $?"

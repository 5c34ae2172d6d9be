# compat: a missing file is exit 3; a schema that does not compile is
# reported as check reports it (exit 1); a directory with no type in two
# versions is said so; operands other than OLD NEW or DIR are a usage
# error.
cp -R "$DATA/validate/compat" compat
cp -R "$DATA/validate/problems" problems
mkdir one
cp compat/base.json one/order.v1.json
rta-validate compat compat/base.json nosuch.json
echo "missing new: exit $?"
rta-validate compat nosuch.json compat/base.json
echo "missing old: exit $?"
rta-validate compat compat/base.json problems/click.v1.json
echo "broken new: exit $?"
rta-validate compat one
echo "one version: exit $?"
for args in compat/base.json "a b c" ""; do
	rta-validate compat $args >/dev/null 2>err
	echo "'$args': exit $?: $(head -1 err)"
done

# No operand and - both read stdin, - as often as it is given.
cp -R "$DATA/validate/schemas" schemas
rta-gen -c 3 >in.ndjson
rta-validate -s schemas <in.ndjson >out1
echo "no operand: exit $?"
rta-validate -s schemas - <in.ndjson >out2
echo "-: exit $?"
cmp in.ndjson out1 && cmp in.ndjson out2 && echo "both copied the input"

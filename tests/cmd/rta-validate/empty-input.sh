# Empty input: nothing out in NDJSON; with -o rta a stream header and an
# end frame, as rta-cat writes.
cp -R "$DATA/validate/schemas" schemas
rta-validate -s schemas </dev/null >out
echo "ndjson: exit $?, $(wc -c <out) bytes"
rta-validate -s schemas -o rta </dev/null >out.rta
echo "rta: exit $?"
rta-cat -o rta </dev/null >want.rta
cmp out.rta want.rta && echo "the same bytes as rta-cat"

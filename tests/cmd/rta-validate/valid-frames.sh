# Valid events in rta frames pass unchanged: frames in, the same frames
# out; and between the encodings (-o) the output is rta-cat's conversion.
cp -R "$DATA/validate/schemas" schemas
rta-gen -c 5000 -s 8 -t 20 --watermark-every 10s >in.ndjson
rta-cat -o rta in.ndjson >in.rta
rta-validate -s schemas in.rta >out.rta
echo "rta -> rta: exit $?"
cmp in.rta out.rta && echo "the same bytes"
rta-validate -s schemas -o ndjson in.rta >out.ndjson
echo "rta -> ndjson: exit $?"
rta-cat -o ndjson in.rta | cmp - out.ndjson && echo "= rta-cat -o ndjson"
rta-validate -s schemas -o rta in.ndjson >out2.rta
echo "ndjson -> rta: exit $?"
cmp in.rta out2.rta && echo "= rta-cat -o rta"

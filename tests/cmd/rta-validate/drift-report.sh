# drift --report FILE writes the report to FILE and passes every record
# through to stdout unchanged (byte for byte, in either encoding); the
# report is the one drift writes on stdout without --report.
cp -R "$DATA/validate/schemas" schemas
cp "$DATA/validate/drift.ndjson" in.ndjson
rta-gen -c 3000 -s 5 --watermark-every 1s >>in.ndjson
rta-validate drift -s schemas in.ndjson >want.txt
rta-validate drift -s schemas --report report.txt in.ndjson >out.ndjson
echo "ndjson: exit $?"
cmp in.ndjson out.ndjson && echo "stdout = input"
cmp want.txt report.txt && echo "report = the report on stdout"
rta-cat -o rta in.ndjson >in.rta
rta-validate drift -s schemas --report report2.txt in.rta >out.rta
echo "rta: exit $?"
cmp in.rta out.rta && echo "stdout = input"
cmp want.txt report2.txt && echo "the same report"
rta-validate drift -s schemas --report report3.json --format json -o rta \
    in.ndjson >out2.rta
echo "ndjson -> rta: exit $?"
cmp in.rta out2.rta && echo "stdout = rta-cat's frames"
cat report.txt
echo "$(wc -l <report3.json) JSON findings"

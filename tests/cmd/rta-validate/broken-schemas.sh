# A schema directory with a broken schema stops the program before it
# reads any input (exit 2), each problem on one line as file:line: where:
# what.
cp -R "$DATA/validate/problems" problems
rta-validate -s problems nosuch.ndjson
echo "exit $?"
rta-validate drift -s problems nosuch.ndjson
echo "drift: exit $?"

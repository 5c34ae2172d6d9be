# With --format github, the problems of a broken schema directory are
# ::error annotations at each schema file and line (exit 2, no input
# read).
cp -R "$DATA/validate/problems" problems
rta-validate -s problems --format github nosuch.ndjson 2>err
echo "exit $?"
grep '^::error ' err

# check on a clean schema directory: nothing on stdout, a summary on
# stderr, exit 0; with --format json or github, no summary at all.
cp -R "$DATA/validate/schemas" schemas
rta-validate check schemas
echo "exit $?"
rta-validate check --format json schemas
echo "json: exit $?"
rta-validate check --format github schemas/ schemas/error.v1.json
echo "github: exit $?"

# check --format github: one ::error annotation per problem, pointing at
# the file and line.
cp -R "$DATA/validate/problems" problems
rta-validate check --format github problems
echo "exit $?"

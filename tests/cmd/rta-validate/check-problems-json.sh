# check --format json: one object per problem (file, line, pointer,
# message), and no summary.
cp -R "$DATA/validate/problems" problems
rta-validate check --format json problems
echo "exit $?"

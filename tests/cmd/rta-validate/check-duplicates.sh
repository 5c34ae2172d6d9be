# Two schemas for one type and version are a problem, at the place that
# gives the second one its version.
cp -R "$DATA/validate/duplicates" duplicates
rta-validate check duplicates
echo "exit $?"

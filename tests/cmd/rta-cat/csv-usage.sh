# Column options need --from csv; bad --delimiter, --type and --tenant
# values are usage errors.
printf 'timestamp,x\n1,2\n' >a.csv
rta-cat --type t a.csv
echo "--type without --from csv: exit $?"
rta-cat --from csv --type '' a.csv
echo "--type '': exit $?"
rta-cat --from csv --delimiter '"' a.csv
echo "--delimiter '\"': exit $?"
rta-cat --from nope a.csv
echo "--from nope: exit $?"
rta-cat --no-infer a.csv
echo "--no-infer without --from csv: exit $?"
rta-cat --delimiter tab a.csv
echo "--delimiter without --from csv: exit $?"

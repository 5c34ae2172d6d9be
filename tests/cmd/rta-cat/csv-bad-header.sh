# A header that cannot be used (no timestamp column, a duplicate or empty
# column name, no tenant and no --tenant) is one bad record; the rows
# after it are not read as events.
printf 'a,b\n1,2\n3,4\n' >h1.csv
printf 'timestamp,event_type,tenant_id,x,x\n1,t,a,1,2\n' >h2.csv
printf 'timestamp,event_type,,tenant_id\n1,t,a,b\n' >h3.csv
printf 'timestamp,event_type\n1,t\n' >h4.csv
printf 'timestamp,event_type,tenant_id\n1,t,a\n' >good.csv
rta-cat --from csv h1.csv h2.csv h3.csv h4.csv good.csv
echo "exit $?"
rta-cat --from csv --id-col nope good.csv
echo "--id-col nope: exit $?"

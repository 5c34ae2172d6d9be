# Column names from a CSV header that reach a message (a duplicate column,
# a field that is not UTF-8) have escapes and control characters escaped:
# no raw control byte reaches stderr.
printf 'timestamp,event_type,tenant_id,k\033[1m\n1,t,a,\377\n' >a.csv
printf 'timestamp,event_type,tenant_id,\033[2J,\033[2J\n' >b.csv
rta-cat --from csv a.csv b.csv 2>err
echo "exit $?"
echo "$(wc -l <err) messages, raw control bytes: $(tr -d '\n' <err | tr -d '[:print:]' | wc -c)"
sed 's/\(rta-cat: [^:]*:[0-9]*\):.*/\1/' err

# A bad timestamp in a CSV row is reported like one in NDJSON, with the
# value quoted: file:line: bad timestamp '...': what is wrong.
printf 'timestamp,event_type,tenant_id\n2026-13-01T00:00:00Z,t,a\n' >a.csv
rta-cat --from csv --dead-letter dl a.csv
echo "exit $?"
sed 's/"time":"[^"]*",//' dl

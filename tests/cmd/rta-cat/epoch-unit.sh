# Numeric timestamps are read by magnitude (s below 1e11, ms below 1e14,
# else us) unless --epoch-unit says s, ms or us; also for CSV.
E='"event_id":"x","event_type":"t","tenant_id":"a"'
printf '{%s,"timestamp":1767225600}\n{%s,"timestamp":1767225600123}\n{%s,"timestamp":1767225600123456}\n{%s,"timestamp":1767225600.5}\n' \
    "$E" "$E" "$E" "$E" >in.ndjson
for u in auto s ms us; do
	rta-cat --epoch-unit $u in.ndjson >out 2>err
	echo "$u: exit $?: $(cut -c 29-54 out | tr '\n' ' ')"
	cat err
done
printf 'timestamp,event_type,tenant_id\n1767225600,t,a\n' >a.csv
rta-cat --from csv --epoch-unit ms a.csv >out
echo "csv, ms: exit $?: $(cut -c 67-92 out)"
rta-cat --epoch-unit h in.ndjson
echo "h: exit $?"

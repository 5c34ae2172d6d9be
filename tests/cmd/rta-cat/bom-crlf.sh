# A UTF-8 byte order mark at the start of an input is skipped (NDJSON and
# CSV); CRLF line ends and blank lines are accepted; a BOM anywhere else is
# data (and here a bad line).
E='"event_id":"x","event_type":"t","tenant_id":"a"'
printf '\357\273\277{%s,"timestamp":1}\r\n\r\n   \r\n{%s,"timestamp":2}\r\n' "$E" "$E" >a.ndjson
rta-cat a.ndjson
echo "exit $?"
printf '{%s,"timestamp":3}\n\357\273\277{%s,"timestamp":4}\n' "$E" "$E" >b.ndjson
rta-cat b.ndjson
echo "exit $?"
printf '\357\273\277timestamp,event_type,tenant_id\r\n1,t,a\r\n' >c.csv
rta-cat --from csv c.csv >out
echo "exit $?"
cut -c 48- out

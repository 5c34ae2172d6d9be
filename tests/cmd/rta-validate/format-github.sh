# --format github writes one ::error annotation per bad record (all of
# them, no summary), with file and line, escaped for workflow commands.
cp -R "$DATA/validate/schemas" schemas
E='"timestamp":"2026-11-26T09:00:00Z","tenant_id":"acme","schema_version":1'
{
	printf '{"event_id":"a",%s,"event_type":"error","payload":{"code":500,"message":"m"}}\n' "$E"
	printf '{"event_id":"b",%s,"event_type":"error","payload":{"code":200,"message":"m"}}\n' "$E"
	printf '{"event_id":"c",%s,"event_type":"page_view","payload":{"url":"100%%\\nsure, ok","user_id":"u000001"}}\n' "$E"
	printf '{"event_id":"d",%s,"event_type":"nosuch","payload":{}}\n' "$E"
	printf '{"event_id":"e",\n'
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
		printf '{"event_id":"f%s",%s,"event_type":"error","payload":{"code":1,"message":"m"}}\n' $i "$E"
	done
} >'samples, day 1: 100%.ndjson'
rta-validate -s schemas --format github 'samples, day 1: 100%.ndjson' >out
echo "exit $?"
echo "$(wc -l <out) valid"

# Bad CSV rows are reported with the line they start on and skipped: a
# wrong field count, an empty envelope field, a missing timestamp, bad UTF-8,
# a bad schema_version, broken quoting; the good rows pass.
{
	printf 'event_id,timestamp,event_type,tenant_id,schema_version,v\n'
	printf 'e1,2026-01-01T00:00:00Z,t,a,1,1\n'
	printf 'e2,2026-01-01T00:00:00Z,t,a,1\n'
	printf 'e4,2026-01-01T00:00:00Z,,a,1,1\n'
	printf 'e5,2026-01-01T00:00:00Z,t,a,1,\377\n'
	printf 'e6,2026-01-01T00:00:00Z,t,a,-1,1\n'
	printf 'e7,2026-01-01T00:00:00Z,t,a,1,"x"y\n'
	printf 'e8,2026-01-01T00:00:00Z,t,a,1,"multi\nline"\n'
	printf 'e9,,t,a,1,1\n'
	printf 'e10,2026-01-01T00:00:00Z,t,a,1,"never closed\n'
} >bad.csv
rta-cat --from csv --dead-letter dl bad.csv >out
echo "exit $?"
cat out
sed 's/"time":"[^"]*",//' dl

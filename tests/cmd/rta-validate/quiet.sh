# -q mutes the messages (in every --format) but not the exit status or
# the dead letter.
cp -R "$DATA/validate/schemas" schemas
printf '{"event_id":"q","timestamp":"2026-11-26T09:00:00Z","event_type":"error","tenant_id":"acme","schema_version":1,"payload":{"code":200,"message":"m"}}\n' >in.ndjson
for f in text json github; do
	rta-validate -s schemas -q --format $f --dead-letter dl$f in.ndjson
	echo "$f: exit $?, $(wc -l <dl$f) dead letter"
done

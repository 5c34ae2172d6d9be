# Watermark and position records pass through untouched, in both
# encodings: the output is rta-cat's copy less the rejected events.
cp -R "$DATA/validate/schemas" schemas
cat >in.ndjson <<'END'
{"$rta":"watermark","watermark":"2026-11-26T08:00:00Z"}
{"$rta":"position","topic":"events","partition":3,"offset":1234}
{"event_id":"c1","timestamp":"2026-11-26T09:00:00Z","event_type":"error","tenant_id":"acme","schema_version":1,"payload":{"code":500,"message":"x"}}
{"event_id":"c2","timestamp":"2026-11-26T09:00:00Z","event_type":"error","tenant_id":"acme","schema_version":1,"payload":{"code":200,"message":"x"}}
{"$rta":"watermark","watermark":"2026-11-26T09:00:00Z"}
{"event_id":"c3","timestamp":"2026-11-26T09:00:00Z","event_type":"nosuch","tenant_id":"acme","schema_version":1,"payload":{}}
{"$rta":"position","topic":"events","partition":3,"offset":1237}
{"event_id":"c4","timestamp":"2026-11-26T09:00:00Z","event_type":"error","tenant_id":"acme","schema_version":1,"payload":{"code":500,"message":"y"}}
END
grep -v '"c2"\|"c3"' in.ndjson | rta-cat >want.ndjson
rta-validate -s schemas -q --metrics m in.ndjson >out.ndjson
echo "ndjson: exit $?"
cmp want.ndjson out.ndjson && echo "= rta-cat's copy less c2 and c3"
grep '^rta_records_in_total\|^rta_records_out_total' m
rta-cat -o rta in.ndjson >in.rta
rta-cat -o rta want.ndjson >want.rta
rta-validate -s schemas -q in.rta >out.rta
echo "rta: exit $?"
cmp want.rta out.rta && echo "= rta-cat's frames less c2 and c3"
cat out.ndjson

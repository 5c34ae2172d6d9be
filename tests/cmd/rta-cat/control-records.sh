# Watermark and position records pass through in both encodings and
# between them; an end record ends its input and is not copied; a bad
# control record is rejected.
cat >in.ndjson <<'END'
{"$rta":"watermark","watermark":"2026-01-01T00:00:00Z"}
{"$rta":"position","topic":"events","partition":3,"offset":1234}
{"event_id":"x","timestamp":"2026-01-01T00:00:00Z","event_type":"t","tenant_id":"a"}
{"$rta":"watermark","watermark":1767225601000000}
{"$rta":"end"}
{"$rta":"position","topic":"ev\u00e9nts","partition":0,"offset":0}
END
rta-cat in.ndjson >out.ndjson
echo "ndjson: exit $?"
cat out.ndjson
rta-cat -o rta in.ndjson >out.rta
echo "to rta: exit $?"
rta-cat out.rta >again.rta
echo "rta to rta: exit $?"
cmp out.rta again.rta && echo "rta copied unchanged"
rta-cat -o ndjson out.rta >back.ndjson
echo "back: exit $?"
cmp out.ndjson back.ndjson && echo "the same records"
printf '%s\n' '{"$rta":"watermark"}' '{"$rta":"bogus"}' \
    '{"$rta":"end","x":1}' \
    '{"$rta":"position","topic":"e","partition":1,"offset":-1}' >bad.ndjson
rta-cat bad.ndjson
echo "bad: exit $?"

# Top-level keys beyond the envelope are kept, in input order, after the
# payload, through rta frames and back; the canonical form is stable
# (normalising it again changes nothing); whitespace and key order of the
# envelope do not matter.
cat >in.ndjson <<'END'
{"zz":1,"event_id":"x","meta":{"a":[1,"b"]},"timestamp":"2026-01-01T00:00:00Z","event_type":"t","tenant_id":"a","payload":{"k":1},"src":"web","n":null}
  { "tenant_id" : "a" , "event_type":"t", "schema_version":3,"timestamp":1767225600,"event_id":"y" }  
END
rta-cat in.ndjson >out
echo "exit $?"
cat out
rta-cat -o rta in.ndjson >out.rta
rta-cat -o ndjson out.rta | cmp - out && echo "the same through rta frames"
rta-cat out >again
cmp out again && echo "stable"

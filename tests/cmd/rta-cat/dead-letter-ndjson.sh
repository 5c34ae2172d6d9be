# --dead-letter FILE gets one NDJSON line per rejected record: stage,
# reason, error, source, line and the original line (base64 when it is not
# UTF-8); the file is appended to, never truncated.
rta-gen -c 40 -s 3 --malformed 0.3 >in.ndjson
printf '{"event_id":"x","timestamp":"2026-01-01T00:00:00Z","event_type":"t","tenant_id":"a\377"}\n' >>in.ndjson
printf 'existing line\n' >dl
rta-cat --dead-letter dl in.ndjson >out 2>/dev/null
echo "exit $?: $(wc -l <out) out, $(wc -l <dl) lines in dl"
cat dl

# A bad record is reported as file:line, skipped, and makes the exit
# status 1; the good records around it pass.
rta-gen -c 2 -s 1 >in.ndjson
printf '{"event_id":"x","timestamp":"2026-13-01T00:00:00Z","event_type":"t","tenant_id":"a"}\n' >>in.ndjson
rta-gen -c 2 -s 2 >>in.ndjson
rta-cat in.ndjson >out
echo "exit $?"
{ rta-gen -c 2 -s 1; rta-gen -c 2 -s 2; } | cmp - out && echo "good records passed"

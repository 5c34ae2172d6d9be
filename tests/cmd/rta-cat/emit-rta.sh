# rta-cat emit -o rta writes one event as a complete binary stream (stream
# header, event frame, end frame) that reads back as the NDJSON form.
rta-cat emit -o rta --id x --time 2026-01-01T00:00:00Z t a n=1 s=é >e.rta
echo "exit $?"
od -A d -t x1 e.rta
rta-cat emit --id x --time 2026-01-01T00:00:00Z t a n=1 s=é >e.ndjson
rta-cat -o ndjson e.rta >back
cmp e.ndjson back && echo "reads back as the NDJSON form"
rta-cat emit --to=rta --id y --time 0 t a >>e.rta
rta-cat -o ndjson e.rta | grep -c event_id

# rta-cat emit makes a UUID v7 from the event time unless --id is given.
rta-cat emit --time 2026-01-01T00:00:00Z t a >o1
echo "exit $?"
sed 's/"event_id":"\([0-9a-f]\{8\}-[0-9a-f]\{4\}-7[0-9a-f]\{3\}-[89ab][0-9a-f]\{3\}-[0-9a-f]\{12\}\)"/"event_id":"<uuid v7>"/' o1
cut -c14-26 o1
rta-cat emit --time 2026-01-01T00:00:00Z t a >o2
cmp -s o1 o2 || echo "a new id each time"
rta-cat emit --id 'my id/1' --time 2026-01-01T00:00:00Z t a
echo "--id: exit $?"

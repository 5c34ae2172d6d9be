# A small matrix, worked out by hand, in NDJSON, CSV and the table:
# periods still to come are null, empty in CSV and blank in the table;
# --limit prints the first rows; --explain says what was read; the
# string "3" and the number 3 are one user, an event without a user is
# no one's.  Then the usage errors.
ev() {
	printf '{"event_id":"e%s","timestamp":"2026-11-%sZ","event_type":"%s","tenant_id":"%s","payload":{%s}}\n' "$@"
}
{
	# acme, week of 11-02: u1 (back 11-10 and 11-24), u2 (back 11-17)
	ev 1 02T09:00:00 page_view acme '"user_id":"u1"'
	ev 2 03T10:00:00 error acme '"user_id":"u2"'
	ev 3 10T11:00:00 page_view acme '"user_id":"u1"'
	ev 4 17T12:00:00 page_view acme '"user_id":"u2"'
	ev 5 24T13:00:00 purchase acme '"user_id":"u1"'
	# week of 11-09: 3, back 11-16 as "3"
	ev 6 09T00:00:00 page_view acme '"user_id":3'
	ev 7 16T00:00:00 purchase acme '"user_id":"3"'
	# week of 11-23: u4; and no user at all
	ev 8 23T23:59:59.999999 page_view acme '"user_id":"u4"'
	ev 9 02T08:00:00 page_view acme '"url":"/"'
	ev 10 02T08:00:01 page_view acme '"user_id":null'
	# beta, week of 11-02 (Sunday 11-08 is still in it): x, back 11-12
	ev 11 08T23:59:59 page_view beta '"user_id":"x"'
	ev 12 12T00:00:00 page_view beta '"user_id":"x"'
} >in.ndjson
rta-store init -s st
rta-store ingest -s st -d events --dedup-horizon 400d in.ndjson
q() {
	rta-query -s st -d events --cohort first:payload.user_id \
	    --cohort-bucket 1w --periods 4 "$@"
}
q
echo "exit $?"
q -o csv
q -o table
echo "-- page views only, the first 2 rows"
q -o csv --activity page_view --limit 2
echo "-- up to 11-16 (rounded out to 11-23): later events count for nothing"
q -o csv --to 2026-11-16T00:00:01Z
echo "-- from 11-09: u1 and u2 were first seen before"
q -o csv --from 2026-11-09 --tenant acme
echo "-- days"
rta-query -s st -d events --cohort first:payload.user_id --cohort-bucket 1d \
    --periods 3 --from 2026-11-08 --to 2026-11-10 -o csv
q --explain
echo "exit $?"
q --explain --where "event_type != 'x'" | head -n 1
echo "-- usage"
u() {
	rta-query -s st -d events "$@" >out 2>err
	echo "exit $?: $(head -n 1 err)"
	[ -s out ] && echo "and printed $(wc -l <out) lines"
}
u --cohort first:payload.user_id
u --cohort payload.user_id --cohort-bucket 1w
u --cohort first: --cohort-bucket 1w
u --cohort first:payload.user_id --cohort-bucket 1w --agg count
u --cohort first:payload.user_id --cohort-bucket 1w --bucket 1h
u --cohort first:payload.user_id --cohort-bucket 1w --group-by tenant_id
u --cohort first:payload.user_id --cohort-bucket 1w --periods 0
u --cohort first:payload.user_id --cohort-bucket 1w --periods 128
u --cohort first:payload.user_id --cohort-bucket 1w --periods 127 -o csv
u --cohort first:payload.user_id --cohort-bucket 1w --activity 'page view'
u --cohort first:payload.user_id --cohort-bucket 1w --activity page_view,
u --cohort first:payload.user_id --cohort-bucket 1w --activity ''
u --cohort first:payload.user_id --cohort-bucket 0.5s
u --cohort first:payload.user_id --cohort-bucket 1w -o rta
u --cohort-bucket 1w --agg count --from 2026-11-01
u --periods 3 --agg count --from 2026-11-01
u --cohort first:payload.user_id --cohort-bucket 1w --from 2026-11-20 \
    --to 2026-11-10
rta-query -s st -d nosuch --cohort first:payload.user_id --cohort-bucket 1w \
    2>err
echo "no dataset: exit $?: $(cat err)"
echo "-- --max-groups bounds the users held: 5 here"
q --max-groups 5 | wc -l
q --max-groups 4 2>err
echo "exit $?: $(cat err)"

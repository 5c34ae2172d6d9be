# rta-cat --kafka-key: key<TAB>json lines for kcat -P -K '\t'.  Keys come
# from envelope fields or payload members, numbers as written; an event
# without a usable key, or whose key holds a control character, is a bad
# record (dead letter, exit 1), never an escaped key.  Control records
# are not messages.  The output is NDJSON only.
e() {
	printf '{"event_id":"%s","timestamp":"2026-11-26T10:00:00Z","event_type":"x","tenant_id":"%s","schema_version":1,"payload":%s}\n' "$@"
}
{
	e a1 acme '{"user":"u1","n":1.50}'
	e a2 'ac\tme' '{"user":"u2"}'
	e a3 'ac\nme' '{"user":"u3"}'
	e a4 zeta '{"user":null}'
	e a5 zeta '{"user":""}'
	e a6 zeta '{"user":["u"]}'
	e a7 zeta '{}'
	e a8 'z\u00e9ta' '{"user":"u\u0001"}'
} >in.ndjson
echo "-- by tenant_id"
rta-cat --kafka-key tenant_id --dead-letter dl.ndjson in.ndjson
echo "exit $?"
echo "-- by payload.user"
rta-cat --kafka-key payload.user -q --metrics m.prom in.ndjson
echo "exit $?"
grep -E '^rta_records_(in|out|rejected)_total\{stage="rta-cat"\}' m.prom
echo "-- by payload.n (a number, as written)"
rta-cat --kafka-key payload.n -q in.ndjson | cut -c 1-30
echo "-- dead letters"
jq -c '[.reason, .line]' dl.ndjson
echo "-- kcat envelopes: positions are not messages"
rta-cat --from kcat-json --kafka-key tenant_id "$DATA/kcat.ndjson" 2>/dev/null |
    cut -f 1 | sort | uniq -c
echo "-- aggregate records are keyed too"
rta-gen -c 20 -t 2 | rta-window --tumbling 1m --by tenant_id --agg count |
    rta-cat --kafka-key tenant_id | cut -c 1-40
echo "-- usage"
rta-cat --kafka-key tenant_id -o rta in.ndjson >/dev/null 2>err
echo "exit $?"; head -1 err
rta-cat --kafka-key tenant_id --compress in.ndjson >/dev/null 2>err
echo "exit $?"; head -1 err
rta-cat --kafka-key nosuch in.ndjson >/dev/null 2>err
echo "exit $?"; head -1 err
echo "-- write error"
rta-cat --kafka-key tenant_id -q in.ndjson >/dev/full
echo "exit $?"

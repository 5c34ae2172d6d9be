# --approx with --ttl ages its filter in two generations.  A state saved
# without --ttl and resumed with it ages from then on: a key first seen
# before the restart is forgotten once the horizon passes it, as in one
# run, or when both runs had --ttl.
ev() {
	printf '{"event_id":"%s","timestamp":"%s","event_type":"x","tenant_id":"t","schema_version":1,"payload":{}}\n' "$1" "$2"
}
{ ev a 2026-01-01T00:00:00Z; ev b 2026-01-01T00:00:01Z; } >in1
{ ev c 2026-01-01T00:01:00Z; ev d 2026-01-01T00:02:00Z; ev a 2026-01-01T00:03:00Z; } >in2
rta-dedup -q --approx 0.01 --expect 100 --state s1 in1 >/dev/null
echo "saved without --ttl, resumed with --ttl 10s:" \
    "$(rta-dedup -q --approx 0.01 --expect 100 --ttl 10s --state s1 in2 | grep -o '"event_id":"[a-z]"' | paste -sd' ' -)"
rta-dedup -q --approx 0.01 --expect 100 --ttl 10s --state s2 in1 >/dev/null
echo "--ttl 10s in both runs:" \
    "$(rta-dedup -q --approx 0.01 --expect 100 --ttl 10s --state s2 in2 | grep -o '"event_id":"[a-z]"' | paste -sd' ' -)"
echo "one run:" \
    "$(cat in1 in2 | rta-dedup -q --approx 0.01 --expect 100 --ttl 10s | grep -o '"event_id":"[a-z]"' | paste -sd' ' -)"

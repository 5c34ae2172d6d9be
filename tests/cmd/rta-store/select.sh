# cat --tenant, --from and --to give exactly the records of that tenant
# whose event time is in [from, to), whatever form the times take
# (RFC 3339, a date, epoch seconds, relative to the clock); the
# expectation is computed from the input with awk.
rta-gen -s 22 -c 4000 --tenants 4 --eps 0.02 >in.ndjson
rta-store init -s st
rta-store ingest -s st -d ev --bucket 6h in.ndjson || echo "ingest: exit $?"
ls st/ev | grep -c 'log$'
now=$(date -u -d "$RTA_NOW" +%s)
# q TENANT FROM TO CANONICAL-FROM CANONICAL-TO: run cat, compare
q() {
	set -- "$1" "$2" "$3" "${4:-$2}" "${5:-$3}"
	awk -F'"' -v ten="$1" -v f="$4" -v t="$5" '
	    (ten == "" || $16 == ten) && (f == "" || $8 >= f) &&
	    (t == "" || $8 < t)' in.ndjson | sort >want
	set -- ${1:+--tenant "$1"} ${2:+--from "$2"} ${3:+--to "$3"}
	rta-store cat -s st -d ev -o ndjson "$@" >got
	e=$?
	if sort got | cmp -s - want; then r="the expected ones"; else
		r="NOT the expected $(wc -l <want)"; fi
	echo "[$*] exit $e, $(wc -l <got) records, $r"
}
q "" "" ""
q t0002 "" ""
q t0000 "" ""
q nobody "" ""
q "" 2026-01-01T12:00:00Z 2026-01-02T06:00:00Z \
    2026-01-01T12:00:00.000000Z 2026-01-02T06:00:00.000000Z
# bounds on an event: from is in, to is out
q "" 2026-01-01T13:20:50Z 2026-01-02T07:41:40Z \
    2026-01-01T13:20:50.000000Z 2026-01-02T07:41:40.000000Z
q "" 2026-01-01T13:20:50.000001Z 2026-01-02T07:41:40.000001Z
q t0001 2026-01-01T13:20:50Z 2026-01-02T07:41:40Z \
    2026-01-01T13:20:50.000000Z 2026-01-02T07:41:40.000000Z
grep -c '"timestamp":"2026-01-01T13:20:50.000000Z"' in.ndjson
q "" 1767268800 "" 2026-01-01T12:00:00.000000Z ""
q "" "" 2026-01-02 "" 2026-01-02T00:00:00.000000Z
q t0003 2026-01-02 "" 2026-01-02T00:00:00.000000Z ""
rel=$(date -u -d "@$((now - 329 * 86400))" +%Y-%m-%dT%H:%M:%S.000000Z)
echo "-329d is $rel"
q "" -329d "" "$rel" ""
q "" -329d -328d "$rel" \
    "$(date -u -d "@$((now - 328 * 86400))" +%Y-%m-%dT%H:%M:%S.000000Z)"
# nothing in range
q "" 2026-01-02T00:00:00Z 2026-01-01T00:00:00Z \
    2026-01-02T00:00:00.000000Z 2026-01-01T00:00:00.000000Z
q "" 2027-01-01 "" 2027-01-01T00:00:00.000000Z ""

# Records stamped more than --max-future (default 1d) after the clock
# (RTA_NOW here) are dead-lettered "too-far-future"; the bound itself is
# in; --max-future 0 takes any time.  Times more than the dedup horizon
# before the newest are rejected (beyond-horizon.sh); taken with
# --beyond-horizon store, even those before 1970 are stored in their own
# buckets.
ev() {
	printf '{"event_id":"%s","timestamp":%s,"event_type":"v","tenant_id":"t"}\n' "$1" "$2"
}
{
	ev a '"2026-11-27T09:59:59Z"'
	ev b '"2026-11-27T10:00:00Z"'
	ev c '"2026-11-27T10:00:00.000001Z"'
	ev d '"2026-11-29T10:00:00Z"'
	ev e '"9999-12-31T23:00:00Z"'
	ev f '"1970-01-01T00:00:00Z"'
	ev g -1
	ev h '"1900-01-01T00:00:00Z"'
} >in.ndjson
rta-store init -s st
ids() { rta-store cat -s st -d "$1" -o ndjson | cut -d'"' -f4 | sort | paste -sd' '; }
rta-store ingest -s st -d def --dead-letter dl in.ndjson
echo "default: exit $?, stored: $(ids def)"
grep -o '"reason":"[^"]*"\|"line":[0-9]*' dl | paste -d' ' - -
ls st/def
rta-store ingest -s st -d old --beyond-horizon store in.ndjson 2>/dev/null
echo "--beyond-horizon store: exit $?, stored: $(ids old)"
ls st/old
rta-store ingest -s st -d d3 --max-future 3d in.ndjson 2>/dev/null
echo "--max-future 3d: exit $?, stored: $(ids d3)"
rta-store ingest -s st -d d0 --max-future 0 in.ndjson
echo "--max-future 0: exit $?, stored: $(ids d0)"
RTA_NOW=2026-11-28T10:00:00Z rta-store ingest -s st -d later in.ndjson 2>/dev/null
echo "a clock 2 days later: exit $?, stored: $(ids later)"

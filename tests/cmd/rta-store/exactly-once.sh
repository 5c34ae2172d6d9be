# A raw-event dataset holds each (tenant_id, event_id) once: duplicates
# in the input, the same file ingested again, the same events as rta
# frames, are absorbed and counted (rta_store_duplicates_total), and the
# counts balance (in = out + rejected + dropped).  The same event_id under
# another tenant is another event.
. "$DATA/balance.inc"
counters() {
	balanced "$1"
	# (not the commits: an idle input commits too, at times that vary)
	grep '^rta_store_[a-z_]*_total\|^rta_records_\(in\|out\|dropped\)_total' "$1" |
	    grep -v commits |
	    sed 's/{stage="rta-store"}//' | paste -sd' '
}
rta-gen -s 23 -c 5000 --tenants 6 --duplicates 0.1 >in.ndjson
rta-gen -s 23 -c 5000 --tenants 6 --duplicates 0.1 -o rta >in.rta
awk -F'"' '{ print $16 " " $4 }' in.ndjson | sort -u >want
echo "input: $(wc -l <in.ndjson) events, $(wc -l <want) distinct"
rta-store init -s st
ids() {
	rta-store cat -s st -d ev -o ndjson >out
	echo "cat: exit $?, $(wc -l <out) records, $(awk -F'"' '{ print $16 " " $4 }' out |
	    sort | uniq -d | wc -l) twice, $(awk -F'"' '{ print $16 " " $4 }' out |
	    sort -u | cmp -s - want && echo "the distinct input events")"
}
rta-store ingest -s st -d ev --metrics m1 in.ndjson
echo "first: exit $?"
counters m1
ids
rta-store ingest -s st -d ev --metrics m2 in.ndjson
echo "again: exit $?"
counters m2
ids
rta-store ingest -s st -d ev --metrics m3 in.rta
echo "as frames: exit $?"
counters m3
ids
sort -u in.ndjson >u
sort out | cmp -s - u && echo "records: the input's bytes, once each"
echo "-- the same event_id under another tenant"
head -3 in.ndjson | sed 's/"tenant_id":"[^"]*"/"tenant_id":"other"/' >other.ndjson
rta-store ingest -s st -d ev --metrics m4 other.ndjson
echo "exit $?"
counters m4
rta-store cat -s st -d ev --tenant other -o ndjson >got
sort other.ndjson | cmp - got && echo "stored under tenant other"

# --activity with more than one event type: a user is active in a period
# with an event of any of them, in whatever order they are given, from
# raw events and from a cohort dataset alike, as DuckDB counts it; a
# type given twice counts once, and '*' is any event.
. "$DATA/parquet.inc"
. "$DATA/cohort.inc"
cohort_events 3 "$(date -d 2026-10-01 +%s)" 40 20 >ev.ndjson
rta-store init -s st
rta-store ingest -s st -d events --dedup-horizon 400d ev.ndjson
end=$(date -d 2026-11-30 +%s)
q() {
	rta-query -s st -d events --cohort first:payload.user_id \
	    --cohort-bucket 1w --where "tenant_id != ''" "$@"
}
for a in error purchase error,purchase purchase,error,purchase; do
	q --activity $a | cohort_flat >got
	t=$(echo "$a" | tr , '\n' | sort -u | sed "s/.*/'&'/" | paste -sd,)
	duck_matrix ev.ndjson 604800 0 "$end" 8 "$t" | cmp -s - got &&
	    echo "$a: DuckDB's matrix" || echo "$a: not DuckDB's matrix"
done
q --activity error >e
q --activity purchase >p
q --activity purchase,error >pe
cmp -s pe e || cmp -s pe p || echo "purchase,error: neither error's nor purchase's"
q --activity '*' >star
q >any
cmp -s star any && echo "'*': any event"
echo "-- a cohort dataset of two types"
rta-store cohort -s st --define --from-dataset events --to-dataset pe \
    --bucket 1w --user payload.user_id --activity purchase,error
cat st/cohorts.conf
rta-store cohort -s st --all | jq -c '{activity, records_out}'
rta-query -s st -d events --cohort first:payload.user_id --cohort-bucket 1w \
    --activity error,purchase --explain | grep '^reading'
rta-query -s st -d events --cohort first:payload.user_id --cohort-bucket 1w \
    --activity error,purchase | cohort_flat >got
duck_matrix ev.ndjson 604800 0 "$end" 8 "'error','purchase'" | cmp -s - got &&
    echo "read from the cohort dataset: DuckDB's matrix"

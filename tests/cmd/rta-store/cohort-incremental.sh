# Cohort datasets kept incrementally.  Two definitions (page views, and
# any event) refreshed by --all; a second refresh with nothing new reads
# and writes nothing.  Then new days, late events into old days (more
# activity in old periods) and late first events two weeks before some
# users' first (their cohorts move earlier): the refresh reads just the
# source buckets that changed, writes a "moved" record at each moved
# user's old cohort, and queries read the cohort dataset (--explain)
# and give the matrix the raw events give (--where forces them) and
# DuckDB's.  Events ingested since the refresh: the query reads the
# raw events again, and is still right.  Then bad definitions and too
# many users.
. "$DATA/parquet.inc"
. "$DATA/cohort.inc"
cohort_events 11 "$(date -d 2026-09-16 +%s)" 70 >all.ndjson
# part 1: up to 10-25, less a tenth of the first two weeks, held back
jq -r 'if .timestamp < "2026-10-26" and (.timestamp >= "2026-09-30" or
    (.event_id | endswith("7") | not)) then "1 " else "2 " end + tojson' \
    all.ndjson >split
sed -n 's/^1 //p' split >part1
sed -n 's/^2 //p' split >part2
# late first events for every 20th user of part 1, 15 days earlier
jq -s -c 'map(select(.payload.user_id | type == "string" or
    type == "number")) | group_by([.tenant_id, (.payload.user_id |
    tostring)]) | map(min_by(.timestamp)) | .[range(0; length; 20)] |
    .event_id = "late-" + .event_id | .event_type = "page_view" |
    .timestamp = ((.timestamp[0:19] + "Z" | fromdate) - 15 * 86400 |
    todate)' part1 >late
cat late >>part2
echo "part 1: $(wc -l <part1), part 2: $(wc -l <part2)," \
    "late first events: $(wc -l <late)"
rta-store init -s st
rta-store ingest -s st -d events --dedup-horizon 400d part1
def() {
	rta-store cohort -s st --define --from-dataset events \
	    --user payload.user_id "$@" 2>err
	echo "define: exit $?$(head -n 1 err | sed 's/^./: &/')"
}
def --to-dataset cohorts_1w --bucket 1w --activity page_view
def --to-dataset cohorts_any --bucket 1w
cat st/cohorts.conf
show() {
	jq -c '{cohort, changed_buckets, events_in, states_in, users, moved,
	    records_out, commit}'
}
rta-store cohort -s st --all | show
snap() {
	(cd st/cohorts_1w && ls -l --time-style=+%s.%N && md5sum -- *)
}
snap >files
rta-store cohort -s st --all | show
snap | cmp -s - files && echo "again: the same files"
rta-store cat -s st -d cohorts_1w -o ndjson | sort >first
echo "records: $(wc -l <first), one a user:" \
    "$(jq -r '[.tenant_id, .user] | join("/")' first | sort -u | wc -l)"
echo "-- new days, late events, earlier first events"
rta-store ingest -s st -d events --dedup-horizon 400d part2
jq -r .timestamp[0:10] part2 | sort -u | wc -l | sed 's/^/days part 2 touches: /'
rta-store cohort -s st --all >out
show <out
echo "moved: $(jq -r '[.cohort, .moved > 0] | join(" ")' out | paste -sd ' ')"
rta-store cat -s st -d cohorts_any -o ndjson >cat_any
m=$(jq -r 'select(.moved) | [.tenant_id, .user] | join("/")' cat_any |
    sort)
echo "moved records: $(echo "$m" | wc -l)," \
    "as many as reported: $(jq .moved out | tail -n 1)"
# each moved user: its record now starts 2 or 3 weeks before the moved
# one (at the old cohort), in the week of its late event
jq -s -r 'def t: .[0:19] + "Z" | fromdate;
    group_by([.tenant_id, .user]) | map(select(any(.moved))) | .[] |
    "\(length) records, moved back \(((map(select(.moved))[0].start | t) -
    (map(select(.moved | not))[0].start | t)) / 604800) weeks"' cat_any |
    sort | uniq -c
cat part1 part2 >both
end=$(date -d 2026-11-30 +%s)
for d in cohorts_1w:page_view cohorts_any:; do
	a=${d#*:}
	q() {
		rta-query -s st -d events --cohort first:payload.user_id \
		    --cohort-bucket 1w ${a:+--activity $a} "$@"
	}
	q --explain | grep "^cohorts ${d%:*}\|^reading"
	q >from_ds
	q --where "tenant_id != ''" >from_raw
	cmp -s from_ds from_raw && echo "${d%:*}: as from raw events"
	cohort_flat <from_ds >flat
	t=-
	[ -n "$a" ] && t="'$a'"
	duck_matrix both 604800 0 "$end" 8 "$t" | cmp -s - flat &&
	    echo "${d%:*}: DuckDB's matrix ($(wc -l <from_ds) rows)"
done
echo "-- a range of the cohort dataset"
q() {
	rta-query -s st -d events --cohort first:payload.user_id \
	    --cohort-bucket 1w --activity page_view --periods 3 \
	    --from 2026-10-01 --to 2026-10-20 "$@"
}
q --explain | grep '^reading'
q >d
q --where "tenant_id != ''" >r
cmp -s d r && echo "weeks 09-28 to 10-19: as from raw events ($(wc -l <r) rows)"
echo "-- ingested since: not read until refreshed"
cohort_events 12 "$(date -d 2026-11-20 +%s)" 5 >part3
rta-store ingest -s st -d events --dedup-horizon 400d part3
rta-query -s st -d events --cohort first:payload.user_id --cohort-bucket 1w \
    --explain | grep '^cohorts\|^reading'
cat part3 >>both
rta-query -s st -d events --cohort first:payload.user_id --cohort-bucket 1w |
    cohort_flat >got
duck_matrix both 604800 0 "$end" 8 | cmp -s - got && echo "DuckDB's matrix"
rta-store cohort -s st --all | jq -c '{cohort, changed_buckets, commit}'
rta-query -s st -d events --cohort first:payload.user_id --cohort-bucket 1w \
    --explain | grep '^reading'
rta-query -s st -d events --cohort first:payload.user_id --cohort-bucket 1w |
    cohort_flat | cmp -s - got && echo "and the same matrix from it"
echo "-- definitions"
def --to-dataset cohorts_1w --bucket 1w --activity page_view
def --to-dataset cohorts_1w --bucket 1d --activity page_view
def --to-dataset cohorts_1w --bucket 1w
def --to-dataset cohorts_1w --bucket 1w --activity page_view,purchase
def --to-dataset events --bucket 1w
def --to-dataset c2 --bucket 0.5s
def --to-dataset c2 --bucket 1w --activity 'page view'
def --to-dataset ../x --bucket 1w
cat st/cohorts.conf
rta-window --tumbling 1h --agg count -o ndjson part1 |
    rta-store ingest -s st -d hourly
rta-store cohort -s st --from-dataset hourly --to-dataset c3 --bucket 1w \
    --user payload.user_id 2>err
echo "aggregates as the source: exit $?: $(cat err)"
rta-store cohort -s st --from-dataset part1 --to-dataset hourly --bucket 1w \
    --user payload.user_id 2>err
echo "no source: exit $?: $(cat err)"
rta-store cohort -s st --from-dataset hourly --to-dataset events \
    --bucket 1w --user payload.user_id 2>/dev/null
echo "raw events as the target: exit $?"
rta-store cohort -s st --from-dataset events --to-dataset c4 --bucket 1w \
    --user payload.user_id --max-users 100 2>err
echo "--max-users 100: exit $?: $(cat err)"
echo "c4: $(rta-store cat -s st -d c4 -o ndjson 2>/dev/null | wc -l) records"
rta-store cohort -s st --from-dataset events --to-dataset c4 --bucket 1w \
    --user payload.user_id --max-users 600 | jq -c '{users, records_out}'
echo "-- --all: a source not there yet is nothing to do"
rta-store cohort -s st --define --from-dataset nosuch --to-dataset c5 \
    --bucket 1w --user payload.user_id
cohort_events 13 "$(date -d 2026-11-24 +%s)" 1 4 |
    rta-store ingest -s st -d events --dedup-horizon 400d
rta-store cohort -s st --all >out 2>err
echo "exit $?: $(cat err)"
jq -c '{cohort, changed_buckets, commit}' out
echo "-- the source compacted, then retired: the cohorts stay"
q() {
	rta-query -s st -d events --cohort first:payload.user_id \
	    --cohort-bucket 1w "$@"
}
q >before
rta-store compact -s st -d events >/dev/null
rta-store cohort -s st --all | jq -c '{cohort, changed_buckets, commit}'
rta-store retain -s st -d events --days 14 | tail -n 1 | sed 's/, [0-9]* bytes//'
rta-store cohort -s st --all | jq -c '{cohort, changed_buckets, commit}'
q --explain | grep '^reading'
q | cmp -s - before && echo "the same matrix as before"
q --where "tenant_id != ''" | cmp -s - before ||
    echo "raw events alone now tell another story"
echo "-- a target refreshed as other than its definition, or as a rollup"
rta-store cohort -s st --from-dataset events --to-dataset cohorts_any \
    --bucket 1w --user payload.user_id --activity purchase 2>&1
echo "exit $?"
rta-store rollup -s st --define --from-dataset m1 --to-dataset cohorts_any \
    --bucket 1h 2>&1
echo "exit $?"
rta-store rollup -s st --from-dataset m1 --to-dataset cohorts_any \
    --bucket 1h 2>&1
echo "exit $?"
rta-store rollup -s st --define --from-dataset m1 --to-dataset r1 --bucket 1h
rta-store cohort -s st --define --from-dataset events --to-dataset r1 \
    --bucket 1w --user payload.user_id 2>&1
echo "exit $?"
echo "-- no user in any event: nothing to keep, no commit"
rta-store cohort -s st --from-dataset events --to-dataset c6 --bucket 1w \
    --user payload.nobody | jq -c '{events_in, no_user, users, commit}'
echo "exit $?"
echo "-- a definitions file with a bad line"
rta-store init -s st2
printf '# cohorts\n\nevents c 604800 payload.user_id *\nevents c2 0 x *\n' \
    >st2/cohorts.conf
rta-store cohort -s st2 --all 2>err
echo "exit $?: $(sed 's/^.*st2/st2/' err)"
printf 'm1 h1 3600\nm1 h1\n' >st2/rollups.conf
rta-store rollup -s st2 --all 2>err
echo "exit $?: $(sed 's/^.*st2/st2/' err)"

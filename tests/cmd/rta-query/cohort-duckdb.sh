# Retention matrices from raw events equal DuckDB's, computed on its own
# from the same events exported to Parquet: users by the text of
# payload.user_id (the string "17" and the number 17 one user; none,
# null or an object no user), cohorts of the first event of any type
# before the range's end, weeks from Monday (or days from the epoch), a
# period active by an --activity event, periods not yet begun null.
# Over every tenant, one tenant, an activity and any, fewer periods, a
# range that cuts cohorts off on both sides, and daily cohorts; then
# from the cold store alone, an empty hot store or one retired whole.
. "$DATA/parquet.inc"
. "$DATA/cohort.inc"
cohort_events 7 "$(date -d 2026-09-16 +%s)" 70 >ev.ndjson
echo "events: $(wc -l <ev.ndjson)," \
    "users: $(jq -r '[.tenant_id, .payload.user_id] | @text' ev.ndjson |
    tr -d '"' | sort -u | grep -vc 'null\|{')"
rta-store init -s st
rta-store ingest -s st -d events --dedup-horizon 400d ev.ndjson
echo "ingest: exit $?"
rta-store export -s st --cold cold --before 2026-11-26 | tail -n 1
s() { date -d "$1" +%s; }
# check NAME DUCKDB-ARGS -- RTA-QUERY-ARGS
check() {
	name=$1
	shift
	args=
	while [ "$1" != -- ]; do
		args="$args $1"
		shift
	done
	shift
	# shellcheck disable=SC2086
	duck_matrix $args >want
	rta-query -s st -d events --cohort first:payload.user_id "$@" >got.nd
	rc=$?
	cohort_flat <got.nd >got
	if cmp -s want got; then
		r=$(wc -l <got.nd) c=$(wc -l <got) z=$(grep -c ' null$' got)
		echo "$name: exit $rc, $r rows, $c cells ($z null):" \
		    "DuckDB's matrix"
	else
		echo "$name: exit $rc, differs from DuckDB's:"
		diff want got | head -5
	fi
}
mon=$(s 2026-09-14) end=$(s 2026-11-30)
check "weeks, any event" cold:cold 604800 0 "$end" 8 -- --cohort-bucket 1w
head -n 2 got.nd
tail -n 2 got.nd
check "one tenant" cold:cold 604800 0 "$end" 8 - beta -- \
    --cohort-bucket 1w --tenant beta
jq -r .tenant_id got.nd | uniq -c
check "page views" cold:cold 604800 0 "$end" 8 "'page_view'" -- \
    --cohort-bucket 1w --activity page_view
check "errors" cold:cold 604800 0 "$end" 8 "'error'" -- \
    --cohort-bucket 1w --activity error
check "3 periods" cold:cold 604800 0 "$end" 3 -- --cohort-bucket 1w \
    --periods 3
jq '.periods | length' got.nd | sort -u
# 2026-10-07 is a Wednesday: the cohorts of the weeks from 10-05 to
# 11-02, activity up to 11-09; users first seen before are in no row
check "a range" cold:cold 604800 "$(s 2026-10-05)" "$(s 2026-11-09)" 8 -- \
    --cohort-bucket 1w --from 2026-10-07 --to 2026-11-04T12:00:00Z
jq -r .cohort got.nd | sort -u | sed -n '1p;$p'
check "days" cold:cold 86400 "$(s 2026-11-01)" "$(s 2026-11-27)" 8 \
    "'page_view'" -- --cohort-bucket 1d --from 2026-11-01 \
    --activity page_view
check "the day range from --since" cold:cold 86400 "$(s 2026-11-19)" \
    "$(s 2026-11-27)" 5 - gamma -- --cohort-bucket 1d --since 7d \
    --periods 5 --tenant gamma
# two weeks from 1970-01-05: 2026-11-23 starts one
check "weeks of 2" cold:cold 1209600 0 "$(s 2026-12-07)" 4 -- --cohort-bucket 2w \
    --periods 4
jq -r .cohort got.nd | sort -u | head -n 1
# one query, every source
rta-query -s st -d events --cohort first:payload.user_id --cohort-bucket 1w \
    --periods 6 >hot
echo "-- the cold store only"
rta-store init -s empty
rta-query -s empty -d events --cold cold --cohort first:payload.user_id \
    --cohort-bucket 1w --periods 6 | cmp -s - hot &&
    echo "an empty hot store and --cold: the same matrix"
rta-query -s st -d events --cold cold --cohort first:payload.user_id \
    --cohort-bucket 1w --periods 6 | cmp -s - hot &&
    echo "hot and cold both: the same matrix"
rta-store retain -s st -d events --days 0 --cold cold | tail -n 1
echo "hot records left: $(rta-store cat -s st -d events -o ndjson | wc -l)"
rta-query -s st -d events --cold cold --cohort first:payload.user_id \
    --cohort-bucket 1w --periods 6 | cmp -s - hot &&
    echo "retired and read from cold: the same matrix"
rta-query -s st -d events --cohort first:payload.user_id --cohort-bucket 1w \
    --periods 6 | wc -l

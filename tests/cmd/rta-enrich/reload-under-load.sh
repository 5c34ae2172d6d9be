# The table is replaced 100 times by atomic rename while 1,000,000 events
# stream through: every event is joined against exactly one version (each
# row's version and tag columns both say which), versions never go back,
# many versions are seen, and no event is lost.
mk() {
	awk -v v="$1" 'BEGIN { print "user_id,version,tag"
	    for (i = 0; i < 200; i++) printf "u%06d,%d,v%d-u%06d\n", i, v, v, i }'
}
mk 1 >users.csv
v=2
while [ $v -le 101 ]; do mk $v >next.$v.csv; v=$((v + 1)); done
rta-gen -c 1000000 -t 1 --users 200 --types page_view=1 -r 200000 -o rta |
    rta-enrich --ref users.csv --on payload.user_id --fields version,tag \
    --prefix '' --reload-interval 2ms --metrics m -o ndjson >out.ndjson &
sleep 0.2
v=2
while [ $v -le 101 ]; do mv next.$v.csv users.csv; sleep 0.02; v=$((v + 1)); done
wait
awk -F'"version":' '{
		split($2, a, /,"tag":"v|-u/)
		if (NF != 2 || a[1] == "" || a[1] != a[2]) bad++
		v = a[1] + 0
		if (v < last) back++
		last = v
		if (!(v in seen)) { seen[v] = 1; nv++ }
	}
	END {
		print NR, "events"
		print (bad + 0), "events with fields from two versions"
		print (back + 0), "steps back"
		print (nv >= 50 ? "50 or more" : "only " nv), "versions seen"
		print "last version", last
	}' out.ndjson
grep -E '^rta_records_(in|out)_total' m
grep -E '^rta_enrich_reload_failures_total' m

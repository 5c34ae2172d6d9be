# A changed file is reloaded between events (checked every 10ms here); a
# file that fails to load, or is gone, keeps the version in use and says
# so once.
ev() {
	printf '{"event_id":"e%s","timestamp":"2026-01-01T00:00:00Z","event_type":"t","tenant_id":"a","schema_version":1,"payload":{"user_id":"u1"}}\n' "$1"
}
lines() {
	n=0
	while [ "$(wc -l <out)" -lt "$1" ] && [ $n -lt 200 ]; do
		sleep 0.05; n=$((n + 1))
	done
}
printf 'user_id,v\nu1,1\n' >t.csv
mkfifo in
rta-enrich --ref t.csv --on payload.user_id --fields v --reload-interval 10ms \
    --metrics m -u in >out 2>err &
exec 3>in
ev 1 >&3; lines 1
printf 'user_id,v\nu1,2\n' >new.csv; mv new.csv t.csv; sleep 0.1
ev 2 >&3; lines 2
printf 'user_id,v\nu1,3\nu1,4\n' >new.csv; mv new.csv t.csv; sleep 0.1
ev 3 >&3; lines 3
ev 4 >&3; lines 4
rm t.csv; sleep 0.1
ev 5 >&3; lines 5
printf 'user_id,v\nu1,5\n' >new.csv; mv new.csv t.csv; sleep 0.1
ev 6 >&3; lines 6
exec 3>&-
wait
echo "exit $?"
jq -c '[.event_id, .payload.t.v]' out
cat err
grep '^rta_enrich_\(table_version\|reload\)' m

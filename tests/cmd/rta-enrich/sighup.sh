# SIGHUP reloads every table before the next event, even when the file
# looks unchanged to the periodic check (here once an hour).
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
rta-enrich --ref t.csv --on payload.user_id --fields v --reload-interval 1h \
    -u in >out 2>err &
pid=$!
exec 3>in
ev 1 >&3; lines 1
printf 'user_id,v\nu1,2\n' >new.csv; mv new.csv t.csv
ev 2 >&3; lines 2
kill -HUP $pid
ev 3 >&3; lines 3
printf 'user_id,v\nu1,3\nu1,4\n' >t.csv
kill -HUP $pid
ev 4 >&3; lines 4
exec 3>&-
wait
echo "exit $?"
jq -c '[.event_id, .payload.t.v]' out
cat err

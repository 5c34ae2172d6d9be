# The dashboard that GET / serves, in a real headless Chromium behind
# socat (tests/browser/dashboard.mjs): its points are the API's rows, the
# burst's alert is marked, the top groups table is the API's ranking,
# the other tenant's data replaces the first's, the freshness is shown,
# errors are text, a link reproduces the view and a token opens a store
# behind --tokens.  No node or Chromium is a failure, not a skip.
#
# Two tenants' 1-minute windows up to two minutes before RTA_NOW, and a
# burst of t0001 errors at 09:40 that rta-window alerts on; and raw
# events of seven weeks, whose cohorts the heat map shows as the API
# counts them.
rta-gen -s 3 -t 2 --start 2026-11-26T08:30:00Z -d 88m --eps 4 >in.ndjson
rta-gen -s 9 -t 1 --start 2026-11-26T09:40:00Z -d 30s --eps 6 \
    --types error=1 | sed 's/"t0000"/"t0001"/' >burst.ndjson
sort -s -t'"' -k8,8 in.ndjson burst.ndjson >all.ndjson
rta-window --tumbling 1m --by tenant_id,event_type \
    --agg count,sum:payload.value --detect zscore:4 --alerts alerts.ndjson \
    -o ndjson all.ndjson >w1.ndjson
jq -r '"alert: \(.tenant_id) \(.payload.window_start) " +
    "\(.payload.group.event_type)"' alerts.ndjson
rta-store init -s st
rta-store ingest -s st -d metrics_1m w1.ndjson
rta-store ingest -s st -d alerts alerts.ndjson
# seven weeks of raw events whose users keep arriving, for the retention
# heat map
rta-gen -s 5 -t 2 --users 2000 --start 2026-10-05T00:00:00Z -d 52d \
    --eps 0.005 >raw.ndjson
rta-store ingest -s st -d events --dedup-horizon 400d raw.ndjson
printf '%s t0001\n' "$(printf %s tok-1 | sha256sum | cut -d' ' -f1)" >tokens

pids=
# stop the servers, once each one's connections have ended (or 5 s on):
# then no rta-query outlives the test and all they said is in NAME.err
stop() {
	for pid in $pids; do
		for i in $(seq 50); do
			[ -n "$(cat /proc/$pid/task/$pid/children 2>/dev/null)" ] ||
			    break
			sleep 0.1
		done
		kill $pid 2>/dev/null
		wait $pid 2>/dev/null
	done
	pids=
}
trap stop EXIT
trap 'exit 1' INT TERM
# serve NAME OPTIONS: socat on a free loopback port, from a random base
# up, until one binds and answers; sets port and adds the pid to pids
serve() {
	n=$1
	shift
	cmd="rta-query --http -s st${1:+ $*}"
	p=$(($(od -An -N2 -tu2 /dev/urandom) % 20000 + 20000))
	for try in $(seq 30); do
		socat TCP-LISTEN:$p,bind=127.0.0.1,reuseaddr,nodelay,fork \
		    EXEC:"$cmd" 2>"$n.err" &
		pid=$!
		for i in $(seq 50); do
			kill -0 $pid 2>/dev/null || break
			if [ "$(curl -s "http://127.0.0.1:$p/healthz")" = \
			    '{"status":"ok"}' ]; then
				port=$p
				pids="$pids $pid"
				return 0
			fi
			sleep 0.1
		done
		kill $pid 2>/dev/null
		wait $pid 2>/dev/null
		p=$((p + 1))
	done
	echo "no port for socat: $(cat "$n.err")"
	exit 1
}
serve open
open=$port
serve tokens --tokens tokens
node "$TESTS/browser/dashboard.mjs" "http://127.0.0.1:$open/" \
    "http://127.0.0.1:$port/" "$PWD/dashboard.png"
echo "node exit $?"
stop
cat open.err tokens.err >&2
# a PNG of the 1280x800 view, not a blank one
head=$(od -An -N24 -tx1 dashboard.png | tr -d ' \n')
big=under
[ "$(wc -c <dashboard.png)" -gt 10000 ] && big=over
case $head in
89504e470d0a1a0a????????49484452*)
	echo "screenshot: PNG $((0x$(echo "$head" | cut -c33-40)))x$((0x$(
	    echo "$head" | cut -c41-48))), $big 10 kB" ;;
*)	echo "screenshot: not a PNG" ;;
esac

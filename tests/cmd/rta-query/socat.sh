# rta-query --http as it is deployed: behind socat TCP-LISTEN ... fork
# EXEC:, asked with curl and with raw bytes over TCP.  Every route with
# its head and body; keep-alive on one connection and Connection: close
# honoured; each status the server answers, provoked for real; malformed
# requests answered at once and the connection closed; the 408 and the
# idle close under the real clock; a token of one tenant never seeing a
# byte of the canary tenant's data, whatever it asks; the rate limit
# shared by the connections' processes.  The servers and every process
# they fork are ended at exit.
export RTA_NOW=2026-01-02T00:00:00Z
rta-gen -s 17 -c 600 --tenants 2 >in.ndjson
# the canary tenant's country and value appear nowhere else
rta-gen -s 18 -c 60 --tenants 1 | sed 's/"t0000"/"canary"/
    s/"country":"[A-Z]*"/"country":"CANARY-XK7"/
    s/"value":[0-9.]*/"value":777777/' >canary.ndjson
rta-store init -s st
rta-store ingest -s st -d ev in.ndjson canary.ndjson
echo "other tenants' events holding the canary's strings:" \
    "$(grep -c -i -e canary -e 777777 in.ndjson)"
hash() { printf %s "$1" | sha256sum | cut -d' ' -f1; }
printf '%s t0001\n%s canary\n%s *\n' "$(hash tok-a)" "$(hash tok-c)" \
    "$(hash tok-root)" >tokens
mkdir bodies iso

servers=
clients=
# The processes under $1, from /proc (socat forks one per connection,
# which forks rta-query, and neither dies with the listener).
tree() {
	cat /proc/[0-9]*/stat 2>/dev/null | awk -v root="$1" '{
		s = $0; sub(/^.*\) /, "", s); split(s, f, " "); pp[$1] = f[2]
	} END {
		n = 1; q[1] = root
		for (i = 1; i <= n; i++)
			for (p in pp)
				if (pp[p] == q[i])
					q[++n] = p
		for (i = 2; i <= n; i++)
			print q[i]
	}'
}
# Whether any of the processes "$@" still runs as socat or rta-query (a
# zombie does not run).
running() {
	for p in "$@"; do
		grep -q '^[0-9]* (\(socat\|rta-query\)) [^Z]' \
		    /proc/$p/stat 2>/dev/null && return 0
	done
	return 1
}
stop() {
	for p in $clients; do
		kill $p $(tree $p) 2>/dev/null
	done
	for p in $servers; do
		# a second for the connections to end while the listener
		# is there to reap them, then the listener and what is left,
		# the deepest first; stopped, the listener forks no more
		i=0
		while [ $i -lt 50 ] && running $(tree $p); do
			sleep 0.02
			i=$((i + 1))
		done
		kill -STOP $p 2>/dev/null
		kill $(tree $p | tac) $p 2>/dev/null
		kill -CONT $p 2>/dev/null
		wait $p 2>/dev/null
	done
	servers=
	clients=
}
trap stop EXIT
trap 'exit 143' INT TERM HUP

# Start a server with rta-query's options "$@" on a free loopback port
# (below the ephemeral ones): from a random base, the next port until
# socat says it listens rather than that the port is taken, and /healthz
# must answer.  Sets $port and $url.
start() {
	base=$(($(od -An -N2 -tu2 /dev/urandom) % 12000 + 20000))
	for try in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
		port=$((base + try))
		log=socat.$port
		: >$log	# there before grep looks, whenever socat starts
		socat -d -d TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,nodelay,fork \
		    EXEC:"rta-query --http -s st${*:+ $*}" 2>$log &
		pid=$!
		i=0
		while [ $i -lt 100 ] && ! grep -q ' E \| listening on ' $log
		do
			sleep 0.02
			i=$((i + 1))
		done
		if grep -q ' listening on ' $log &&
		    [ "$(curl -s --max-time 5 http://127.0.0.1:$port/healthz)" = \
		    '{"status":"ok"}' ]; then
			servers="$servers $pid"
			url=http://127.0.0.1:$port
			logs="${logs:-} $log"
			return 0
		fi
		kill $pid 2>/dev/null
		wait $pid 2>/dev/null
	done
	echo "no free port from $base" >&2
	exit 1
}

n=0
label=
# an IMF-fixdate, the one form a server may send
fixdate='s/^Date: [A-Z][a-z][a-z], [0-3][0-9] [A-Z][a-z][a-z] [0-9]\{4\}'
fixdate="$fixdate"' [0-2][0-9]:[0-5][0-9]:[0-6][0-9] GMT$/Date: (date)/'
# the page's length changes with the page: get checks it against its body
fixdate="$fixdate"'
/^Content-Type: text\/html/{n;s/^Content-Length: [0-9]*$/Content-Length: (page)/;}'
# A body as it came, a page by its title, and a missing final newline
# said (every JSON answer ends in one).
body() {
	if grep -q '^<!doctype html>' $1; then
		grep -o '<title>[^<]*</title>' $1
	elif [ -s $1 ]; then
		awk 1 $1
		[ -z "$(tail -c 1 $1)" ] || echo '(no newline at the end)'
	fi
}
# One request with curl "$@" (the target first; $label, when set, says
# it instead): the answer's head, Date normalized, and its body.
get() {
	n=$((n + 1))
	f=bodies/$n
	t=$1
	shift
	printf '== %s\n' "${label:-$* $t}"
	label=
	curl -s -D $f.h -o $f.b "$@" "$url$t" || echo "curl exit $?"
	tr -d '\r' <$f.h | sed "$fixdate"
	case " $* " in
	*" -I "*)
		return ;;		# the head is all, in both files
	esac
	body $f.b
	len=$(tr -d '\r' <$f.h | sed -n 's/^Content-Length: //p' | tail -n 1)
	[ "$len" = "$(wc -c <$f.b)" ] ||
	    echo "Content-Length $len but $(wc -c <$f.b) bytes"
}
# The status of one request, with curl "$@" (the target first).
code() {
	n=$((n + 1))
	t=$1
	shift
	echo "$(curl -s -o bodies/$n.b -w '%{http_code}' "$@" "$url$t") $t"
}
# The bytes of printf format $1 over one connection, which the server
# must answer and close within a second of the last byte without any
# half-close from us (socat would wait 5 s for it): the answer, and
# whether in time.  With "eof" first, the sending side is shut at the
# end instead.
raw() {
	n=$((n + 1))
	opt=,shut-none
	[ "$1" = eof ] && { opt=; shift; }
	printf '== raw %s\n' "${label:-$1}"
	label=
	printf "$1" >req
	t0=$(date +%s%N)
	socat -t 5 - TCP:127.0.0.1:$port$opt <req >bodies/$n.b
	t1=$(date +%s%N)
	tr -d '\r' <bodies/$n.b | sed "$fixdate" >answer
	body answer
	if [ $(((t1 - t0) / 1000000)) -lt 1000 ]; then
		echo "answered and closed at once: yes"
	else
		echo "answered and closed at once: no"
	fi
}

# The slow clients run beside the rest under the real clock: a request
# cut short is answered 408 after 10 s, an idle connection is closed
# without an answer after 5 s, and a request that trickles in within its
# time is answered.
start
slow() {
	t0=$(date +%s%N)
	socat -t 20 - TCP:127.0.0.1:$port,shut-none >$1.out
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000000)) >$1.ms
}
printf 'GET /healthz HTTP/1.1\r\nHost: test\r\n' | slow late &
clients="$clients $!"
slow idle </dev/null &
clients="$clients $!"
{ printf 'GET /healthz HTTP/1.1\r\n'; sleep 1
  printf 'Host: test\r\nConnection: close\r\n\r\n'; } | slow trickle &
clients="$clients $!"

echo "-- routes"
q='/v1/query?dataset=ev'
get /
get / -I
get /healthz
get /v1/datasets
get '/v1/tenants?dataset=ev'
get "$q&from=2026-01-01&to=2026-01-02&group_by=tenant_id&order_by=tenant_id\
&agg=count,max:payload.value"
get "$q&since=1d&tenant=t0001&where=payload.country%20%3D%20%27PL%27\
&group_by=event_type&bucket=12h&order_by=count+desc&limit=2"
get "$q&since=1d&tenant=t0000" -I
get "$q&since=1d&tenant=t0000" -I -0

echo "-- keep-alive: new connections for each of three requests"
curl -s -o /dev/null -o /dev/null -o /dev/null \
    -w '%{num_connects} %{http_code}\n' "$url/healthz" \
    "$url/v1/datasets" "$url/v1/tenants?dataset=ev"
echo "-- Connection: close"
curl -s -o /dev/null -o /dev/null -H 'Connection: close' \
    -w '%{num_connects} %{http_code}\n' "$url/healthz" "$url/v1/datasets"
get /healthz -H 'Connection: close'
get /healthz -0
echo "-- pipelined, the second closing"
hz='GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n'
raw "$hz"'GET /v1/datasets HTTP/1.1\r\nHost: test\r\n'\
'Connection: close\r\n\r\n'"$hz"
echo "answers: $(grep -c '^HTTP/1.1 200 OK' bodies/$n.b)"

echo "-- 400"
get '/v1/query?since=1d'
get "$q&from=soon"
get "$q&since=1d&where=payload.x%20%3D"
get "$q&since=1d&limit=0"
get "$q&since=1d&tenant=a/b"
get /v1/tenants
raw 'GET /\r\n\r\n'
raw 'GET  / HTTP/1.1\r\nHost: test\r\n\r\n'
raw 'GET / HTTP/1.1\nHost: test\n\n'
label='GET /, then byte 0x01'
raw 'GET /\001'
raw 'GET http://test/ HTTP/1.1\r\nHost: test\r\n\r\n'
raw 'GET /v1/%%2e%%2e/healthz HTTP/1.1\r\nHost: test\r\n\r\n'
raw 'GET /%%zz HTTP/1.1\r\nHost: test\r\n\r\n'
raw 'GET /v1/query?dataset=ev%%00 HTTP/1.1\r\nHost: test\r\n\r\n'
raw 'GET / HTTP/1.1\r\n\r\n'
raw 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n'
raw 'GET / HTTP/1.1\r\nHost: test\r\nX-A: 1\r\n folded\r\n\r\n'
raw 'GET / HTTP/1.1\r\nHost : test\r\n\r\n'
post='POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 1\r\n'
raw "$post"'Content-Length: 2\r\n\r\n'
raw "$post"'Transfer-Encoding: chunked\r\n\r\n'
echo "(the client leaves in the middle of a request)"
raw eof 'GET / HTTP/1.1\r\nHost: test\r\n'
echo "-- 404"
get /nosuch
get /v1
get '/v1/query?dataset=nosuch&since=1d'
get '/v1/tenants?dataset=nosuch'
echo "-- 405, the connection kept"
curl -s -o /dev/null -w '%{num_connects} %{http_code}\n' -d 'x=1' \
    "$url/v1/query" --next -s -o /dev/null \
    -w '%{num_connects} %{http_code}\n' "$url/healthz"
get /v1/query -H 'Expect: 100-continue' --data-binary 'dataset=ev'
echo "-- 413"
raw 'POST /v1/query HTTP/1.1\r\nHost: test\r\nContent-Length: 65537\r\n\r\n'
get /v1/query -H 'Content-Length: 99999999999999999999999'
echo "-- 414"
long=$(head -c 8200 /dev/zero | tr '\0' a)
label="$q&x=a{8200}"
get "$q&x=$long"
label='GET /a{8200}, no line end'
raw "GET /$long"
echo "-- 422"
get "$q&since=1d&group_by=event_type&max_groups=1"
echo "-- 431"
label='/healthz with 64 more header fields'
get /healthz $(i=0; while [ $i -lt 64 ]; do echo -H X-$i:1; i=$((i + 1)); done)
label='/healthz with a header field of 16400 bytes'
get /healthz -H "X-Big: $(head -c 16400 /dev/zero | tr '\0' b)"
echo "-- 500: the store gone"
mv st st.away
get /v1/datasets
mv st.away st
echo "-- 501"
raw 'BREW / HTTP/1.1\r\nHost: test\r\n\r\n'
raw 'get / HTTP/1.1\r\nHost: test\r\n\r\n'
get /v1/query -X GET -H 'Transfer-Encoding: chunked' --data-binary 'x'
echo "-- 505"
raw 'GET / HTTP/2.0\r\nHost: test\r\n\r\n'
raw 'GET / HTTP/0.9\r\n\r\n'

echo "-- tokens"
start --tokens tokens
a='Authorization: Bearer tok-a'
get /healthz
get /
get '/v1/tenants?dataset=ev'
get /v1/datasets -H 'Authorization: Bearer wrong'
get /v1/datasets -H 'Authorization: Basic dG9rLWE6'
get /v1/datasets -H 'Authorization: Bearer'
get /nosuch
get "$q&since=1d" -H "$a"
get "$q&since=1d&tenant=canary" -H "$a"
get /v1/query -X POST -H "$a"
get /nosuch -H "$a"

echo "-- isolation: every answer to the t0001 token, on one connection"
echo "(but where an answer closes it)"
r="$q&from=2025-01-01&to=2027-01-01"
w="$r&tenant=t0001&where="
set --
for t in / /healthz /v1/datasets /v1/tenants?dataset=ev \
    '/v1/tenants?dataset=ev&tenant=canary' \
    '/v1/tenants?dataset=ev&tenant=t0001' \
    "$r" "$r&group_by=tenant_id" "$r&tenant=canary" \
    "$r&tenant=%63anary" "$r&tenant=CANARY" "$r&tenant=canary%20" \
    "$r&tenant=canary&tenant=t0001" "$r&tenant=" "$r&tenant" \
    "$r&tenant=t0001%2Ccanary" "$r&tenant=t0001,canary" \
    "$r&tenant=t0001%00" "$r&tenant=*" "$r&tenant=t000%31%2F..%2Fcanary" \
    "$r&TENANT=t0001" "$r&tenant%3Dt0001" \
    "$r&tenant=t0001&group_by=tenant_id" \
    "$r&tenant=t0001&tenant=canary&group_by=tenant_id" \
    "${w}tenant_id%3D%27canary%27" \
    "${w}tenant_id%3D%27canary%27%20or%20tenant_id%20exists\
&group_by=tenant_id" \
    "${w}not%20tenant_id%3D%27t0001%27&agg=count,max:payload.value" \
    "${w}payload.value%20%3E%3D%20777777&agg=count" \
    "$r&tenant=t0001&group_by=payload.country\
&agg=count,max:payload.value,top3:payload.country,distinct:tenant_id" \
    "$r&tenant=t0001&group_by=tenant_id,payload.country\
&order_by=max:payload.value+desc&agg=max:payload.value&limit=3" \
    "$r&tenant=t0001&bucket=1h&group_by=tenant_id,event_type\
&agg=p99:payload.value,top2:tenant_id" \
    "$r&tenant=t0001&agg=max:payload.value,min:payload.country" \
    "$q&since=100000d&tenant=t0001&group_by=tenant_id" \
    "/v1//query?dataset=ev&since=1d&tenant=t0001&group_by=tenant_id" \
    "/v1/./%71uery?dataset=ev&since=1d&tenant=t0001&group_by=tenant_id" \
    "/v1/query/?dataset=ev&since=1d&tenant=t0001&group_by=tenant_id" \
    "$q&since=1d&tenant=t0001&dataset=../st/ev&group_by=tenant_id"; do
	n=$((n + 1))
	set -- "$@" -o iso/$n "$url$t"
done
curl -s --path-as-is -H "$a" \
    -w '%{num_connects} %{http_code} %{url_effective}\n' "$@" |
    sed "s|$url||"
n=$((n + 1))
curl -s -o iso/$n -w '%{http_code} two tokens, the first t0001\n' -H "$a" \
    -H 'Authorization: Bearer tok-root' "$url$r&group_by=tenant_id"
n=$((n + 1))
curl -s -o iso/$n -w '%{http_code} lower-case bearer\n' \
    -H 'Authorization: bearer tok-a' "$url$r&tenant=canary"
get "${w}tenant_id%3D%27canary%27%20or%20tenant_id%20exists\
&group_by=tenant_id,event_type" -H "$a"
cp bodies/$n.b iso/$n
echo "answers holding the canary tenant, its country or its value:" \
    "$(grep -l -i -e canary -e 777777 iso/* | wc -l) of $(ls iso | wc -l)"
echo "and the canary's own token:"
get "$r&tenant=canary&agg=max:payload.value,top1:payload.country" \
    -H 'Authorization: Bearer tok-c'

echo "-- 429: 2 requests a tenant, the clock pinned"
start --tokens tokens --rate 2 --rate-state rate
echo "(t0001's token naming its tenant, then the canary, which it is"
echo "not charged to, then the canary's token)"
for t in t0001 t0001 t0001 canary canary canary; do
	code "/v1/tenants?dataset=ev&tenant=$t" -H "$a"
done
code '/v1/tenants?dataset=ev&tenant=canary' -H 'Authorization: Bearer tok-c'
code '/v1/tenants?dataset=ev&tenant=t0000' -H 'Authorization: Bearer tok-root'
echo "(not /healthz)"
code /healthz
code /healthz
code /healthz
echo "(no tenant named: the token's own bucket)"
code /v1/datasets -H 'Authorization: Bearer tok-root'
code /v1/datasets -H 'Authorization: Bearer tok-root'
get /v1/datasets -H 'Authorization: Bearer tok-root'

echo "-- slow clients"
wait $clients
clients=
for c in late idle trickle; do
	echo "$c:"
	tr -d '\r' <$c.out | sed "$fixdate" >answer
	body answer
done
ms=$(cat late.ms)
echo "408 after 10 s: $([ $ms -ge 9500 ] && [ $ms -lt 12500 ] && echo yes ||
    echo "no, $ms ms")"
ms=$(cat idle.ms)
echo "idle closed after 5 s: $([ $ms -ge 4500 ] && [ $ms -lt 7500 ] &&
    echo yes || echo "no, $ms ms")"

echo "-- the servers' messages"
cat $logs | grep -v '^[0-9/]* [0-9:]* socat\[[0-9]*\] '
# every process the servers were or forked: socat's and rta-query
pids=$(cat $logs | sed -n 's/^[0-9/]* [0-9:]* socat\[\([0-9]*\)\] .*/\1/p
    s/.* forked off child process \([0-9]*\)$/\1/p' | sort -u)
stop
i=0
while [ $i -lt 50 ] && running $pids; do
	sleep 0.02
	i=$((i + 1))
done
echo "-- processes: $([ -n "$pids" ] && echo seen), left:" \
    "$(running $pids && echo some || echo none)"

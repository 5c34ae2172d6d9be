# rta-query --http on stdin and stdout, requests written by hand: every
# route, keep-alive, parameters decoded, each error answered with its
# status and a JSON body, tokens scoping requests to their tenants (a
# canary tenant's data never in another's answer), and the rate limit
# shared through its state file.  The clock is pinned for the Date
# header.
export RTA_NOW=2026-01-02T00:00:00Z
rta-gen -s 17 -c 3000 --tenants 3 >in.ndjson
# a canary tenant whose value no other tenant's answer may hold
sed 's/"t0002"/"canary"/; s/"value":[0-9.]*/"value":777777/' in.ndjson |
    awk '/canary/' >canary.ndjson
rta-store init -s st
rta-store ingest -s st -d ev in.ndjson canary.ndjson
req() {
	# $1 target, then header lines
	t=$1
	shift
	printf 'GET %s HTTP/1.1\r\nHost: test\r\n' "$t"
	for h in "$@"; do printf '%s\r\n' "$h"; done
	printf '\r\n'
}
serve() {
	rta-query --http -s st "$@" | tr -d '\r'
	echo "exit $?"
}
echo "-- routes on one connection"
{ req /healthz; req /v1/datasets; req '/v1/tenants?dataset=ev'
  req '/v1/query?dataset=ev&from=2026-01-01&to=2026-01-02&tenant=t0001&group_by=event_type&agg=count&order_by=count+desc&limit=2'
  req '/v1/query?dataset=ev&since=1d&tenant=t0000&where=payload.country%20%3D%20%27PL%27&agg=count' 'Connection: close'
} | serve
echo "-- errors"
{ req '/v1/query?from=2026-01-01'; req '/v1/query?dataset=ev&from=soon'
  req '/v1/query?dataset=ev&since=1d&where=payload.x%20%3D'
  req '/v1/query?dataset=nosuch&since=1d'; req /nosuch
  req '/v1/query?dataset=ev&since=1d&bucket=0'
  printf 'DELETE / HTTP/1.1\r\nHost: test\r\n\r\n'; } | serve
echo "-- tokens"
printf '# a tenant each, and one for all\n%s t0001\n%s canary\n%s *\n' \
    "$(printf %s tok-a | sha256sum | cut -d' ' -f1)" \
    "$(printf %s tok-c | sha256sum | cut -d' ' -f1)" \
    "$(printf %s tok-root | sha256sum | cut -d' ' -f1)" >tokens
{ req /healthz; req '/v1/tenants?dataset=ev'
  req '/v1/tenants?dataset=ev' 'Authorization: Bearer wrong'
  req '/v1/tenants?dataset=ev' 'Authorization: Bearer tok-a'
  req '/v1/query?dataset=ev&since=1d&agg=count' 'Authorization: Bearer tok-a'
  req '/v1/query?dataset=ev&since=1d&tenant=canary&agg=count' \
      'Authorization: Bearer tok-a'
  req '/v1/query?dataset=ev&since=1d&tenant=t0001&agg=max:payload.value' \
      'Authorization: Bearer tok-a'
  # cohorts are scoped as queries are
  req '/v1/cohort?dataset=ev&since=1d&tenant=canary&user=payload.user_id&bucket=1d&periods=1' \
      'Authorization: Bearer tok-a'
  req '/v1/cohort?dataset=ev&since=1d&user=payload.user_id&bucket=1d&periods=1' \
      'Authorization: Bearer tok-a'
  req '/v1/cohort?dataset=ev&since=1d&tenant=t0001&user=payload.user_id&bucket=1d&periods=1' \
      'Authorization: Bearer tok-a'
  # a parameter twice, in either order, so that no check reads one
  # value and the query another: refused
  req '/v1/query?dataset=ev&since=1d&tenant=t0001&tenant=canary&agg=count' \
      'Authorization: Bearer tok-a'
  req '/v1/query?dataset=ev&since=1d&tenant=canary&ten%61nt=t0001&agg=count' \
      'Authorization: Bearer tok-a'
  req '/v1/tenants?dataset=ev' 'Authorization: Bearer tok-root' \
      'Connection: close'
} | serve --tokens tokens >tok.out
cat tok.out
grep -c 777777 tok.out
echo "-- rate: 2 a second a tenant, across processes"
for i in 1 2 3; do
	req '/v1/tenants?dataset=ev&tenant=t0001' 'Connection: close' |
	    rta-query --http -s st --rate 2 --rate-state rate | head -1
done
req '/v1/tenants?dataset=ev&tenant=t0000' 'Connection: close' |
    rta-query --http -s st --rate 2 --rate-state rate | head -1
RTA_NOW=2026-01-02T00:00:01Z
req '/v1/tenants?dataset=ev&tenant=t0001' 'Connection: close' |
    rta-query --http -s st --rate 2 --rate-state rate | head -1
echo "-- usage"
rta-query --http 2>&1 | head -1
rta-query --http -s st --rate 2 2>&1 | head -1
rta-query -s st -d ev --since 1d --tokens tokens 2>&1 | head -1

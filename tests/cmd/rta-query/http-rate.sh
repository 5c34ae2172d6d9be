# The rate limit is kept per tenant, and only the tenant's own tokens
# spend it: a token naming a tenant it may not read is charged on its
# own bucket, so a client of one tenant cannot use up another's requests
# (it is refused 403, then 429, and the other tenant is still served).
# The clock is pinned, so no bucket refills.
export RTA_NOW=2026-01-02T00:00:00Z
rta-gen -s 17 -c 300 --tenants 2 | sed 's/"t0000"/"canary"/' >in.ndjson
rta-store init -s st
rta-store ingest -s st -d ev in.ndjson
printf '%s t0001\n%s canary\n' \
    "$(printf %s tok-a | sha256sum | cut -d' ' -f1)" \
    "$(printf %s tok-c | sha256sum | cut -d' ' -f1)" >tokens
ask() {
	# $1 token, $2 tenant: the status line of one connection's answer
	printf 'GET /v1/query?dataset=ev&since=1d&tenant=%s HTTP/1.1\r\n' "$2"
	printf 'Host: test\r\nAuthorization: Bearer %s\r\n' "$1"
	printf 'Connection: close\r\n\r\n'
}
for t in canary canary canary t0001; do
	echo "tok-a tenant=$t: $(ask tok-a $t | rta-query --http -s st \
	    --tokens tokens --rate 2 --rate-state rate | head -1 | tr -d "\r")"
done
for t in canary canary canary; do
	echo "tok-c tenant=$t: $(ask tok-c $t | rta-query --http -s st \
	    --tokens tokens --rate 2 --rate-state rate | head -1 | tr -d "\r")"
done
echo "-- buckets"
cut -d' ' -f1,2 rate | sort

# The security sweep over the whole pipeline (reliability checklist):
# hostile tenant ids (dots, slashes, encoded dots, NUL, control bytes,
# shell metacharacters, 255 and 4,096 bytes, look-alikes, reserved
# names), hostile frames and hostile JSON go through examples/pipeline.sh
# into a store under root/, and the tenant ids once more straight into
# rta-dedup, rta-window and rta-store (without rta-validate, whose
# allowlist stops them first), then out to the cold store, into an
# archive and back.  Nothing may be written outside root/ (a snapshot of
# the directory and of the tree under root/ before and after), nothing
# under it may be a symbolic link or a name outside the store's
# alphabet, every stage ends with 0 or 1 and the ledgers balance.  Then
# rta-query --http with --tokens, on every route and with the parameter
# tricks: tenant a's token never sees a byte of the canary tenant's data.
. "$TESTS/cmd/pipeline/pipeline.inc"

# root/1/2/3/4/5/: deep enough that a tenant id's ../ climbing out of
# a dataset lands inside root/, where the snapshots see it
b=root/1/2/3/4/5
mkdir -p $b

# ---- hostile tenant ids ---------------------------------------------------
# each line a tenant_id as it appears inside the JSON string
cat >tenants <<'EOF'
..
.
../../etc
../../../../tmp/rta-pwn-pipeline
/etc/passwd
\\..\\..\\x
a/
a//b
%2e%2e%2f
%252e%252e%252f
..%c0%af
．．／
t1\u0000/../x
t1\n
t\tb
t b
-rf
--help
$(id)
`id`
;id
Tenant
tenаnt
lock
tmp
.tmp-for-creation
_meta
x.parquet
EOF
perl -e 'print "a" x 64, "\n", "a" x 65, "\n", "A" x 255, "\n", "B" x 4096, "\n"' \
    >>tenants
n=0
while IFS= read -r t; do
	n=$((n + 1))
	printf '{"event_id":"00000000-0000-7000-8000-%012d",' $n
	printf '"timestamp":"2026-11-26T09:00:%02d.000000Z",' $((n % 60))
	printf '"event_type":"page_view","tenant_id":"%s","schema_version":1,' "$t"
	printf '"payload":{"url":"/x","user_id":"u000001","value":1,'
	printf '"latency_ms":5,"country":"PL","device":"mobile"}}\n'
done <tenants >hostile.ndjson

# tenant a's events, and the canary tenant's, whose country and value
# appear nowhere else
rta-gen -s 31 -c 200 --tenants 1 --start 2026-11-26T09:00:00Z |
    sed 's/"t0000"/"a"/' >a.ndjson
rta-gen -s 32 -c 60 --tenants 1 --start 2026-11-26T09:00:00Z |
    sed 's/"t0000"/"canary"/; s/"country":"[A-Z]*"/"country":"XK"/
    s/"value":[0-9.]*/"value":7777.77/' >canary.ndjson
echo "tenant a's events holding the canary's strings:" \
    "$(grep -c -e '"XK"' -e 7777.77 a.ndjson)"

# ---- hostile frames (rtaframe.pl) and hostile JSON ------------------------
frames() {
	perl "$DATA/rtaframe.pl" "$@"
}
i=0
for f in 'header head:0:E' 'header head:1:E hex:00' \
    'header head:0x7FFFFFFF:E' 'header head:0x80000000:E' \
    'header head:0xFFFFFFFC:E' 'header head:0xFFFFFFFF:E' \
    'header head:64:E hex:0102' 'header hex:0a0000' \
    'hex:89525441ffff1a0a01000000' 'hex:895254410d0a1a0a09000000' \
    'header head:8:E:0xff hex:0000000000000000' \
    'header frame:Q:00' 'header frame:E:ffffffffffffffffffffff01' \
    'header frame:E:' 'header frame:W:ff' 'header frame:E:0000ffffffff'
do
	i=$((i + 1))
	# shellcheck disable=SC2086
	frames $f >frames.$i
done
{
	json() { printf '%s\n' "$1"; }
	ev='"event_type":"page_view","schema_version":1,"payload":{"url":"/x","user_id":"u000001","value":1,"latency_ms":5,"country":"PL","device":"mobile"}'
	ok='"event_id":"00000000-0000-7000-9000-000000000001","timestamp":"2026-11-26T09:00:00Z","tenant_id":"a"'
	perl -e 'print "[" x 100000, "\n", "{\"a\":" x 100000, "\n"'
	perl -e 'print "{\"event_id\":\"", "x" x 2000000, "\"}\n"'
	perl -e 'print "[", "1," x 200000, "1]\n"'
	json "{$ok,\"tenant_id\":\"canary\",$ev}"
	json "{\"event_id\":\"00000000-0000-7000-9000-000000000002\",$ok,$ev}"
	printf '{%s,%s,"x":"\377\376"}\n' "$ok" "$ev"
	printf '{%s,%s,"x":"\300\257"}\n' "$ok" "$ev"
	json "{$ok,$ev,\"x\":\"\\ud800\"}"
	json "{$ok,$ev,\"x\":\"\\u0000\"}"
	printf '\357\273\277{%s,%s}\r\n' "$ok" "$ev"
	printf '\n   \n\t\n'
	for v in 1e999999 123456789012345678901234567890 -0 NaN Infinity 0x10
	do
		json "{$ok,$ev,\"n\":$v}"
	done
	for ts in '-1' '0' '9007199254740992' '9223372036854775807' '1e30' \
	    '"2024-13-45"' '"9999-12-31T23:59:59Z"' '1.5' '"-0001-01-01T00:00:00Z"'
	do
		json "{\"event_id\":\"00000000-0000-7000-9000-000000000003\",\"timestamp\":$ts,\"tenant_id\":\"a\",$ev}"
	done
	for id in 42 '{}' null '[]' '"../../x"'; do
		json "{\"event_id\":$id,\"timestamp\":\"2026-11-26T09:00:00Z\",\"tenant_id\":\"a\",$ev}"
	done
	json "{\"event_id\":\"00000000-0000-7000-9000-000000000004\",\"timestamp\":\"2026-11-26T09:00:00Z\",\"tenant_id\":[\"a\",\"canary\"],$ev}"
	printf '{"event_id":"00000000-0000-7000-9000-000000000005"'
} >hostile-json.ndjson

ls -a >outside.before
find root | sort >root.before
pipe $b/store work a.ndjson canary.ndjson hostile.ndjson \
    hostile-json.ndjson frames.*
echo "== the pipeline: exit $(cat work.exit)"
ledger work $b/store
# rta-dedup and rta-store check an event_id only within their horizons
# (rta-dedup --ttl, rta-store --dedup-horizon), and pipeline.sh gives
# rta-validate no --max-past: the hostile timestamps -1, 0 and 1.5 (1969
# and 1970, three copies of one event_id) pass rta-dedup, and rta-store
# rejects them (beyond-horizon) rather than store them unchecked
echo "events stored from before 2000: $(rta-store cat -s $b/store \
    -d events -o ndjson | grep -c '"timestamp":"19')"
echo "set aside (stage, reason):"
cat work/dead-letters.ndjson work/invalid.ndjson |
    jq -r '"  " + .stage + " " + .reason' | sort | uniq -c
echo "new under root/ but not in the store:" \
    "$(find root | sort | comm -13 root.before - | grep -c -v "^$b/store")"
echo "tenants stored: $(rta-store cat -s $b/store -d events -o ndjson |
    jq -r .tenant_id | sort -u | tr '\n' ' ')"

# ---- the tenant ids without rta-validate's allowlist ----------------------
# rta-cat, rta-dedup, rta-window and rta-store each meet them; the store
# refuses them itself, and what it keeps goes to the cold store, an
# archive, and back.
rta-store init -s $b/raw
rta-cat -q hostile.ndjson a.ndjson 2>raw.err |
    rta-dedup -q --state $b/dedup.state |
    tee raw.stream | rta-store ingest -q -s $b/raw -d events \
    --dead-letter $b/raw.dl
echo "rta-store without rta-validate: exit $?, refused" \
    "$(jq -r .reason $b/raw.dl | sort | uniq -c | tr -s ' ' | sed 's/^ //')"
rta-window -q --tumbling 1m --by tenant_id --agg count <raw.stream |
    rta-store ingest -q -s $b/raw -d windows --dead-letter $b/raw.dl
echo "windows by tenant: exit $?," \
    "$(rta-store cat -s $b/raw -d windows -o ndjson | wc -l) stored," \
    "$(($(wc -l <$b/raw.dl) - 24)) refused"
rta-store export -s $b/raw --cold $b/lake --before 2026-11-27 \
    >export.out 2>&1
echo "export: exit $?, $(grep -c 'days exported' export.out) datasets"
rta-store archive -o $b/old.tar --before 2026-11-27 --cold $b/lake \
    >>raw.err 2>&1
echo "archive: exit $?"
rta-store restore --cold $b/lake2 $b/old.tar >>raw.err 2>&1
echo "restore: exit $?"
echo "cold tenants: $(find $b/lake2 -name 'tenant_id=*' | sed 's/.*=//' |
    sort -u | tr '\n' ' ')"

# ---- nothing outside root/, nothing odd inside it ------------------------
echo "new under root/ but not in the stores, the cold stores, the" \
    "archive, rta-dedup's state and the dead letters:" \
    "$(find root | sort | comm -13 root.before - | grep -c -v -e "^$b/store" \
    -e "^$b/raw" -e "^$b/lake" -e "^$b/dedup.state" -e "^$b/old.tar$")"
ls -a >outside.after
echo "new beside root/: $(comm -13 outside.before outside.after | grep -v -x \
    -e work -e work.exit -e work.stderr -e outside.after -e raw.stream -e raw.err \
    -e export.out -e root.before | tr '\n' ' ')"
[ ! -e /tmp/rta-pwn-pipeline ] || echo "/tmp/rta-pwn-pipeline was made"
echo "symbolic links under root/: $(find root -type l | wc -l)"
echo "names outside [A-Za-z0-9._=%+-] under root/:" \
    "$(find root | LC_ALL=C grep -c '[^/A-Za-z0-9._=%+-]')"
echo "names with a component .. under root/:" \
    "$(find root | grep -c -e '/\.\./' -e '/\.\.$')"

# ---- rta-query --http: tenant a's token, every route -----------------------
hash() { printf %s "$1" | sha256sum | cut -d' ' -f1; }
printf '%s a\n%s *\n' "$(hash tok-a)" "$(hash tok-root)" >tokens
printf 'Connection: close\r\n\r\n' >crlf
# req TOKEN PATH: the answer's status line; the whole answer in answer.N
n=0
req() {
	n=$((n + 1))
	printf 'GET %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n' \
	    "$2" "$1" | cat - crlf |
	    timeout 20 rta-query --http -s $b/store --tokens tokens \
	    --metrics-file work/store-events.prom >answer.$n 2>&1
	printf '%-2s %s  %s\n' "$?" "$(head -1 answer.$n | tr -d '\r' |
	    cut -d' ' -f2)" "$(echo "$2" | sed "s|^$q|Q|")"
}
# Q in the lines printed
q='/v1/query?from=2026-11-26&to=2026-11-27&agg=count,max:payload.value,top5:payload.country'
echo "exit, status and path of each answer (Q: $q)"
for p in "$q&dataset=events&tenant=a" \
    "$q&dataset=events&tenant=a&group_by=tenant_id" \
    "$q&dataset=events&tenant=canary" "$q&dataset=events&tenant=*" \
    "$q&dataset=events&tenant=a&tenant=canary" \
    "$q&dataset=events&tenant=canary&tenant=a" \
    "$q&dataset=events&tenant=a%00canary" "$q&dataset=events&tenant=A" \
    "$q&dataset=events&tenant=" "$q&dataset=events" \
    "$q&dataset=events&tenant=a,canary" \
    "$q&dataset=events&tenant=a&where=tenant_id%3D'canary'%20or%201%3D1" \
    "$q&dataset=events&tenant=a&where=tenant_id%3D'canary'%20or%20payload.value%3E0" \
    "$q&dataset=events&tenant=a&where=tenant_id%20in%20('a','canary')" \
    "$q&dataset=events&tenant=..%2fcanary" \
    "/v1/query?dataset=metrics_1m&tenant=a&from=2026-11-26&to=2026-11-27&group_by=tenant_id" \
    "/v1/query?dataset=metrics_1m&tenant=canary&from=2026-11-26&to=2026-11-27" \
    "/v1/query?dataset=../events&tenant=a" \
    "/v1/query?dataset=..%2f..%2fetc&tenant=a" \
    "/v1/tenants?dataset=events" "/v1/tenants?dataset=metrics_1m" \
    "/v1/tenants?dataset=events&tenant=canary" /v1/datasets /metrics \
    /healthz / /../../etc/passwd /%2e%2e/%2e%2e/etc/passwd \
    //etc/passwd '/v1/query/..;/' /%00 '/v1/query?dataset=events&tenant=a%0d%0aX-Canary:%201'
do
	req tok-a "$p"
done
echo "answers to tenant a's token holding the canary's data:" \
    "$(grep -l -e '"canary"' -e '"XK"' -e 7777.77 answer.* | wc -l)"
echo "answer headers injected: $(grep -c -i '^X-Canary' answer.*  |
    grep -c -v ':0$')"
req tok-root "$q&dataset=events&tenant=canary"
echo "the root token sees the canary: $(grep -c -e '"XK"' answer.$n)"
req nobody "$q&dataset=events&tenant=a"

# under SANITIZE=1, any report of the programs run outside pipeline.sh
echo "sanitizer reports: $(cat raw.err export.out answer.* |
    grep -c -e Sanitizer -e 'runtime error:')"

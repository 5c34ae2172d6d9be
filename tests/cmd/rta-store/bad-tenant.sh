# Hostile tenant ids (reliability.md 4.1) are data, never paths: each
# record whose tenant_id is not 1 to 64 of [A-Za-z0-9_.-] (not starting
# with . or -) is dead-lettered "bad-tenant" (a NUL or 4096 bytes do not
# get past the reader), the store holds the others, and nothing is made
# or removed anywhere but in the store and the dead-letter file (strace
# of every call that makes, removes or renames a file).
long255=$(printf '%0255d' 0 | tr 0 a)
long4096=$(printf '%04096d' 0 | tr 0 b)
n=0
while IFS= read -r t; do
	n=$((n + 1))
	printf '{"event_id":"e%d","timestamp":"2026-01-01T00:00:%02dZ","event_type":"v","tenant_id":%s}\n' \
	    $n $((n % 60)) "$t"
done >in.ndjson <<EOT
".."
"."
"../../etc"
"../../../../tmp/pwn"
"/etc/passwd"
"\\\\..\\\\..\\\\x"
"a/"
"a//b"
"%2e%2e%2f"
"%252e%252e%252f"
"..%c0%af"
"．．／"
"t1\\u0000/../x"
"a\\nb"
"a\\tb"
"a b"
"-rf"
"--help"
"\$(id)"
"\`id\`"
";id"
"$long255"
"$long4096"
"аcme"
".tmp-for-creation"
"x.parquet"
"Tenant"
"tenant"
"lock"
"tmp"
"_meta"
"$(printf '%064d' 0 | tr 0 c)"
"$(printf '%065d' 0 | tr 0 d)"
EOT
rta-store init -s st
find . ! -name ".std*" | sort >before
cksum </etc/passwd >passwd.sum
touch stamp
calls=open,openat,creat,mkdir,mkdirat,rename,renameat,renameat2,link,linkat
calls=$calls,symlink,symlinkat,unlink,unlinkat
ASAN_OPTIONS=detect_leaks=0 strace -f -qq -o trace -e trace=$calls \
    rta-store ingest -s st -d ev --dead-letter dl in.ndjson 2>err
echo "ingest: exit $?"
# what each line became: the dead letter's reason, or stored
rta-store cat -s st -d ev -o ndjson >out
sed 's/.*"tenant_id"://; s/}$//' in.ndjson | cut -c1-24 >names
awk -F'"' 'FILENAME == "dl" {
	split($0, a, /"line":/); split(a[2], b, /,/)
	r = $0; sub(/.*"reason":"/, "", r); sub(/".*/, "", r)
	why[b[1] + 0] = r; next
    }
    { ok[substr($4, 2) + 0] = 1 }
    END { for (i = 1; i <= '$n'; i++)
	printf "%d: %s\n", i, (i in why) ? why[i] : (i in ok) ? "stored" : "LOST" }' dl out |
    paste -d' ' - names
echo "stored: $(wc -l <out) records"
# nothing made or removed outside the store: the file of each call that
# makes, removes or renames one, and what is new in this directory
sed -n 's/^[0-9]* *\([a-z0-9]*\)(\(AT_FDCWD, \|[0-9]*, \)\{0,1\}"\([^"]*\)".*O_CREAT.*/\1 \3/p
    s/^[0-9]* *\(mkdir[a-z]*\|rename[a-z0-9]*\|link[a-z]*\|symlink[a-z]*\|unlink[a-z]*\)(\(AT_FDCWD, \|[0-9]*, \)\{0,1\}"\([^"]*\)".*/\1 \3/p' trace |
    sed 's/[0-9]\{8\}T[0-9]\{4\}\.[0-9]*\.log/LOG/' | sort -u
find . | sort | comm -13 before - |
    grep -v '^\./\(before\|out\|dl\|err\|trace\|names\|stamp\|passwd.sum\|\.std.*\)$'
cksum </etc/passwd | cmp -s - passwd.sum && echo "/etc/passwd: unchanged"
find /tmp/pwn -newer stamp 2>/dev/null
echo "-- the same from rta frames (a NUL inside the tenant id too)"
# an event's frame with tenant t1X/../x, then X made a NUL (the CRC of
# the body made again)
printf '{"event_id":"n1","timestamp":"2026-01-01T00:00:01Z","event_type":"v","tenant_id":"t1X/../x"}\n' |
    rta-cat -o rta >one.rta
len=$(od -An -tu4 -j12 -N4 one.rta | tr -d ' ')
body=$(od -An -tx1 -v -j24 -N"$len" one.rta | tr -d ' \n' |
    sed 's/7431582f2e2e2f78/7431002f2e2e2f78/')
perl "$DATA/rtaframe.pl" header frame:E:"$body" frame:Z: >nul.rta
rta-cat --events-only -o rta in.ndjson >all.rta 2>/dev/null
rta-store ingest -s st -d fr --dead-letter dlf nul.rta all.rta 2>/dev/null
echo "ingest: exit $?"
grep -o '"reason":"[^"]*"' dlf | sort | uniq -c
rta-store cat -s st -d fr -o ndjson | cmp - out && echo "stored: the same records"

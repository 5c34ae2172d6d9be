# rta-query --http serves GET /metrics: the store's stats and the
# --metrics files of real stages, merged into one Prometheus text (a
# family once, a series two files both give told apart by a file
# label).  A missing, a bad and an oversize file, a damaged dataset and
# a missing store are each answered with series, never a failed
# response.  The merged text is valid by the module's own check (taken
# again as a file, nothing is dropped).  Tokens (401, 403 for a token of
# some tenants, 200 for one of all), HEAD and the rate limit work as on
# the other routes.  The clock and the files' times are pinned; bytes on
# disk (and so the lengths) depend on the file system, and the commits
# made on how the pipe ran: those are masked.
export RTA_NOW=2026-01-02T00:00:00Z
rta-gen -s 5 -c 400 --tenants 2 >in.ndjson
rta-store init -s st
rta-cat --metrics cat.prom in.ndjson |
    rta-dedup --metrics dedup.prom |
    rta-store ingest -s st -d ev --metrics ingest-ev.prom
rta-window --tumbling 1h --by tenant_id --agg count <in.ndjson |
    rta-store ingest -s st -d agg --metrics ingest-agg.prom
touch -d 2026-01-01T23:59:00Z cat.prom dedup.prom ingest-ev.prom \
    ingest-agg.prom
req() {
	# $1 method, $2 target, then header lines
	printf '%s %s HTTP/1.1\r\nHost: test\r\n' "$1" "$2"
	shift 2
	for h in "$@"; do printf '%s\r\n' "$h"; done
	printf '\r\n'
}
mask() {
	tr -d '\r' | sed 's/^\(rta_store_bytes{[^}]*}\) [0-9]*$/\1 BYTES/
	    s/^\(rta_store_commits_total{[^}]*}\) [0-9]*$/\1 N/
	    s/^Content-Length: [0-9]*$/Content-Length: LEN/'
}
files="--metrics-file cat.prom --metrics-file dedup.prom
    --metrics-file ingest-ev.prom --metrics-file ingest-agg.prom"
echo "-- the store's stats, four stages' files and a missing one"
# shellcheck disable=SC2086
req GET /metrics 'Connection: close' |
    rta-query --http -s st $files --metrics-file nosuch.prom >merged.out
echo "exit $?"
mask <merged.out
echo "-- taken again as a file, the merged text loses nothing"
tr -d '\r' <merged.out | sed '1,/^$/d' | grep -v rta_query_metrics_file \
    >again.prom
touch -d 2026-01-01T23:59:00Z again.prom
req GET /metrics 'Connection: close' |
    rta-query --http -s st --metrics-file again.prom | mask |
    grep 'file="again.prom"' | grep -v '^rta_store'
echo "-- a file of bad lines and one over 4 MiB"
printf '%s\r\n' '# HELP good_total Good ones.' '# TYPE good_total counter' \
    'good_total{tenant="a\"b\\c"} 3' 'good_total{tenant="a\"b\\c"} 4' \
    'good_total 1 1767225600000' '# a comment' 'bad line' \
    'bad{le=1} 1' '# TYPE good_total gauge' 'nan_ok NaN' \
    'rta_records_in_total{stage="rta-cat"} 7' >bad.prom
printf 'last_without_newline +Inf' >>bad.prom
head -c 4194305 /dev/zero | tr '\0' '\n' >big.prom
touch -d 2026-01-01T23:58:00Z bad.prom big.prom
req GET /metrics 'Connection: close' |
    rta-query --http -s st --metrics-file bad.prom \
    --metrics-file big.prom --metrics-file cat.prom | mask |
    grep -v '^rta_store\|^# [A-Z]* rta_store'
echo "-- tokens"
printf '%s t0000\n%s *\n' \
    "$(printf %s tok-a | sha256sum | cut -d' ' -f1)" \
    "$(printf %s tok-root | sha256sum | cut -d' ' -f1)" >tokens
{ req GET /metrics; req GET /metrics 'Authorization: Bearer tok-a'
  req HEAD /metrics 'Authorization: Bearer tok-root'
  req GET /metrics 'Authorization: Bearer tok-root' 'Connection: close'
} | rta-query --http -s st --tokens tokens --metrics-file cat.prom |
    mask | grep '^HTTP\|^{\|^Content-\|^rta_query\|^rta_store_up'
echo "-- the rate limit"
for i in 1 2; do
	req GET /metrics 'Connection: close' |
	    rta-query --http -s st --rate 1 --rate-state rate | head -1
done
echo "-- a store that cannot be read is a series too"
req GET /metrics 'Connection: close' |
    rta-query --http -s nosuch --metrics-file cat.prom | mask |
    grep '^HTTP\|^rta_store\|^rta_query_metrics_file_up'
echo "-- a damaged dataset is a series too"
cp -Rp st st2
: >st2/ev/20260101T0000.1.log
req GET /metrics 'Connection: close' | rta-query --http -s st2 | mask |
    grep '^HTTP\|^rta_store_dataset_up\|^rta_store_records'
echo "-- usage"
rta-query -s st -d ev --since 1d --metrics-file cat.prom 2>&1 | head -1

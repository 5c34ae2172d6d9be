# --detect: each closed window's aggregate against its group's history.
# Tenant x sends 10 events a minute (11 in odd minutes) for 20 minutes,
# then 60 in one minute; tenant y stays flat.  Only x's spike alerts, with
# the observed value, the history's mean and standard deviation and the
# score; a minute with no events counts 0 for count; nothing alerts before
# --min-history windows; --alerts puts alerts in a file of their own.
awk 'BEGIN {
	for (m = 0; m < 22; m++) {
		n = m == 20 ? 60 : 10 + m % 2
		if (m == 21) n = 10
		for (i = 0; i < n; i++)
			printf "{\"event_id\":\"x%d-%d\",\"timestamp\":\"2026-01-01T00:%02d:%02dZ\",\"event_type\":\"v\",\"tenant_id\":\"x\"}\n", m, i, m, i
		for (i = 0; i < 10; i++)
			printf "{\"event_id\":\"y%d-%d\",\"timestamp\":\"2026-01-01T00:%02d:%02dZ\",\"event_type\":\"v\",\"tenant_id\":\"y\"}\n", m, i, m, 30 + i
	}
}' >in.ndjson
show() {
	grep '"event_type":"rta.alert"' "$1" | sed 's/.*"tenant_id":"\([a-z]*\)".*"window_start":"\([^"]*\)".*"aggregate":"\([^"]*\)","method":"\([a-z]*\)","observed":\([^,]*\),"expected":\([^,]*\),"stddev":\([^,]*\),"score":\([^,]*\),.*"history":\([0-9]*\).*/\1 \2 \3 \4 observed \5 expected \6 sd \7 score \8 history \9/'
}
echo "-- zscore:3"
rta-window --tumbling 1m --detect zscore:3 in.ndjson >out
echo "exit $? alerts $(grep -c rta.alert out) records $(grep -c '"\$rta":"aggregate"' out)"
show out
echo "-- ewma:3, into a file"
rta-window --tumbling 1m --detect ewma:3 --alerts al --metrics m in.ndjson >out
echo "exit $? alerts in stdout $(grep -c rta.alert out), in the file $(wc -l <al)"
show al
grep '^rta_window_alerts_total' m
echo "-- min-history 25: too little history to alert"
rta-window --tumbling 1m --detect zscore:3 --min-history 25 --history 30 \
    in.ndjson | grep -c rta.alert
echo "-- a quiet minute counts 0"
grep -v '"timestamp":"2026-01-01T00:1[0-9]' in.ndjson | grep -v '"tenant_id":"y"' |
    grep -v '"timestamp":"2026-01-01T00:0[0-8]' >gap.ndjson
rta-window --tumbling 1m --detect zscore:2 --min-history 1 gap.ndjson >out
show out
echo "-- errors"
for args in "--detect zscore:3:p95:payload.x" \
    "--agg count,first:payload.x --detect zscore:3:first:payload.x" \
    "--detect median:3" "--detect zscore:0" "--alerts al" \
    "--detect zscore:3 --history 5 --min-history 6"; do
	# shellcheck disable=SC2086
	rta-window --tumbling 1m $args in.ndjson >/dev/null 2>err
	echo "[$args] exit $?: $(head -1 err)"
done
echo "-- a gap longer than the history: all of it zeros"
awk 'BEGIN {
	for (m = 0; m < 10; m++)
		printf "{\"event_id\":\"x%d\",\"timestamp\":\"2026-01-01T00:%02d:00Z\",\"event_type\":\"v\",\"tenant_id\":\"x\"}\n", m, m
	printf "{\"event_id\":\"x30\",\"timestamp\":\"2026-01-01T00:30:00Z\",\"event_type\":\"v\",\"tenant_id\":\"x\"}\n"
	printf "{\"event_id\":\"x31\",\"timestamp\":\"2026-01-01T00:31:00Z\",\"event_type\":\"v\",\"tenant_id\":\"x\"}\n"
}' >long.ndjson
rta-window --tumbling 1m --detect zscore:3 --history 5 --min-history 5 \
    long.ndjson >out
show out
echo "-- --max-groups bounds the histories: a group quiet for --history"
echo "   windows makes room; else the window goes uncompared, counted"
awk 'BEGIN {
	for (m = 0; m < 12; m++) {
		printf "{\"event_id\":\"a%d\",\"timestamp\":\"2026-01-01T00:%02d:00Z\",\"event_type\":\"v\",\"tenant_id\":\"a\"}\n", m, m
		if (m < 3)
			printf "{\"event_id\":\"b%d\",\"timestamp\":\"2026-01-01T00:%02d:10Z\",\"event_type\":\"v\",\"tenant_id\":\"b\"}\n", m, m
		if (m == 5 || m == 11)
			printf "{\"event_id\":\"c%d\",\"timestamp\":\"2026-01-01T00:%02d:20Z\",\"event_type\":\"v\",\"tenant_id\":\"c\"}\n", m, m
	}
}' >cap.ndjson
rta-window --tumbling 1m --detect zscore:3 --history 5 --min-history 3 \
    --max-groups 2 --metrics m cap.ndjson >/dev/null
echo "exit $?"
grep -E '^rta_(records_rejected|window_detect_unwatched)_total' m | sed 's/{stage="rta-window"}//'

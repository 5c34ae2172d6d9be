# --idle: when the input goes quiet, the watermark moves on with the wall
# clock, so a live window closes without waiting for the next event.  The
# first minute's events come, then nothing for 6 s: with --idle 1s the
# window's record is out before the input ends; without --idle it waits
# for the end.
printf '%s\n' \
 '{"event_id":"a","timestamp":"2026-01-01T00:00:57Z","event_type":"v","tenant_id":"x"}' \
 '{"event_id":"b","timestamp":"2026-01-01T00:00:58Z","event_type":"v","tenant_id":"x"}' \
 >first.ndjson
printf '%s\n' \
 '{"event_id":"c","timestamp":"2026-01-01T00:01:10Z","event_type":"v","tenant_id":"x"}' \
 >second.ndjson
for idle in "--idle 1s" ""; do
	rm -f out
	# shellcheck disable=SC2086
	{ cat first.ndjson; sleep 6; cat second.ndjson; } |
	    rta-window --tumbling 1m $idle >out &
	sleep 4
	echo "[${idle:-no idle}] after 4 s: $(grep -c '"final":true' out) records"
	wait
	echo "[${idle:-no idle}] at the end: $(grep -c '"final":true' out) records"
	# (the watermark's value under --idle depends on the clock)
	grep -o '"start":"[^"]*"\|"results":{"count":[0-9]*}\|"\$rta":"watermark"' out |
	    paste -sd' ' -
done

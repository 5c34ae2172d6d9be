# Out of order within --max-delay: counted in their window.  After the
# watermark passed a window, --allowed-lateness keeps it: a late event
# updates it and its record comes out again, one version more, with the
# same record id.  Later than that, the event goes to --late.
printf '%s\n' \
 '{"event_id":"a","timestamp":"2026-01-01T00:00:10Z","event_type":"v","tenant_id":"x"}' \
 '{"event_id":"b","timestamp":"2026-01-01T00:01:20Z","event_type":"v","tenant_id":"x"}' \
 '{"event_id":"c","timestamp":"2026-01-01T00:00:50Z","event_type":"v","tenant_id":"x"}' \
 '{"event_id":"d","timestamp":"2026-01-01T00:02:30Z","event_type":"v","tenant_id":"x"}' \
 '{"event_id":"e","timestamp":"2026-01-01T00:00:40Z","event_type":"v","tenant_id":"x"}' \
 '{"event_id":"f","timestamp":"2026-01-01T00:05:00Z","event_type":"v","tenant_id":"x"}' \
 '{"event_id":"g","timestamp":"2026-01-01T00:00:30Z","event_type":"v","tenant_id":"x"}' \
 >in.ndjson
show() {
	grep -o '"record_id":"[^"]*"\|"start":"[^"]*"\|"version":[0-9]*\|"final":[a-z]*\|"results":{[^}]*}\|"\$rta":"watermark","watermark":"[^"]*"' "$1" |
	    paste -sd' ' | sed 's/ "record_id"/\n"record_id"/g; s/ "\$rta"/\n"$rta"/g'
	echo
}
echo "-- max-delay 30s"
rta-window --tumbling 1m --max-delay 30s --late late in.ndjson >out
echo "exit $?"; show out; wc -l <late
echo "-- max-delay 30s, allowed-lateness 2m"
rta-window --tumbling 1m --max-delay 30s --allowed-lateness 2m --late late2 \
    --metrics m in.ndjson >out
echo "exit $?"; show out
grep -c '"reason":"late"' late2
grep -E '^rta_(records|window)_[a-z_]+' m | sed 's/{stage="rta-window"}//'
echo "-- a late event opening a window within the lateness: out at once"
printf '%s\n' \
 '{"event_id":"a","timestamp":"2026-01-01T00:00:10Z","event_type":"v","tenant_id":"x"}' \
 '{"event_id":"b","timestamp":"2026-01-01T00:01:10Z","event_type":"v","tenant_id":"x"}' \
 '{"event_id":"c","timestamp":"2026-01-01T00:00:20Z","event_type":"v","tenant_id":"y"}' \
 >new.ndjson
{ cat new.ndjson; sleep 2; } | rta-window --tumbling 1m --allowed-lateness 5m -u >out &
sleep 1
grep -o '"tenant_id":"[xy]","version":[0-9]*' out | paste -sd' ' -
wait

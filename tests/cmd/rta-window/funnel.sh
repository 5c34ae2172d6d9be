# Funnels: per group and window, how many users reached each step, in
# order, within --within of their first step.  Step events are taken in
# event time order once the watermark passes them; an attempt's first
# step decides its window; a user counts once per window, at the
# farthest step it reached there.
printf '%s\n' \
 '{"event_id":"1","timestamp":"2026-01-01T00:00:00Z","event_type":"view","tenant_id":"x","payload":{"u":"a"}}' \
 '{"event_id":"2","timestamp":"2026-01-01T00:05:00Z","event_type":"cart","tenant_id":"x","payload":{"u":"a"}}' \
 '{"event_id":"3","timestamp":"2026-01-01T00:02:00Z","event_type":"view","tenant_id":"x","payload":{"u":"b"}}' \
 '{"event_id":"4","timestamp":"2026-01-01T00:20:00Z","event_type":"buy","tenant_id":"x","payload":{"u":"a"}}' \
 '{"event_id":"5","timestamp":"2026-01-01T00:03:00Z","event_type":"cart","tenant_id":"x","payload":{"u":"c"}}' \
 '{"event_id":"6","timestamp":"2026-01-01T00:50:00Z","event_type":"buy","tenant_id":"x","payload":{"u":"b"}}' \
 '{"event_id":"7","timestamp":"2026-01-01T00:59:00Z","event_type":"view","tenant_id":"x","payload":{"u":"c"}}' \
 '{"event_id":"8","timestamp":"2026-01-01T01:10:00Z","event_type":"cart","tenant_id":"x","payload":{"u":"c"}}' \
 '{"event_id":"9","timestamp":"2026-01-01T01:30:00Z","event_type":"click","tenant_id":"y","payload":{"u":"c"}}' \
 '{"event_id":"10","timestamp":"2026-01-01T01:40:00Z","event_type":"view","tenant_id":"y"}' \
 '{"event_id":"11","timestamp":"2026-01-01T01:45:00Z","event_type":"view","tenant_id":"y","payload":{"u":"a"}}' \
 '{"event_id":"12","timestamp":"2026-01-01T01:50:00Z","event_type":"buy","tenant_id":"y","payload":{"u":"a"}}' \
 '{"event_id":"13","timestamp":"2026-01-01T02:10:00Z","event_type":"cart","tenant_id":"y","payload":{"u":"a"}}' \
 >in.ndjson
echo "-- view, cart, buy within 30m, hourly (a: all three; b: no cart;"
echo "   c: its cart is late, then a view at 00:59 and a cart after the hour)"
rta-window --tumbling 1h --funnel view,cart,buy --within 30m \
    --user payload.u --max-delay 10m --late late --metrics m in.ndjson >out
echo "exit $?"
grep -o '"start":"[^"]*"\|"tenant_id":"[^"]*","version":[0-9]*\|"results":{"funnel":{[^}]*}}\|"\$rta":"watermark","watermark":"[^"]*"' out |
    paste -sd' ' | sed 's/ "start"/\n"start"/g; s/ "\$rta"/\n"$rta"/g'
echo
grep -o '"states":.*' out | head -1
grep -o '"reason":"[a-z]*"' late
grep -E '^rta_(records|window)_[a-z_]+' m | sed 's/{stage="rta-window"}//' |
    grep -v 'alerts\|open\|merged'
echo "-- from frames, in pieces: the same bytes"
rta-cat -o rta in.ndjson >in.rta
for seed in 1 2; do
	rta-trickle "$seed" in.rta 40 | rta-window --tumbling 1h \
	    --funnel view,cart,buy --within 30m --user payload.u \
	    --max-delay 10m -o ndjson - | cmp - out && echo "seed $seed: same"
done
echo "-- early versions with --emit-every"
rta-window --tumbling 1h --funnel view,cart,buy --within 30m \
    --user payload.u --max-delay 10m --emit-every 10m in.ndjson |
    grep -o '"version":[0-9]*,[^{]*"final":[a-z]*\|"results":{"funnel":{[^}]*}}' |
    sed 's/"conversion":\[[^]]*\],"steps":\[[^]]*\],//' | paste -sd' ' |
    sed 's/ \("version"\)/\n\1/g'
echo
echo "-- usage"
for a in "--tumbling 1h --funnel view,cart" \
    "--tumbling 1h --funnel view --user u --within 1m" \
    "--tumbling 1h --funnel view,view --user u --within 1m" \
    "--session 1h --funnel view,cart --user u --within 1m" \
    "--tumbling 1h --funnel view,cart --user u --within 1m --agg count" \
    "--tumbling 1h --user u"; do
	{ rta-window $a in.ndjson 2>&1 >/dev/null; echo "exit $?"; } |
	    sed -n '1p;$p'
done
echo "-- against awk: a generated stream, tenants by 5-minute windows"
rta-gen -c 30000 --eps 20 -t 3 --users 300 --disorder 30s \
    --types page_view=6,add_to_cart=3,purchase=1 \
    --start 2026-01-01T01:00:00Z >gen.ndjson
rta-window --tumbling 5m --funnel page_view,add_to_cart,purchase \
    --within 1m --user payload.user_id --max-delay 1m --late late2 \
    gen.ndjson >out
echo "exit $? late $(wc -l <late2)"
grep '"\$rta":"aggregate"' out |
awk '{ t = $0; sub(/.*"group":\{"tenant_id":"/, "", t); sub(/".*/, "", t);
    s = $0; sub(/.*"start":"/, "", s); s = substr(s, 12, 8);
    u = $0; sub(/.*"users":\[/, "", u); sub(/\].*/, "", u); gsub(/,/, " ", u);
    print t, s, u }' | sort >got
awk '{ t = $0; sub(/.*"tenant_id":"/, "", t); sub(/".*/, "", t);
    u = $0; sub(/.*"user_id":"/, "", u); sub(/".*/, "", u);
    s = $0; sub(/.*"timestamp":"/, "", s); sub(/".*/, "", s);
    y = $0; sub(/.*"event_type":"/, "", y); sub(/".*/, "", y);
    printf "%s %s %s %08d %s\n", t, u, s, NR, y }' gen.ndjson | sort |
awk 'BEGIN { st["page_view"] = 0; st["add_to_cart"] = 1; st["purchase"] = 2 }
    function sec(ts) { return substr(ts, 12, 2) * 3600 + substr(ts, 15, 2) * 60 + substr(ts, 18) }
    { key = $1 " " $2
      if (key != k) { k = key; entry = -1; cw = -1; cl = 0 }
      x = sec($3); step = st[$5]
      if (entry >= 0 && x - entry > 60) entry = -1
      if (entry < 0) { if (step != 0) next; entry = x; level = 1 }
      else if (step == level) level++
      else next
      w = int(entry / 300) * 300
      if (w != cw) { cw = w; cl = 0 }
      for (i = cl; i < level; i++) c[$1 " " w, i]++
      if (level > cl) { cl = level; seen[$1 " " w] = 1 } }
    END { for (g in seen) { split(g, p, " "); w = p[2]
      printf "%s %02d:%02d:%02d %d %d %d\n", p[1], int(w / 3600), int(w % 3600 / 60), w % 60,
          c[g, 0], c[g, 1], c[g, 2] } }' | sort >want
if cmp -s got want; then
	echo "$(wc -l <want) windows equal"
else
	echo "differ:"; diff got want | head
fi
echo "-- equal times: the second of two steps at one time is not late"
printf '%s\n' \
 '{"event_id":"1","timestamp":"2026-01-01T00:00:10Z","event_type":"a","tenant_id":"t","payload":{"u":"u1"}}' \
 '{"event_id":"2","timestamp":"2026-01-01T00:00:10Z","event_type":"a","tenant_id":"t","payload":{"u":"u2"}}' \
 '{"event_id":"3","timestamp":"2026-01-01T00:00:20Z","event_type":"b","tenant_id":"t","payload":{"u":"u1"}}' \
 '{"event_id":"4","timestamp":"2026-01-01T00:00:20Z","event_type":"b","tenant_id":"t","payload":{"u":"u2"}}' \
 >eq.ndjson
rta-window --tumbling 1m --funnel a,b --within 1m --user payload.u \
    --late eq.late eq.ndjson | grep -o '"results":{"funnel":{[^}]*}}'
echo "late: $(wc -l <eq.late)"
echo "-- a window before the year 1 is refused"
printf '%s\n' \
 '{"event_id":"1","timestamp":"0001-01-01T00:00:10Z","event_type":"a","tenant_id":"t","payload":{"u":"u1"}}' |
    rta-window --tumbling 7d --funnel a,b --within 1m --user payload.u \
    2>&1 >/dev/null

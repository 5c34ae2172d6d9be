# The counts, sums, minimums and maximums per tenant, event type and
# minute equal an independent computation in awk over the same events:
# rta-gen's stream with disorder, late and duplicate events, read in any
# encoding.  --allowed-lateness covers the late ones, so every event
# counts; each window's last version is the answer.
rta-gen -c 30000 --eps 50 --disorder 20s --late 0.02 --late-by 10m \
    --duplicates 0.01 >in.ndjson
rta-cat -o rta in.ndjson >in.rta
for f in in.ndjson in.rta; do
	rm -f late
	rta-window --tumbling 1m --by tenant_id,event_type \
	    --agg count,sum:payload.value,min:payload.value,max:payload.value \
	    --max-delay 30s --allowed-lateness 1h --late late -o ndjson "$f" >out
	echo "$f: exit $? late $(wc -l <late)"
	# the last version of each record
	grep '"\$rta":"aggregate"' out |
	awk '{ id = $0; sub(/.*"record_id":"/, "", id); sub(/".*/, "", id);
	    v = $0; sub(/.*"version":/, "", v); sub(/,.*/, "", v);
	    if (v + 0 >= best[id]) { best[id] = v + 0; line[id] = $0 } }
	    END { for (id in line) print line[id] }' |
	awk '{ t = $0; sub(/.*"group":\{"tenant_id":"/, "", t); sub(/".*/, "", t);
	    y = $0; sub(/.*"event_type":"/, "", y); sub(/".*/, "", y);
	    s = $0; sub(/.*"start":"/, "", s); s = substr(s, 1, 16);
	    r = $0; sub(/.*"results":\{/, "", r); sub(/\}.*/, "", r);
	    n = split(r, kv, /,"/);
	    for (i = 1; i <= n; i++) { split(kv[i], p, /":/); v[i] = p[2] }
	    printf "%s %s %s %d %.17g %.17g %.17g\n", t, y, s, v[1], v[2], v[3], v[4] }' |
	    sort >got
	awk '{ t = $0; sub(/.*"tenant_id":"/, "", t); sub(/".*/, "", t);
	    y = $0; sub(/.*"event_type":"/, "", y); sub(/".*/, "", y);
	    s = $0; sub(/.*"timestamp":"/, "", s); s = substr(s, 1, 16);
	    if ($0 !~ /"value":/) { k = t " " y " " s; c[k]++; next }
	    x = $0; sub(/.*"value":/, "", x); sub(/[,}].*/, "", x); x += 0;
	    k = t " " y " " s; c[k]++; sm[k] += x;
	    if (!(k in mn) || x < mn[k]) mn[k] = x;
	    if (!(k in mx) || x > mx[k]) mx[k] = x }
	    END { for (k in c) printf "%s %d %.17g %.17g %.17g\n", k, c[k], sm[k], mn[k], mx[k] }' \
	    in.ndjson | sort >want
	if cmp -s got want; then
		echo "$f: $(wc -l <want) windows equal"
	else
		echo "$f: differ"; diff want got | head -5
	fi
done

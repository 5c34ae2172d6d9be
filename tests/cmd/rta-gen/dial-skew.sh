# --skew S makes tenant popularity Zipf-like: t0000 is the most frequent
# and frequency falls with the tenant number; --skew 0 is flat.
rta-gen -c 20000 -t 10 --skew 1.5 | sed 's/.*"tenant_id":"\([^"]*\)".*/\1/' | sort | uniq -c |
    awk '{ n[NR] = $1; t[NR] = $2 } END {
	ok = 1; for (i = 2; i <= NR; i++) if (n[i] >= n[i - 1]) ok = 0
	print t[1], "most frequent:", (n[1] > 8000 ? "yes" : n[1])
	print "falling with the tenant number:", (ok ? "yes" : "no") }'
rta-gen -c 20000 -t 10 --skew 0 | sed 's/.*"tenant_id":"\([^"]*\)".*/\1/' | sort | uniq -c |
    awk '{ if ($1 < 1800 || $1 > 2200) bad++ } END { print "flat:", (bad ? "no" : "yes") }'

# -t/--tenants N: tenant ids t0000 .. t(N-1), zero-padded to at least 4
# digits; with a flat skew every tenant appears.
rta-gen -c 1000 -t 3 | sed 's/.*"tenant_id":"\([^"]*\)".*/\1/' | sort | uniq -c | awk '{ print $2, ($1 > 250 ? "over 250" : $1) }'
rta-gen -c 5000 --tenants 12345 | sed 's/.*"tenant_id":"\([^"]*\)".*/\1/' | sort -u | sed -n '1p;$p'
rta-gen -c 5 -t 1 | sed 's/.*"tenant_id":"\([^"]*\)".*/\1/' | sort -u

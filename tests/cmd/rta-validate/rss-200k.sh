# Memory stays bounded over a long stream: 200,000 events of 500 tenants
# (valid, invalid, unknown types, malformed lines), in NDJSON and in rta
# frames, with a dead letter and metrics: max RSS below 32 MiB, and the
# counts balance.
. "$DATA/balance.inc"
. "$DATA/rss.inc"
cp -R "$DATA/validate/schemas" schemas
rta-gen -c 200000 -s 11 -t 500 --malformed 0.01 \
    --types page_view=80,purchase=10,error=5,signup=5 >in.ndjson
/usr/bin/time -o rss1 -f %M rta-validate -s schemas -q --dead-letter dl1 \
    --metrics m1 --max-future 1h in.ndjson >out1
echo "ndjson: exit $?"
rss_below 32768 rss1
balanced m1
rta-cat -q -o rta in.ndjson >in.rta
/usr/bin/time -o rss2 -f %M rta-validate -s schemas -q --dead-letter dl2 \
    --metrics m2 in.rta >out2
echo "rta: exit $?"
rss_below 32768 rss2
balanced m2
grep '^rta_validate_unknown_total' m1

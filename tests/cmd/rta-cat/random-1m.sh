# 1 MiB of random bytes, read as NDJSON and after a binary stream header:
# every record rejected and counted, no crash, exit 1, counts balance,
# memory bounded.
. "$DATA/rss.inc"
. "$DATA/balance.inc"
perl "$DATA/noise.pl" 1 1 >noise
/usr/bin/time -o rss1 -f %M rta-cat --from ndjson -q --metrics m1 noise >out1
echo "ndjson: exit $?, $(wc -c <out1) bytes out"
rss_below 65536 rss1
{ perl "$DATA/rtaframe.pl" header; cat noise; } >noise.rta
/usr/bin/time -o rss2 -f %M rta-cat -q --metrics m2 noise.rta >out2
echo "rta: exit $?, $(rta-cat -o ndjson out2 | wc -c) bytes of records out"
rss_below 65536 rss2
balanced m1
balanced m2

# 100 MiB of random bytes, as NDJSON and after a binary stream header:
# rejected and counted, no crash, exit 1, max RSS below 64 MiB.
. "$DATA/rss.inc"
. "$DATA/balance.inc"
perl "$DATA/noise.pl" 2 100 |
    /usr/bin/time -o rss1 -f %M rta-cat --from ndjson -q --metrics m1 >out1
echo "ndjson: exit $?, $(wc -c <out1) bytes out"
rss_below 65536 rss1
{ perl "$DATA/rtaframe.pl" header; perl "$DATA/noise.pl" 3 100; } |
    /usr/bin/time -o rss2 -f %M rta-cat -q --metrics m2 >out2
echo "rta: exit $?"
rss_below 65536 rss2
balanced m1
balanced m2

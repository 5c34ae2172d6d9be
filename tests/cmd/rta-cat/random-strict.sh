# --strict on 100 MiB of random bytes stops at the first bad record, in
# either encoding.
perl "$DATA/noise.pl" 4 100 | rta-cat --strict --from ndjson >out
echo "ndjson: exit $?, $(wc -c <out) bytes out"
{ perl "$DATA/rtaframe.pl" header; perl "$DATA/noise.pl" 4 100; } |
    rta-cat --strict -o ndjson >out
echo "rta: exit $?, $(wc -c <out) bytes out"

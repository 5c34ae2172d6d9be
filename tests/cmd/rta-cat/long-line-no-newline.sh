# An input that is one 100 MiB line with no newline at all is rejected as
# too long, in bounded memory.
. "$DATA/rss.inc"
head -c 104857600 /dev/zero | tr '\0' '{' |
    /usr/bin/time -o rss -f %M rta-cat --metrics m >out
echo "exit $?, $(wc -c <out) bytes out"
rss_below 24576 rss
grep '^rta_records_rejected_total' m

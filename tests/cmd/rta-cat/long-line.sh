# A 100 MiB line is rejected as too long (the 1 MiB default) without being
# held: max RSS below 24 MiB (the limit + 16 MiB + slack); the lines after
# it are read; the dead letter keeps its first 64 KiB.
. "$DATA/balance.inc"
. "$DATA/rss.inc"
rta-gen -c 2 >ev.ndjson
{
	head -1 ev.ndjson
	head -c 104857600 /dev/zero | tr '\0' a
	echo
	tail -1 ev.ndjson
} | /usr/bin/time -o rss -f %M rta-cat --dead-letter dl --metrics m >out
echo "exit $?"
cmp ev.ndjson out && echo "the lines around it read"
rss_below 24576 rss
balanced m
echo "dead letter: $(wc -l <dl) line, reason $(sed 's/.*"reason":"\([^"]*\)".*/\1/' dl), $(sed 's/.*"original":"\(a*\)".*/\1/' dl | tr -d "\n" | wc -c) bytes of original"

# Frame headers (with a correct header check) declaring lengths 0, 1, the
# rest of the input + 1, the 16 MiB limit, the limit + 1, 0x7FFFFFFF,
# 0x80000000, 0xFFFFFFFC and 0xFFFFFFFF: each is rejected without a large
# allocation (max RSS below 32 MiB), exit 1, and the frames after it are
# read when the length leaves any.
. "$DATA/balance.inc"
. "$DATA/rss.inc"
rta-cat emit -o rta --id A --time 0 t x >A.rta
rta-cat emit -o rta --id B --time 0 t x >B.rta
head -c -12 A.rta >head.rta
tail -c +13 B.rta >tail.rta
rest=$(wc -c <tail.rta)
for len in 0 1 $((rest + 1)) 16777216 16777217 0x7FFFFFFF 0x80000000 \
    0xFFFFFFFC 0xFFFFFFFF
do
	{ cat head.rta; perl "$DATA/rtaframe.pl" head:$len:E; cat tail.rta; } >in.rta
	/usr/bin/time -o rss -f %M rta-cat -o ndjson --metrics m in.rta >out 2>err
	echo "length $len: exit $?, events: $(sed 's/{"event_id":"\([^"]*\)".*/\1/' out | tr '\n' ' ')"
	cat err
	rss_below 32768 rss
	balanced m
done

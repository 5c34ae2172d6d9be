# -u/--unbuffered writes each record as soon as it is made (one write(2)
# per record); without it the records go out in one large write.  A
# Kafka position record goes out in one write with the event after it,
# so that rta-cats sharing a pipe (one a partition) cannot come between.
# (LeakSanitizer cannot run under ptrace: off for the ASan build.)
rta-gen -c 5 >in.ndjson
ASAN_OPTIONS=detect_leaks=0 strace -o tr -e trace=write rta-cat -u in.ndjson >out
echo "-u: exit $?, $(grep -c '^write(1,' tr) writes"
cmp in.ndjson out && echo "the same bytes"
ASAN_OPTIONS=detect_leaks=0 strace -o tr -e trace=write rta-cat --unbuffered -o rta in.ndjson >/dev/null
echo "-u -o rta: $(grep -c '^write(1,' tr) writes (the end frame too)"
ASAN_OPTIONS=detect_leaks=0 strace -o tr -e trace=write rta-cat in.ndjson >/dev/null
echo "buffered: $(grep -c '^write(1,' tr) writes"
# (messages 4 and 5 are rejected: their positions go out together at
# the end)
ASAN_OPTIONS=detect_leaks=0 strace -o tr -s 200 -e trace=write rta-cat -u \
    --from kcat-json -o ndjson "$TESTS/../examples/data/kcat.jsonl" \
    >out 2>/dev/null
echo "-u, 5 Kafka messages: exit $?, $(grep -c '^write(1,' tr) writes," \
    "$(grep -c '"$rta":"position"' out) positions, $(grep -c \
    '^write(1, "{\\"$rta\\":\\"position.*\\n{\\"event_id' tr) writes of a" \
    "position with its event"

# -u/--unbuffered writes each record as soon as it is made (one write(2)
# per record); without it the records go out in one large write.
# (LeakSanitizer cannot run under ptrace: off for the ASan build.)
rta-gen -c 5 >in.ndjson
ASAN_OPTIONS=detect_leaks=0 strace -o tr -e trace=write rta-cat -u in.ndjson >out
echo "-u: exit $?, $(grep -c '^write(1,' tr) writes"
cmp in.ndjson out && echo "the same bytes"
ASAN_OPTIONS=detect_leaks=0 strace -o tr -e trace=write rta-cat --unbuffered -o rta in.ndjson >/dev/null
echo "-u -o rta: $(grep -c '^write(1,' tr) writes (the end frame too)"
ASAN_OPTIONS=detect_leaks=0 strace -o tr -e trace=write rta-cat in.ndjson >/dev/null
echo "buffered: $(grep -c '^write(1,' tr) writes"

# -u/--unbuffered writes each record as soon as it is made (one write(2)
# per record); without it the records go out in one large write.
# (LeakSanitizer cannot run under ptrace: off for the ASan build.)
ASAN_OPTIONS=detect_leaks=0 strace -o tr -e trace=write rta-gen -u -c 5 >out
echo "-u: exit $?, $(grep -c '^write(1,' tr) writes"
rta-gen -c 5 | cmp - out && echo "the same bytes"
ASAN_OPTIONS=detect_leaks=0 strace -o tr -e trace=write rta-gen -c 5 >/dev/null
echo "buffered: $(grep -c '^write(1,' tr) writes"

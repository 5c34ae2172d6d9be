# -f: a line appended in two pieces is one record, read when it is whole.
: >log
rta-cat -f log >out 2>err &
pid=$!
rta-gen -c 1 >one
sleep 0.3
head -c 50 one >>log
sleep 0.6
echo "half a line: $(wc -l <out) records"
tail -c +51 one >>log
sleep 0.6
echo "whole: $(wc -l <out) records"
kill $pid
wait $pid 2>/dev/null
echo "exit $? (SIGTERM)"
cmp one out && echo "the record as written"

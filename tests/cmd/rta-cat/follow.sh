# -f follows a file like tail -F: records appended are read, a rotated file
# (renamed, a new one created) is finished and the new one read, a
# truncated file is read again from its start.
rta-gen -c 3 -s 1 >log
rta-cat -f log >out 2>err &
pid=$!
sleep 0.5
rta-gen -c 3 -s 2 >>log
sleep 0.6
echo "appended: $(wc -l <out)"
mv log log.1
rta-gen -c 3 -s 3 >>log.1
rta-gen -c 3 -s 4 >log
sleep 0.8
echo "rotated: $(wc -l <out)"
: >log
sleep 0.6
rta-gen -c 3 -s 5 >log
sleep 0.8
echo "truncated and rewritten: $(wc -l <out)"
kill $pid
wait $pid 2>/dev/null
echo "exit $? (SIGTERM)"
for s in 1 2 3 4 5; do rta-gen -c 3 -s $s; done | cmp - out && echo "every record once, in order"

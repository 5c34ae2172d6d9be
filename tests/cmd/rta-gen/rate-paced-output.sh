# With --rate the records are written as they fall due, not all at the
# end: half-way through a 2 s run, part of the output is already there.
rta-gen -c 20 --rate 10 >o &
pid=$!
sleep 1
n=$(wc -l <o)
wait $pid
echo "exit $?"
[ $n -ge 5 ] && [ $n -le 15 ] && echo "5 to 15 records after 1 s" || echo "$n records after 1 s"
echo "$(wc -l <o) records at the end"

# SIGUSR1 makes rta-cat print its counters on stderr, also while it waits
# for input on a pipe, and it goes on running; the counters balance.
mkfifo p
rta-cat <p >out 2>err &
pid=$!
exec 3>p
rta-gen -c 5 >&3
sleep 1
kill -USR1 $pid
sleep 1.5
cp err during
kill -0 $pid 2>/dev/null && echo "still running"
exec 3>&-
wait $pid
echo "exit $?"
grep '^rta_records' during

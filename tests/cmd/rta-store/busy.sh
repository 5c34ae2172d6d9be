# One writer per dataset: while another holds the dataset's lock, ingest
# exits 5 and changes nothing; readers need no lock; another dataset of
# the same store is free.  Once the lock is released, ingest works.
rta-gen -s 31 -c 200 >in.ndjson
rta-gen -s 32 -c 200 >more.ndjson
rta-store init -s st
rta-store ingest -s st -d ev in.ndjson
snap() { find st | sort | xargs stat -c '%s %n' >"$1"; }
snap before
flock st/ev/lock sleep 3 &
sleep 1
rta-store ingest -s st -d ev more.ndjson
echo "held by flock: exit $?"
snap after
cmp -s before after && echo "the dataset is unchanged"
rta-store cat -s st -d ev -o ndjson | wc -l
rta-store ingest -s st -d other more.ndjson
echo "another dataset: exit $?"
wait
echo "-- a running ingest holds it too"
mkfifo fifo
rta-store ingest -s st -d ev fifo &
pid=$!
exec 3>fifo
head -50 more.ndjson >&3
sleep 1
rta-store ingest -s st -d ev more.ndjson
echo "while another ingest runs: exit $?"
exec 3>&-
wait $pid
echo "the first one: exit $?"
rta-store ingest -s st -d ev more.ndjson
echo "then: exit $?"
rta-store cat -s st -d ev -o ndjson | sort >got
sort in.ndjson more.ndjson | cmp - got && echo "both files, once"

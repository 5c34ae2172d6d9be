# init makes a store: a new directory 0700 holding the marker, or an
# empty directory; again on a store it changes nothing.  A non-empty
# directory that is not a store, a file, a missing parent are refused.
# An init that failed part way (each of its writes, syncs and renames
# made to fail in turn with RTA_FAULT) can be run again.
rta-gen -s 26 -c 100 >in.ndjson
rta-store init -s st
echo "new: exit $?, $(stat -c %a st), $(ls -A st)"
rta-store ingest -s st -d ev in.ndjson
rta-store init -s st
echo "again: exit $?"
rta-store cat -s st -d ev -o ndjson | sort >got
sort in.ndjson | cmp - got && echo "the data is still there"
mkdir empty
rta-store init -s empty
echo "empty directory: exit $?, $(ls -A empty)"
mkdir full
echo x >full/notes
rta-store init -s full
echo "not empty: exit $?, $(ls -A full)"
touch file
rta-store init -s file
echo "a file: exit $?"
rta-store init -s nowhere/st
echo "no parent: exit $?"
ls -d nowhere 2>/dev/null
mkdir planted
ln -s ../st/rta-store planted/rta-store
rta-store init -s planted
echo "marker a symlink: exit $?"
rta-store cat -s planted -d ev
echo "cat: exit $?"
for n in 1 2 3 4; do
	rm -rf f
	RTA_FAULT=io:$n rta-store init -s f 2>/dev/null
	e=$?
	rta-store init -s f
	echo "io fault $n: exit $e; init again: exit $?, $(ls -A f | paste -sd' ')"
done

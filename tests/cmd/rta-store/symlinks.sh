# Symlinks planted inside a dataset (at the lock, the commit file, a
# committed log, a log name not committed yet, the commit file's
# temporary name) are never followed: the run is refused or the link
# removed, the file it points to is unchanged, and once the link is gone
# the dataset is whole.
rta-gen -s 27 -c 50 >in.ndjson
rta-gen -s 28 -c 50 --start 2026-01-02T00:00:00Z >in2.ndjson
rta-store init -s base
rta-store ingest -s base -d ev in.ndjson
echo secret >target
cp target target.orig
for f in lock commits 20260101T0000.1.log 20260102T0000.1.log commits.tmp; do
	echo "-- $f"
	rm -rf st
	cp -a base st
	[ -e "st/ev/$f" ] && mv "st/ev/$f" saved
	ln -s ../../target "st/ev/$f"
	rta-store ingest -s st -d ev in2.ndjson 2>&1
	echo "ingest: exit $?"
	rta-store cat -s st -d ev -o ndjson >out 2>err
	echo "cat: exit $?, $(wc -l <out) records $(cat err)"
	cmp -s target target.orig && echo "target: unchanged"
	if [ -L "st/ev/$f" ]; then
		rm "st/ev/$f"
		[ -e saved ] && mv saved "st/ev/$f"
		rta-store ingest -s st -d ev in2.ndjson
		echo "link gone, again: exit $?"
	else
		echo "the link was removed"
	fi
	rm -f saved
	rta-store cat -s st -d ev -o ndjson | sort >got
	sort in.ndjson in2.ndjson | cmp - got && echo "the dataset is whole"
done

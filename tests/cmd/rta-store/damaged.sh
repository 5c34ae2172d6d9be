# Damage to what was committed is an error that names the file, never a
# silent loss: a log shorter than its committed length or missing (cat
# and ingest exit 3 and change nothing, fsck exits 1), a flipped byte
# inside a committed frame (cat exits 3 naming the log and offset, fsck
# exits 1; fsck --repair keeps the records before it and moves the rest
# to quarantine/), a flipped byte in an earlier commit record (later
# records still hold every acknowledged record: cat gives them all or
# refuses, fsck reports damage, and ingest cuts nothing from the logs).
rta-gen -s 35 -c 1000 >in.ndjson
rta-store init -s base
rta-store ingest -s base -d ev --sync-every 100r --ack-fd 3 in.ndjson 3>ack
tail -1 ack | sed -n 's/.*"handled":\([0-9]*\).*/acknowledged: \1/p'
log=20260101T0000.1.log
size=$(stat -c %s "base/ev/$log")
fresh() {
	rm -rf st
	cp -a base st
}
names() { grep -q "st/ev/$log" err && echo "names the log"; }
both() {
	rta-store cat -s st -d ev -o ndjson >out 2>err
	echo "cat: exit $?, $(wc -l <out) records, $(names)"
	rta-store ingest -s st -d ev </dev/null 2>err
	echo "ingest: exit $?, $(names)"
	rta-store fsck -s st >/dev/null 2>&1
	echo "fsck: exit $?"
}
echo "-- a log cut short"
fresh
truncate -s $((size - 10)) "st/ev/$log"
both
echo "log: $(stat -c %s "st/ev/$log") bytes"
echo "-- a log gone"
fresh
rm "st/ev/$log"
both
ls st/ev
echo "-- a byte flipped in a frame"
fresh
printf 'X' | dd of="st/ev/$log" bs=1 seek=5000 conv=notrunc 2>/dev/null
rta-store cat -s st -d ev -o ndjson >out 2>err
echo "cat: exit $?, $(names), $(grep -c 'offset [0-9]' err) offset"
rta-store fsck -s st >/dev/null 2>&1
echo "fsck: exit $?"
rta-store fsck -s st --repair >/dev/null 2>&1
echo "fsck --repair: exit $?, $(ls st/ev/quarantine)"
rta-store cat -s st -d ev -o ndjson >out
echo "cat: exit $?, $(wc -l <out) records"
sort out >o
head -n "$(wc -l <out)" in.ndjson | sort | cmp -s - o &&
    echo "the records before the damage"
flip_commit() {
	fresh
	printf 'X' | dd of=st/ev/commits bs=1 seek="$1" conv=notrunc 2>/dev/null
	rta-store cat -s st -d ev -o ndjson >out 2>err
	e=$?
	if [ $e = 0 ] && [ "$(sort -u out | wc -l)" = 1000 ]; then
		echo "cat: every acknowledged record"
	elif [ $e = 3 ] && grep -q commits err; then
		echo "cat: every acknowledged record"	# or refused, naming the file
	else
		echo "cat: exit $e, $(wc -l <out) of 1000 acknowledged records"
	fi
	rta-store fsck -s st >/dev/null 2>&1
	echo "fsck: exit $?"
	rta-store ingest -s st -d ev </dev/null 2>/dev/null
	if [ -f "st/ev/$log" ]; then
		echo "ingest: $((size - $(stat -c %s "st/ev/$log"))) log bytes cut"
	else
		echo "ingest: the log removed"
	fi
}
echo "-- a byte flipped in the first commit record"
flip_commit 100
echo "-- a byte flipped in the sixth"
flip_commit 700

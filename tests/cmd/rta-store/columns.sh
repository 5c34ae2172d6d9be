# A sealed segment of an aggregate dataset carries, after each block
# whose records are all of one shape, their windows, groups and states'
# numbers again as columns, which rta-query reads instead of the records
# when they answer the query (rta_scan_cols, rta_query_add_cols; --explain
# counts the records read so).  The
# answers are byte for byte those the records give: the same queries
# before compaction (read from the logs) and after (from the columns,
# or from the records where the columns cannot promise the same: a
# --where, sketches, windows that cross the query's buckets).  fsck
# makes each block's columns again from its records: a flipped byte is
# a checksum mismatch, columns that read but differ from the records
# are damage too, and either way the records still read.
A=count,sum:payload.value,min:payload.value,max:payload.latency_ms
A=$A,stddev:payload.value,avg:payload.latency_ms
rta-gen -s 21 -t 4 -c 20000 -o rta >ev.rta
rta-window -q --tumbling 1m --by tenant_id,event_type --agg $A -o rta \
    ev.rta >m.rta
rta-window -q --tumbling 2m --by tenant_id --agg count,sum:payload.value \
    -o rta ev.rta >w2.rta
rta-window -q --tumbling 1m --by tenant_id --agg count,p95:payload.value \
    -o rta ev.rta >p.rta
rta-store init -s st
rta-store ingest -q -s st -d m --bucket 1h --close-after 0 m.rta
rta-store ingest -q -s st -d w2 --bucket 1h --close-after 0 w2.rta
rta-store ingest -q -s st -d p --bucket 1h --close-after 0 p.rta
R="--from 2026-01-01T00:00:00Z --to 2026-01-02T00:00:00Z"
queries() {
	q() { echo "-- $*"; rta-query -s st -o ndjson "$@" 2>&1; echo "exit $?"; }
	q -d m $R --agg count,sum:payload.value --bucket 5m
	q -d m $R --tenant t0002 --agg $A --bucket 1h --group-by event_type
	q -d m $R --agg count,avg:payload.latency_ms --group-by tenant_id,event_type
	q -d m --from 2026-01-01T00:17:00Z --to 2026-01-01T01:43:00Z \
	    --agg count,stddev:payload.value --bucket 7m --tenant t0001
	q -d m $R --agg count --bucket 1m --group-by tenant_id --limit 20
	q -d m $R --agg count,sum:payload.value --where 'event_type == "purchase"'
	q -d m $R --agg max:payload.latency_ms --bucket 2h
	q -d w2 $R --agg count,sum:payload.value --bucket 4m
	q -d w2 $R --agg count --bucket 1m
	q -d p $R --agg count,p95:payload.value --bucket 10m --tenant t0000
}
queries >before
rta-store cat -s st -d m -o ndjson >cat.before
rta-store compact -s st >/dev/null
ls st/m st/w2 st/p | grep -c '\.seg$' | sed 's/^/segments: /'
queries >after
cmp before after && echo "queries: the same answers from the columns"
grep -c '^exit 0' after | sed 's/^/queries answered: /'
for d in m w2 p; do
	rta-query -s st -d $d $R --agg count --bucket 1h --explain | grep '^hot'
done
rta-store cat -s st -d m -o ndjson >cat.after
cmp cat.before cat.after && echo "cat: the same records"
rta-store fsck -s st
seg=$(ls st/m/*.seg)
cp "$seg" seg.orig
# the columns of block $1: "offset length" of their body (after the
# CRC), from the segment's footer and index entry
cols_of() {
	perl -e '
	    open(F, "<:raw", $ARGV[0]) or die; local $/; $_ = <F>;
	    my $n = length;
	    my ($ioff, $nb) = unpack("Q< L<", substr($_, $n - 32, 12));
	    my $e = substr($_, $ioff + $ARGV[1] * 112, 112);
	    my ($off, $clen) = unpack("Q< L<", $e);
	    my @c = unpack("C3", substr($e, 105, 3));
	    my $cols = $c[0] | $c[1] << 8 | $c[2] << 16;
	    print $off + $clen + 4, " ", $cols - 4, "\n";
	' "$1" "$2"
}
set -- $(cols_of "$seg" 1)
echo "block 1 has columns: $([ "$2" -gt 0 ] && echo yes)"
echo "-- a byte of the columns flipped"
printf 'X' | dd of="$seg" bs=1 seek=$(($1 + $2 / 2)) conv=notrunc 2>/dev/null
rta-store fsck -s st -d m >out 2>&1
echo "fsck: exit $?"
sed 's/offset [0-9]*/offset N/g' out
rta-query -s st -d m $R --agg count >/dev/null 2>err
echo "query: exit $?, $(grep -c 'columns checksum mismatch' err) checksum error"
rta-store cat -s st -d m -o ndjson >cat.damaged
cmp cat.before cat.damaged && echo "cat: the records still read"
echo "-- the last value changed and the checksum made again"
cp seg.orig "$seg"
perl -e '
    my ($f, $off, $len) = @ARGV;
    my @t;
    for my $i (0 .. 255) {
	my $c = $i;
	$c = $c & 1 ? ($c >> 1) ^ 0x82F63B78 : $c >> 1 for 1 .. 8;
	$t[$i] = $c;
    }
    open(F, "+<:raw", $f) or die;
    seek(F, $off, 0); read(F, my $b, $len);
    substr($b, $len - 1, 1) = chr(ord(substr($b, $len - 1, 1)) ^ 1);
    my $crc = 0xFFFFFFFF;
    $crc = $t[($crc ^ ord($_)) & 0xFF] ^ ($crc >> 8) for split //, $b;
    seek(F, $off - 4, 0);
    print F pack("L<", $crc ^ 0xFFFFFFFF), $b;
    close(F);
' "$seg" "$1" "$2"
rta-store fsck -s st -d m >out 2>&1
echo "fsck: exit $?"
sed 's/offset [0-9]*/offset N/g' out

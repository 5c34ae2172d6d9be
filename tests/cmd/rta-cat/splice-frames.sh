# Two writers whose frames are larger than PIPE_BUF, interleaved in 4 KiB
# pieces as a shared pipe may do: every spliced frame is rejected (bad
# checksum or header), no spliced record is accepted, and the counts
# balance.
. "$DATA/balance.inc"
pad=$(head -c 10000 /dev/zero | tr '\0' p)
for w in A B; do
	for i in 1 2 3 4 5 6; do
		rta-cat emit --id $w-$i --time 0 t a "pad=$w$pad"
	done >$w.ndjson
	rta-cat -o rta $w.ndjson >$w.rta
done
perl -e 'open(A, "<", $ARGV[0]) or die; open(B, "<", $ARGV[1]) or die;
    binmode A; binmode B; binmode STDOUT;
    for (;;) { my ($x, $y); my $n = read(A, $x, 4096); my $m = read(B, $y, 4096);
        print $x if $n; print $y if $m; last unless $n || $m }' A.rta B.rta >spliced.rta
rta-cat -o ndjson --metrics m spliced.rta >out 2>err
echo "exit $?"
cat err
cat A.ndjson B.ndjson >all
echo "$(wc -l <out) events out, $(grep -c -v -x -F -f all out) not as written"
balanced m
grep '^rta_records_rejected_total{stage="rta-cat"}' m

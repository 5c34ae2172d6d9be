# Mutated input through the whole pipeline: copies of a valid NDJSON
# stream and of a valid rta frame stream with random bits flipped, cut
# short, with a piece cut out, or pieces repeated (fixed seeds, so the
# same copies every run).  Each one goes through examples/pipeline.sh
# into a fresh store: every stage must end with 0 or 1 (some records set
# aside, all accounted for; a signal or a sanitizer report is a failure,
# so under SANITIZE=1 this is a fuzz run of the whole pipeline), and the
# ledger (pipeline.inc) must balance.  PIPELINE_MUTANTS sets how many
# copies (default 40; make soak runs more).
. "$TESTS/cmd/pipeline/pipeline.inc"

n=${PIPELINE_MUTANTS:-40}
gen() {
	rta-gen --seed 5 --count 300 --tenants 3 --start 2026-11-26T09:00:00Z \
	    --late 0.05 --duplicates 0.05 --future 0.02 --disorder 2s \
	    --watermark-every 10s "$@"
}
gen >base.ndjson
gen -o rta >base.rta

# mutate SEED IN OUT: OUT is IN with one kind of damage, picked by SEED
mutate() {
	perl -e '
	    my ($seed, $in, $out) = @ARGV;
	    srand($seed);
	    local $/;
	    open(my $f, "<:raw", $in) or die "$in: $!\n";
	    my $b = <$f>;
	    my $len = length($b);
	    my $kind = $seed % 5;
	    if ($kind == 0 || $kind == 3) {		# flipped bits
		for (1 .. 1 + int(rand(8))) {
		    my $i = int(rand($len));
		    substr($b, $i, 1) = chr(ord(substr($b, $i, 1)) ^
			(1 << int(rand(8))));
		}
	    }
	    if ($kind == 1 || $kind == 3) {		# cut short
		$b = substr($b, 0, int(rand(length($b))));
	    }
	    if ($kind == 2) {				# a piece cut out
		my $i = int(rand($len));
		substr($b, $i, 1 + int(rand(600))) = "";
	    }
	    if ($kind == 4) {				# a piece repeated
		my $i = int(rand($len));
		my $p = substr($b, $i, 1 + int(rand(400)));
		substr($b, int(rand($len)), 0) = $p;
	    }
	    open(my $o, ">:raw", $out) or die "$out: $!\n";
	    print $o $b;
	' "$@"
}

ok=0
failed=0
read=0 rejected=0 invalid=0
i=1
while [ $i -le $n ]; do
	case $((i % 2)) in
	0) fmt=rta ;;
	*) fmt=ndjson ;;
	esac
	mutate $((1000 + i)) base.$fmt m$i.$fmt
	pipe s$i w$i m$i.$fmt
	ledger w$i s$i >ledger.$i
	read=$((read + $(metric rta_records_in_total cat w$i)))
	rejected=$((rejected + $(metric rta_records_rejected_total cat w$i)))
	invalid=$((invalid + $(metric rta_records_rejected_total validate w$i)))
	if [ "$(cat w$i.exit)" = 0 ] && [ "$(cat ledger.$i)" = "ledger balanced" ]
	then
		ok=$((ok + 1))
		rm -rf s$i w$i w$i.stderr w$i.exit ledger.$i m$i.$fmt
	else
		failed=$((failed + 1))
		echo "mutant $i ($fmt, seed $((1000 + i))): pipeline exit" \
		    "$(cat w$i.exit)"
		sed 's/^/  /' ledger.$i
		sed -n '1,5s/^/  stderr: /p' w$i.stderr
	fi
	i=$((i + 1))
done
echo "$n mutants through the pipeline: $ok balanced, $failed failed"
# the damage reached the stages (with PIPELINE_MUTANTS unset, the same
# numbers every run)
echo "rta-cat read $read records, rejected $rejected;" \
    "rta-validate rejected $invalid"

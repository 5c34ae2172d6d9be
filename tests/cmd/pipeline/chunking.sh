# The pipeline's results do not depend on how its input arrives: the same
# NDJSON and rta frame streams (with malformed, duplicate, late and
# future records) fed whole, and through rta-trickle in random pieces of
# 1 byte to 64 KiB with pauses (a few seeds), give byte-identical stores
# (raw events, 1-minute windows, alerts), dead letters, duplicates and
# late events, and the same counts at every stage.
. "$TESTS/cmd/pipeline/pipeline.inc"

gen() {
	rta-gen --seed 23 --count 2500 --tenants 4 --start 2026-11-26T09:00:00Z \
	    --late 0.03 --late-by 30m --duplicates 0.05 --malformed 0.03 \
	    --future 0.01 --future-by 2h --disorder 2s --watermark-every 10s "$@"
}
gen >in.ndjson
gen -o rta >in.rta

# results RUN: what a run left, in RUN.out/
results() {
	mkdir $1.out
	for d in events metrics_1m alerts; do
		rta-store cat -s $1.store -d $d -o ndjson >$1.out/$d
	done
	for l in dead-letters invalid duplicates late; do
		cp $1.work/$l.ndjson $1.out/$l 2>/dev/null || : >$1.out/$l
	done
	for s in cat validate dedup window watch store-events store-metrics \
	    store-alerts; do
		grep '^rta_records_[a-z]*_total' $1.work/$s.prom
	done >$1.out/counts
	ledger $1.work $1.store | grep -v '^ledger balanced$'
}

for f in ndjson rta; do
	cat in.$f | pipe $f.store $f.work
	results $f
	echo "$f whole: $(wc -l <$f.out/events) events," \
	    "$(wc -l <$f.out/metrics_1m) windows," \
	    "$(wc -l <$f.out/dead-letters) dead letters," \
	    "$(wc -l <$f.out/duplicates) duplicates," \
	    "$(wc -l <$f.out/late) late"
	for seed in 1 2 3; do
		rta-trickle $seed in.$f 300 | pipe $f$seed.store $f$seed.work
		results $f$seed
		if diff -r $f.out $f$seed.out >/dev/null; then
			echo "$f trickled (seed $seed): the same"
		else
			echo "$f trickled (seed $seed): differs"
			diff -r $f.out $f$seed.out | head -5
		fi
	done
done

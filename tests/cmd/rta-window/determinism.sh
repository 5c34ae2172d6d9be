# The output depends only on the input: the same stream read in random
# pieces with pauses (rta-trickle), as frames or as NDJSON, or under a
# wall clock moved by days (faketime), gives the same bytes, early
# versions, late updates, sketches and watermarks included.
rta-gen -c 20000 --eps 200 --disorder 5s --late 0.01 --late-by 20s \
    --duplicates 0.01 --watermark-every 10s -o rta >in.rta
rta-cat -o ndjson in.rta >in.ndjson
run() {
	rta-window --tumbling 10s --by tenant_id,event_type \
	    --agg count,sum:payload.value,p95:payload.latency_ms,distinct:payload.user_id,top3:payload.url \
	    --max-delay 2s --allowed-lateness 30s --emit-every 5s --late late \
	    -o rta "$@"
}
run in.rta >a
echo "exit $? records $(rta-cat -o ndjson a | grep -c aggregate)"
for seed in 1 2 3; do
	rta-trickle "$seed" in.rta 300 | run - >b
	cmp a b && echo "seed $seed: same"
done
run in.ndjson >b
cmp a b && echo "from NDJSON: same"
# (a sanitizer build must be told that libfaketime loads before it)
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
    faketime -f '+3d' sh -c 'rta-window --tumbling 10s --by tenant_id,event_type --agg count,sum:payload.value,p95:payload.latency_ms,distinct:payload.user_id,top3:payload.url --max-delay 2s --allowed-lateness 30s --emit-every 5s -o rta in.rta' >c
cmp a c && echo "three days on: same"

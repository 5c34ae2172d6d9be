# Options that cannot work are usage errors (exit 2), named.
for args in "" "--tumbling 0s" "--tumbling 1m --sliding 5m" \
    "--sliding 5m" "--sliding 5m --every 2m" "--sliding 5m --every 10m" \
    "--sliding 1h --every 1s" "--tumbling 1m --every 1m" \
    "--tumbling 1m --agg median:payload.x" "--tumbling 1m --agg sum" \
    "--tumbling 1m --by payload." "--tumbling 1m --max-groups 0" \
    "--tumbling 1m --allowed-lateness -1s" "--tumbling x" \
    "--tumbling 1m --agg count,count" "--tumbling 1m --by tenant_id,tenant_id" \
    "--tumbling 1001y" "--tumbling 1m --max-delay 400000d" \
    "--tumbling 1m --agg top101:payload.url"; do
	# shellcheck disable=SC2086
	rta-window $args </dev/null >/dev/null 2>err
	echo "[$args] exit $?: $(head -1 err)"
done

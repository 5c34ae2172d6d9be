# Usage errors exit 2 before any input is read or any file is made, and
# say what is wrong: no subcommand, an unknown one, a missing -s or -d,
# an option of another subcommand, bad option values, stray operands.
rta-store init -s st >/dev/null
# the whole message once, on stderr
rta-store
echo "no subcommand: exit $?"
for args in "frob" "-x" "init" "init -s" "ingest -s st" "cat -d ev" \
    "offsets -d ev" "init -s st x" "cat -s st -d ev x" \
    "offsets -s st -d ev x" "ingest -s st -d ev --nope" \
    "init -s st -d ev" "init -s st --bucket 1h" \
    "ingest -s st -d ev --tenant t1" "ingest -s st -d ev -o ndjson" \
    "ingest -s st -d ev --from 2026-01-01" "ingest -s st -d ev --format json" \
    "cat -s st -d ev --ack-fd 1" "cat -s st -d ev -q" \
    "cat -s st -d ev --sync-every 1s" "cat -s st -d ev --format json" \
    "offsets -s st -d ev --tenant t1" "offsets -s st -d ev -o rta" \
    "ingest -s st -d ev --bucket 5h" "ingest -s st -d ev --bucket 30m" \
    "ingest -s st -d ev --bucket 2d" "ingest -s st -d ev --bucket 0h" \
    "ingest -s st -d ev --bucket 90m" "ingest -s st -d ev --bucket x" \
    "ingest -s st -d ev --sync-every 0r" "ingest -s st -d ev --sync-every 0s" \
    "ingest -s st -d ev --sync-every x" "ingest -s st -d ev --sync-every -1s" \
    "ingest -s st -d ev --max-future -1s" "ingest -s st -d ev --max-future x" \
    "ingest -s st -d ev --ack-fd x" "ingest -s st -d ev --ack-fd 9" \
    "ingest -s st -d ev --ack-fd -1" "ingest -s st -d ev --max-mem 1M" \
    "ingest -s st -d ev --max-new-buckets x" \
    "ingest -s st -d ev --max-new-buckets 1000001" \
    "ingest -s st -d ev --dedup-horizon 0s" "ingest -s st -d ev --max-errors x" \
    "cat -s st -d ev -o csv" "cat -s st -d ev --from x" \
    "cat -s st -d ev --to 2026-13-01" "cat -s st -d ev --tenant ../x" \
    "cat -s st -d ev --tenant ''" "offsets -s st -d ev --format x" \
    "ingest -s st -d ../x" "ingest -s st -d .." "ingest -s st -d Ev" \
    "ingest -s st -d lock" "ingest -s st -d rta-store" "cat -s st -d /etc" "cat -s st -d nosuch" \
    "offsets -s st -d nosuch" "export -s st" "export -s st --cold c --before x" \
    "export -s st --cold c --row-group-rows 0" "export -s st --cold c --level 20" \
    "export -s st --cold c --days 3" "retain -s st --before 1d" \
    "compact -s st --cold c"; do
	eval "set -- $args"
	rta-store "$@" </dev/null >out 2>err
	echo "[$args] exit $?: $(head -1 err)"
done
echo "-- nothing was made"
find . ! -name '.std*' ! -name out ! -name err | sort

#!/bin/sh
# examples/serve.sh: the demo's store behind socat and `rta-query --http`
# on 127.0.0.1 (`make serve`), in the foreground until Ctrl-C.  Runs the
# demo first when its store is missing.  `make demo-live` in another
# terminal feeds it a live stream.
#
# Environment: RTA_BIN (the programs; default build/), RTA_DEMO_DIR
# (default build/demo), PORT (default 8080).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
RTA_BIN=$(cd "${RTA_BIN:-$root/build}" && pwd)
export RTA_BIN
dir=${RTA_DEMO_DIR:-$root/build/demo}
port=${PORT:-8080}
today=$(date -u +%F)

[ -f "$dir/store/rta-store" ] || sh "$here/demo.sh"
# The server socat starts per connection, with the stages' metrics files
# for /metrics (too long a command line for a socat address).
{
	echo '#!/bin/sh'
	printf 'exec "%s" --http -s "%s"' "$RTA_BIN/rta-query" "$dir/store"
	for f in "$dir"/work/*.prom; do
		[ -e "$f" ] && printf ' \\\n    --metrics-file "%s"' "$f"
	done
	echo
} >"$dir/rta-query-http"
chmod 755 "$dir/rta-query-http"
echo "rta-query --http on $dir/store:"
echo "  dashboard  http://127.0.0.1:$port/"
echo "  the demo's day"
echo "    http://127.0.0.1:$port/#dataset=metrics_1m&tenant=*&range=24h&bucket=5m&now=${today}T00:00:00Z"
echo "  the API    curl 'http://127.0.0.1:$port/v1/query?dataset=events&since=48h&group_by=tenant_id&agg=count&order_by=count+desc&limit=5'"
echo "  metrics    curl http://127.0.0.1:$port/metrics"
echo "Ctrl-C stops it."
exec socat -b 65536 TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr,fork,nodelay \
    EXEC:"$dir/rta-query-http"

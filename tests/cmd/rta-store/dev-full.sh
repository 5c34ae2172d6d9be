# cat to a full device: "write error", exit 3.
rta-gen -s 48 -c 2000 >in.ndjson
rta-store init -s st
rta-store ingest -s st -d ev in.ndjson
rta-store cat -s st -d ev -o ndjson >/dev/full
echo "ndjson: exit $?"
rta-store cat -s st -d ev >/dev/full
echo "rta: exit $?"
rta-store offsets -s st -d ev --format json >/dev/full
echo "offsets: exit $?"

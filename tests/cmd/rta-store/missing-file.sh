# A missing input between two good ones: the good ones are stored, the
# missing one reported, exit 3.
rta-gen -s 45 -c 100 >a.ndjson
rta-gen -s 46 -c 100 -o rta >b.rta
rta-store init -s st
rta-store ingest -s st -d ev a.ndjson nosuch.ndjson b.rta
echo "exit $?"
rta-store cat -s st -d ev -o ndjson | sort >got
{ cat a.ndjson; rta-cat -o ndjson b.rta; } | sort | cmp - got && echo "both good inputs stored"

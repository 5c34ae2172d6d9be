# Empty input, from stdin or "-", commits nothing and exits 0; a dataset
# with no commit yet reads as empty; stdin is an input like a file.
rta-gen -s 50 -c 100 >in.ndjson
rta-store init -s st
rta-store ingest -s st -d ev </dev/null
echo "stdin empty: exit $?, $(ls st/ev | paste -sd' ')"
rta-store ingest -s st -d ev - </dev/null
echo "- empty: exit $?"
rta-store cat -s st -d ev -o ndjson
echo "cat: exit $?"
rta-store offsets -s st -d ev
echo "offsets: exit $?"
rta-store ingest -s st -d ev <in.ndjson
echo "stdin: exit $?"
rta-store ingest -s st -d ev - <in.ndjson
echo "- again: exit $?"
rta-store cat -s st -d ev -o ndjson | sort >got
sort in.ndjson | cmp - got && echo "stdin: stored once"
rta-store offsets -s st -d ev --format json

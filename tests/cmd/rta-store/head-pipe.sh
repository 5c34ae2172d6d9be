# cat into a pipe that closes early ends quietly.
rta-gen -s 49 -c 20000 >in.ndjson
rta-store init -s st
rta-store ingest -s st -d ev in.ndjson
rta-store cat -s st -d ev -o ndjson | head -1 | cut -c1-60
rta-store cat -s st -d ev | head -c 10 | od -An -c | tr -s ' '

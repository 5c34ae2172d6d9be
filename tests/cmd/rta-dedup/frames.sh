# Binary in, binary out; the same keys pass as with NDJSON.
rta-cat -o rta "$DATA/dedup/dups.ndjson" >in.rta
rta-dedup in.rta >out.rta
rta-cat -o ndjson out.rta >a
rta-dedup "$DATA/dedup/dups.ndjson" >b
cmp a b && echo same

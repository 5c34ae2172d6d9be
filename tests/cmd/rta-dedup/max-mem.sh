# Beyond --max-mem keys move to a file: the output does not change.
rta-gen -c 300000 --duplicates 0.2 -s 9 -o rta >in.rta
rta-dedup --max-mem 16M --metrics m in.rta >a.rta
rta-dedup in.rta >b.rta
cmp a.rta b.rta && echo same
awk '/^rta_dedup_spilled_keys/ { print ($2 > 0) ? "spilled" : "not spilled" }' m

# rta frames in and out: events that gain fields are re-encoded, the
# others are passed through byte for byte.
rta-gen -c 300 -t 2 --users 20 -o rta >in.rta
printf 'user_id,tag\nu000003,three\nu000007,seven\n' >u.csv
rta-enrich --ref u.csv --on payload.user_id in.rta >out.rta
echo "exit $?"
head -c 4 out.rta | od -c | head -1
rta-cat -o ndjson out.rta | jq -r 'select(.payload.u) | .payload.user_id + " " + .payload.u.tag' | sort | uniq -c
rta-cat -o ndjson out.rta | jq -c 'del(.payload.u)' >a
rta-cat -o ndjson in.rta | jq -c . >b
cmp a b && echo "the rest is unchanged"
# no table adds anything: the output is the input
printf 'user_id,tag\nnobody,x\n' >none.csv
rta-enrich --ref none.csv --on payload.user_id in.rta | cmp - in.rta && echo "frames passed through"

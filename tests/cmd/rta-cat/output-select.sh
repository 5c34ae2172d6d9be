# -o/--to chooses the output encoding whatever was read; json is a
# synonym of ndjson; anything else is a usage error.
rta-gen -c 3 >a.ndjson
rta-cat -o rta a.ndjson >o1
echo "-o rta: exit $?, $(head -c 4 o1 | od -A n -t x1)"
rta-cat --to=ndjson o1 >o2
echo "--to=ndjson: exit $?"
cmp a.ndjson o2 && echo "same events"
rta-cat -o json o1 >o3
echo "-o json: exit $?"
cmp a.ndjson o3 && echo "same events"
rta-cat -o csv a.ndjson >o4
echo "-o csv: exit $?, $(wc -c <o4) bytes"

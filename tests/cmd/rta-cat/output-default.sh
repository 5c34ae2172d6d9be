# Without -o the output has the encoding of the first input read.
rta-gen -c 3 -s 1 >a.ndjson
rta-gen -c 3 -s 2 -o rta >b.rta
rta-cat a.ndjson >o1
echo "ndjson in: exit $?, $(head -c 1 o1)"
rta-cat b.rta >o2
echo "rta in: exit $?, $(head -c 4 o2 | od -A n -t x1)"
cmp b.rta o2 && echo "rta copied as it was"
rta-cat a.ndjson b.rta >o3
echo "ndjson then rta: exit $?, $(wc -l <o3) lines"
rta-cat b.rta a.ndjson >o4
echo "rta then ndjson: exit $?, $(head -c 4 o4 | od -A n -t x1)"
rta-cat -o ndjson o4 | grep -c '"event_id"'

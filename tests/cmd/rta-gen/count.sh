# -c/--count N writes N records (watermarks and duplicates included);
# default 1000; -c 0 has no end.
rta-gen >o
echo "default: exit $?, $(wc -l <o) records"
rta-gen -c 7 >o
echo "-c 7: $(wc -l <o) records"
rta-gen --count=30 --watermark-every 1s --duplicates 0.2 >o
echo "--count=30 with watermarks and duplicates: $(wc -l <o) records"
rta-gen -c 7 -o rta >o.rta
echo "-c 7 -o rta: $(rta-cat -o ndjson o.rta | wc -l) records"
rta-gen -c 0 2>/dev/null | head -2000 | wc -l

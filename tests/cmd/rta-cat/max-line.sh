# --max-line sets the longest NDJSON line (64 to 1G, with K/M/G
# suffixes); a longer line is rejected as too-long, the rest read.
rta-gen -c 3 >in.ndjson
rta-cat --max-line 300 in.ndjson >out
echo "300: exit $?, $(wc -l <out) out"
rta-cat --max-line 100 in.ndjson >out
echo "100: exit $?, $(wc -l <out) out"
rta-cat --max-line 1K in.ndjson >out
echo "1K: exit $?, $(wc -l <out) out"
for v in 63 2G 1X ''; do
	rta-cat --max-line "$v" in.ndjson >/dev/null 2>err
	echo "'$v': exit $?: $(head -1 err)"
done

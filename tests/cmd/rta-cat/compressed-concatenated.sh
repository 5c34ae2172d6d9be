# Concatenated compressed files (cat a.gz b.gz, as log rotation makes)
# read as the concatenation of their contents, for each compressor.
rta-gen -c 5 -s 1 >a.ndjson
rta-gen -c 5 -s 2 >b.ndjson
cat a.ndjson b.ndjson >ab.ndjson
for c in gzip bzip2 xz zstd; do
	$c -c a.ndjson >a.$c
	$c -c b.ndjson >b.$c
	cat a.$c b.$c >ab.$c
	rta-cat ab.$c >out
	echo "$c: exit $?, $(cmp -s ab.ndjson out && echo both || echo DIFFERENT)"
done

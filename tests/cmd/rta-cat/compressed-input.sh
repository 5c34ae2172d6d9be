# gzip, bzip2, xz and zstd inputs are recognised by their first bytes and
# decompressed, from files and from stdin, in either encoding.
rta-gen -c 20 >e.ndjson
rta-gen -c 20 -o rta >e.rta
for c in gzip bzip2 xz zstd; do
	$c -c e.ndjson >e.ndjson.$c
	$c -c e.rta >e.rta.$c
	rta-cat e.ndjson.$c >o1
	s1=$?
	rta-cat <e.ndjson.$c >o2
	s2=$?
	rta-cat e.rta.$c >o3
	s3=$?
	cmp -s e.ndjson o1 && cmp -s e.ndjson o2 && cmp -s e.rta o3 &&
	    r=same || r=DIFFERENT
	echo "$c: exit $s1 $s2 $s3, $r"
done
# a damaged compressed file is an I/O error, named
head -c 200 e.ndjson.gzip >cut.gz
rta-cat cut.gz >o4
echo "cut gzip: exit $?"

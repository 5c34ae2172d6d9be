# --version: the program, then the libraries it links; exit 0.
for a in --version -V "ingest --version" "cat -V"; do
	rta-store $a >v 2>err
	echo "[$a] exit $?: $(head -1 v)$(cat err)"
done
grep -c '^libarchive \|^zstd \|^libcsv ' v
